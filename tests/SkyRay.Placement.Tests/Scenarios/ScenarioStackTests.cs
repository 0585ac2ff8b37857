using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;
using SkyRay.Testing;

namespace SkyRay.Placement.Tests.Scenarios;

/// <summary>The scenario stacks under stacks/: each is loaded with the real loader, planned, and its outcome pinned.</summary>
public sealed class ScenarioStackTests
{
    private static string StackPath(string name) => Path.Combine(SharedMaterial.RepositoryRoot, "stacks", $"Pulumi.{name}.yaml");

    private static FleetSpec Load(string path)
    {
        var result = StackLoader.LoadFile(path);
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        // The one warning a scenario stack may carry: an EKS cluster keeping EKS's open API endpoint (examples name no ranges).
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Warning && !d.Path.EndsWith(".aws.publicAccessCidrs", StringComparison.Ordinal));
        return result.Value!;
    }

    private static FleetPlan Plan(string name, FleetPlan? previous = null) => FleetPlanner.Plan(Load(StackPath(name)), previous);

    [Fact]
    public void Training_job_that_no_longer_fits_the_static_cluster_overflows_to_a_dynamic_one()
    {
        var plan = Plan("training");

        Assert.Equal("aws-train", plan.ClusterOf("train-a"));
        Assert.Equal(LaunchTier.ScaleUp, plan.Placements["train-a"].Copies[0].Tier);
        Assert.Equal("aws-burst", plan.ClusterOf("train-b"));
        Assert.Equal(LaunchTier.CreateCluster, plan.Placements["train-b"].Copies[0].Tier);
        Assert.Equal(ClusterState.Active, plan.Clusters["aws-burst"].State);
        Assert.Equal(2, plan.Clusters["aws-train"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
        Assert.Equal("gpu", plan.Placements["train-b"].Copies[0].GroupPools["gpu-workers"]);
    }

    [Fact]
    public void Experiments_follow_the_label_of_the_specified_cluster()
    {
        var path = StackPath("experiments");
        var first = FleetPlanner.Plan(Load(path));
        Assert.Equal("exp-aws", first.ClusterOf("exp-tune"));
        Assert.Equal("exp-aws", first.ClusterOf("exp-ablation"));
        Assert.Equal("experiments", first.Placements["exp-tune"].Policy);

        // Change only the clusters' labels (8-space indented lines; the policy's selector is deeper and stays).
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        const string On = "\n        experiments: \"on\"\n";
        const string Off = "\n        experiments: \"off\"\n";
        var swapped = text
            .Replace(On, "\n        experiments: \"__\"\n", StringComparison.Ordinal)
            .Replace(Off, On, StringComparison.Ordinal)
            .Replace("\n        experiments: \"__\"\n", Off, StringComparison.Ordinal);
        Assert.NotEqual(text, swapped);
        var moved = Path.Combine(Path.GetTempPath(), $"skyray-{Guid.NewGuid():N}", "Pulumi.experiments.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        try
        {
            File.WriteAllText(moved, swapped);
            var second = FleetPlanner.Plan(Load(moved), first);

            Assert.Equal("exp-gcp", second.ClusterOf("exp-tune"));
            Assert.Equal("exp-gcp", second.ClusterOf("exp-ablation"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(moved)!, recursive: true);
        }
    }

    [Fact]
    public void Production_serving_runs_on_every_static_production_cluster_and_development_on_a_dynamic_l4_cluster()
    {
        var plan = Plan("serving");

        Assert.Equal(["prod-east", "prod-west"], plan.ClustersOf("llm-prod"));
        Assert.All(plan.Placements["llm-prod"].Copies, c => Assert.Equal("gpu", c.GroupPools["gpu-workers"]));
        Assert.Equal("dev-l4", plan.ClusterOf("llm-dev"));
        Assert.Equal(LaunchTier.CreateCluster, plan.Placements["llm-dev"].Copies[0].Tier);
        var gpu = plan.Clusters["dev-l4"].Pools.Single(p => p.Pool == "gpu");
        Assert.Equal((0, 4, 1), (gpu.MinNodes, gpu.MaxNodes, gpu.DesiredNodes));
        Assert.Equal("g2-standard-8", gpu.InstanceType);
    }

    [Fact]
    public void Priority_policy_fills_gcp_then_aws_then_azure()
    {
        var plan = Plan("priority");

        Assert.Equal("gke-1", plan.ClusterOf("batch-1"));
        Assert.Equal("eks-1", plan.ClusterOf("batch-2"));
        Assert.Equal("aks-1", plan.ClusterOf("batch-3"));
        Assert.All(plan.Placements.Values, p => Assert.Equal("gcp-then-aws-then-azure", p.Policy));
    }

    [Fact]
    public void Compound_ai_puts_the_llm_on_the_gpu_cluster_and_rag_ingestion_on_the_cpu_cluster()
    {
        var plan = Plan("compound-ai");

        Assert.Equal("gke-l4", plan.ClusterOf("rag-llm"));
        Assert.Equal("gpu", plan.Placements["rag-llm"].Copies[0].GroupPools["llm"]);
        Assert.Equal("eks-cpu", plan.ClusterOf("rag-ingest"));
        Assert.Equal(4, plan.Placements["rag-ingest"].Copies[0].WorkerReplicas["embedders"]);
    }

    [Fact]
    public void Every_scenario_stack_plans_deterministically_and_places_everything()
    {
        foreach (var name in new[] { "training", "experiments", "serving", "priority", "compound-ai" })
        {
            var first = Plan(name);
            Assert.Empty(first.Unplaced);
            Assert.Equal(PlanJson.Write(first), PlanJson.Write(Plan(name)));
        }
    }
}
