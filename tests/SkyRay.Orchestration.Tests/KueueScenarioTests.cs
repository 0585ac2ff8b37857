using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Validation;
using SkyRay.Orchestration.Manifests;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Queues;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Runs;
using SkyRay.Placement.Planning;
using SkyRay.Testing;

namespace SkyRay.Orchestration.Tests;

/// <summary>
/// stacks/Pulumi.queues.yaml: two teams' RayJobs queueing on one shared GPU cluster, with a dynamic overflow, through the whole run
/// (load → plan → Kueue → render), as <c>pulumi up</c> and <c>skyray render</c> get it.
/// </summary>
public sealed class KueueScenarioTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static FleetSpec Load()
    {
        var result = FleetLoading.LoadFile(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "Pulumi.queues.yaml"));
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        // The scenario's EKS clusters keep EKS's open API endpoint (the stack names no ranges): their warnings, nothing else.
        Assert.All(result.Diagnostics, d => Assert.EndsWith(".aws.publicAccessCidrs", d.Path, StringComparison.Ordinal));
        return result.Value!;
    }

    private static RunPlan FirstRun() => RunPlanner.Plan(new RunRequest(Load(), PreviousRun.None, Now));

    [Fact]
    public void Two_teams_fill_the_shared_gpu_queue_and_the_third_job_overflows_to_the_dynamic_cluster()
    {
        var run = FirstRun();

        Assert.Equal(["gpu-shared"], run.Plan.Placements["team-a-finetune"].Copies.Select(c => c.Cluster));
        Assert.Equal(["gpu-shared"], run.Plan.Placements["team-b-sweep-1"].Copies.Select(c => c.Cluster));
        Assert.Equal(["gpu-burst"], run.Plan.Placements["team-b-sweep-2"].Copies.Select(c => c.Cluster));
        Assert.Equal(LaunchTier.CreateCluster, run.Plan.Placements["team-b-sweep-2"].Copies[0].Tier);
        Assert.All(run.Kueue.Decisions.Values, d => Assert.Equal(KueueAction.Declared, d.Action));
        Assert.Equal<string>(["gpu-burst", "gpu-shared"], run.Kueue.Decisions.Keys);
    }

    [Fact]
    public void The_shared_queue_holds_8_gpus_and_the_teams_reserve_all_of_them()
    {
        var report = QueueReport.For(FirstRun().Spec, FirstRun().Plan);

        // g5.12xlarge has 4 A10G; the pool may grow to 2 nodes: 8 GPUs of quota. Each team's first job asks 2 workers × 2 GPUs.
        var gpu = report.Queues["gpu-shared"].Single(f => f.Pool == "gpu").Resources.Single(r => r.Resource == "nvidia.com/gpu");
        Assert.Equal((8L, 8L), (gpu.Quota, gpu.Reserved));
        // On the burst cluster only team-b's second job (1 worker × 2 GPUs) is placed.
        var burst = report.Queues["gpu-burst"].Single(f => f.Pool == "gpu").Resources.Single(r => r.Resource == "nvidia.com/gpu");
        Assert.Equal((8L, 2L), (burst.Quota, burst.Reserved));
        Assert.True(report.Notes.Single(n => n.Workload == "team-a-finetune").Limiting);
        Assert.True(report.Notes.Single(n => n.Workload == "team-b-sweep-1").Limiting);
        Assert.False(report.Notes.Single(n => n.Workload == "team-b-sweep-2").Limiting);
        Assert.Contains("the queue is the limiting factor: the plan reserves skyray-gpu to the last nvidia.com/gpu (team-a-finetune, team-b-sweep-1)", report.Notes.Single(n => n.Workload == "team-a-finetune").Text, StringComparison.Ordinal);
        Assert.Equal("team-b/training", report.Notes.Single(n => n.Workload == "team-b-sweep-2").Queue);
    }

    [Fact]
    public void Each_team_gets_its_local_queue_and_its_jobs_their_queue_and_priority_labels()
    {
        var recorder = RecordingPorts.Record(FirstRun());
        var lines = recorder.PreviewLines();

        Assert.Contains("+ LocalQueue team-a/training → gpu-shared", lines);
        Assert.Contains("+ LocalQueue team-b/training → gpu-shared", lines);
        Assert.Contains("+ LocalQueue team-b/training → gpu-burst", lines);
        Assert.DoesNotContain("+ LocalQueue team-a/training → gpu-burst", lines);
        Assert.Contains("+ WorkloadPriorityClass high → gpu-burst", lines);
        Assert.Contains("+ helm kueue 0.19.2 → gpu-burst", lines);

        var rendered = RenderAdapter.Render(FirstRun());
        var bag = new DiagnosticBag();
        var shared = YamlJson.ParseDocuments(rendered.Files.Single(f => f.Path == "gpu-shared/workloads.yaml").Content, "w", bag).OfType<JsonObject>().ToList();
        var finetune = shared.Single(d => d["metadata"]!["name"]!.GetValue<string>() == "team-a-finetune");
        Assert.Equal("training", finetune["metadata"]!["labels"]!["kueue.x-k8s.io/queue-name"]!.GetValue<string>());
        Assert.Equal("high", finetune["metadata"]!["labels"]!["kueue.x-k8s.io/priority-class"]!.GetValue<string>());
        var queue = shared.Single(d => d["kind"]!.GetValue<string>() == "ClusterQueue")["spec"]!;
        Assert.Equal("UsageBasedAdmissionFairSharing", queue["admissionScope"]!["admissionMode"]!.GetValue<string>());
        Assert.Equal("LowerPriority", queue["preemption"]!["withinClusterQueue"]!.GetValue<string>());
    }

    [SkippableFact]
    public void Everything_rendered_for_the_scenario_validates_against_the_kueue_and_kuberay_crds()
    {
        SharedMaterial.Require(SharedMaterial.KueueCrds);
        SharedMaterial.Require(SharedMaterial.KubeRayCrds);
        var bag = new DiagnosticBag();
        var crds = new CrdSchemaSet([
            .. CrdSchemaSet.LoadDirectory(SharedMaterial.KueueCrds!, bag).Schemas,
            .. CrdSchemaSet.LoadDirectory(SharedMaterial.KubeRayCrds!, bag).Schemas,
        ]);
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));

        var checkedKinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, content) in RenderAdapter.Render(FirstRun()).Files.Where(f => f.Path.EndsWith("/workloads.yaml", StringComparison.Ordinal)))
        {
            foreach (var document in YamlJson.ParseDocuments(content, path, bag).OfType<JsonObject>().Where(d => d["kind"]!.GetValue<string>() is not ("Namespace" or "NetworkPolicy")))
            {
                var result = crds.Validate(document, path);
                Assert.True(result.Accepted, string.Join("\n", result.Diagnostics));
                Assert.Empty(result.Diagnostics);
                checkedKinds.Add(document["kind"]!.GetValue<string>());
            }
        }

        Assert.Equal(["ClusterQueue", "LocalQueue", "RayJob", "ResourceFlavor", "WorkloadPriorityClass"], checkedKinds);
    }

    [Fact]
    public void When_the_burst_job_is_gone_the_burst_cluster_and_its_queue_go_with_it_and_the_shared_queue_stays()
    {
        var first = FirstRun();
        var spec = Load();
        var fewer = spec with { Workloads = spec.Workloads.Remove("team-b-sweep-2") };
        var previous = StackOutputs.ReadText(StackOutputs.Write(first.Outputs).ToJsonString(), "test").Run!;

        // The burst cluster idles for its idleAfter (30m), then goes away (delete standby); Kueue leaves with it.
        var later = RunPlanner.Plan(new RunRequest(fewer, previous, Now.AddMinutes(5)));
        var idle = later.Plan.Clusters["gpu-burst"];
        Assert.Equal(ClusterState.Active, idle.State);
        Assert.All(idle.Pools, p => Assert.Equal(0, p.DesiredNodes));
        Assert.Equal(KueueAction.Kept, later.Kueue.Decisions["gpu-burst"].Action);
        var afterIdle = RunPlanner.Plan(new RunRequest(fewer, StackOutputs.ReadText(StackOutputs.Write(later.Outputs).ToJsonString(), "test").Run!, Now.AddMinutes(40)));

        Assert.Equal(ClusterState.Absent, afterIdle.Plan.Clusters["gpu-burst"].State);
        Assert.False(afterIdle.Kueue.Decisions.ContainsKey("gpu-burst"));
        Assert.Equal<string>(["gpu-shared"], afterIdle.Outputs.Queues!.Keys);
    }
}
