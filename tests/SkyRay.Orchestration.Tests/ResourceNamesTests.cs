using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Naming;
using SkyRay.Orchestration.Tests.Builders;

namespace SkyRay.Orchestration.Tests;

public sealed class ResourceNamesTests
{
    private static FleetSpecBuilder Types() => new FleetSpecBuilder()
        .InstanceType("m6i.xlarge", "aws", 0.2m)
        .InstanceType("n2-standard-4", "gcp", 0.2m);

    [Fact]
    public void Cluster_and_workload_names_joining_to_one_name_are_an_error_at_the_workload_naming_both_owners()
    {
        var spec = Types()
            .Cluster(ClusterBuilder.Existing("east", "kind-east"))
            .Cluster(ClusterBuilder.Existing("east-west", "kind-east-west"))
            .Workload(new WorkloadBuilder("west-llm"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();

        var error = Assert.Single(ResourceNames.Find(spec));

        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal("skyray:workloads.west-llm", error.Path);
        Assert.Equal(
            "the workload resource name 'east-west-llm' would be used by workload 'llm' on cluster 'east-west' and workload 'west-llm' on cluster 'east'; Pulumi needs unique names",
            error.Message);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Workload_namespaces_that_join_to_one_name_are_an_error_at_the_cluster()
    {
        var spec = Types()
            .Cluster(ClusterBuilder.Existing("lab", "kind-lab"))
            .Cluster(ClusterBuilder.Existing("lab-ns-ml", "kind-lab2"))
            .Workload(new WorkloadBuilder("a").Namespace("ml-ns-training"))
            .Workload(new WorkloadBuilder("b").Namespace("training"))
            .Build();

        var error = Assert.Single(ResourceNames.Find(spec));

        Assert.Equal("skyray:clusters.lab-ns-ml", error.Path);
        Assert.Contains("namespace resource name 'lab-ns-ml-ns-training' would be used by namespace 'ml-ns-training' on cluster 'lab' and namespace 'training' on cluster 'lab-ns-ml'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pools_clash_only_within_one_cloud_and_existing_clusters_declare_no_pools()
    {
        var sameCloud = Types()
            .Cluster(ClusterBuilder.Aws("east").Pool("gpu-pool-a", "m6i.xlarge", 0, 2))
            .Cluster(ClusterBuilder.Aws("east-pool-gpu").Pool("a", "m6i.xlarge", 0, 2))
            .Build();
        var otherCloud = Types()
            .Cluster(ClusterBuilder.Aws("east").Pool("gpu-pool-a", "m6i.xlarge", 0, 2))
            .Cluster(ClusterBuilder.Gcp("east-pool-gpu").Pool("a", "n2-standard-4", 0, 2))
            .Build();

        var error = Assert.Single(ResourceNames.Find(sameCloud));
        Assert.Equal("skyray:clusters.east.nodePools", error.Path);
        Assert.Contains("aws node pool resource name 'east-pool-gpu-pool-a'", error.Message, StringComparison.Ordinal);
        Assert.Empty(ResourceNames.Find(otherCloud));
    }

    [Fact]
    public void Distinct_names_give_no_error_and_fleet_loading_reports_clashes_like_any_config_error()
    {
        var fine = Types()
            .Cluster(ClusterBuilder.Existing("east", "kind-east"))
            .Cluster(ClusterBuilder.Existing("west", "kind-west"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();
        var clash = Types()
            .Cluster(ClusterBuilder.Existing("east", "kind-east"))
            .Cluster(ClusterBuilder.Existing("east-west", "kind-east-west"))
            .Workload(new WorkloadBuilder("west-llm"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();

        Assert.Empty(ResourceNames.Find(fine));
        var loaded = FleetLoading.Complete(new Result<FleetSpec>(clash, []));
        Assert.False(loaded.Ok);
        Assert.Contains(loaded.Diagnostics, d => d.Path == "skyray:workloads.west-llm" && d.Severity == Severity.Error);
    }

    [Fact]
    public void Three_clusters_chained_by_dashes_share_one_name_in_one_error_naming_all_three()
    {
        // a-b-c-w is a + b-c-w, a-b + c-w and a-b-c + w.
        var spec = Types()
            .Cluster(ClusterBuilder.Existing("a", "k1"))
            .Cluster(ClusterBuilder.Existing("a-b", "k2"))
            .Cluster(ClusterBuilder.Existing("a-b-c", "k3"))
            .Workload(new WorkloadBuilder("b-c-w"))
            .Workload(new WorkloadBuilder("c-w"))
            .Workload(new WorkloadBuilder("w"))
            .Build();

        var clash = Assert.Single(ResourceNames.Find(spec), d => d.Message.Contains("'a-b-c-w'", StringComparison.Ordinal));

        Assert.Equal(
            "the workload resource name 'a-b-c-w' would be used by workload 'b-c-w' on cluster 'a' and workload 'c-w' on cluster 'a-b' and workload 'w' on cluster 'a-b-c'; Pulumi needs unique names",
            clash.Message);
        Assert.Equal("skyray:workloads.w", clash.Path);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Findings_equal_a_check_of_every_cluster_and_name_pair(int seed)
    {
        // Names built from a few dashed syllables, so clashes of every kind (workloads, namespaces, pools) are common.
        var random = new Random(seed);
        string Name(int parts) => string.Join("-", Enumerable.Range(0, parts).Select(_ => "abc"[random.Next(3)].ToString()));
        var builder = Types();
        var clusters = Enumerable.Range(0, random.Next(1, 9)).Select(_ => Name(random.Next(1, 4))).Distinct().ToList();
        foreach (var name in clusters)
        {
            var cluster = random.Next(3) switch
            {
                0 => ClusterBuilder.Existing(name, "ctx-" + name),
                1 => ClusterBuilder.Aws(name),
                _ => ClusterBuilder.Gcp(name),
            };
            foreach (var pool in Enumerable.Range(0, random.Next(0, 3)).Select(_ => Name(random.Next(1, 5))).Distinct())
            {
                cluster = cluster.Pool(pool, name.Length % 2 == 0 ? "m6i.xlarge" : "n2-standard-4", 0, 1);
            }

            builder = builder.Cluster(cluster);
        }

        foreach (var workload in Enumerable.Range(0, random.Next(1, 12)).Select(_ => Name(random.Next(1, 5))).Distinct())
        {
            builder = builder.Workload(new WorkloadBuilder(workload).Namespace(random.Next(2) == 0 ? "default" : Name(random.Next(1, 4))));
        }

        var spec = builder.Build();

        Assert.Equal(EveryPair(spec), ResourceNames.Find(spec));
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 300)];

    /// <summary>The oracle: every cluster × name claim, grouped by kind and name (quadratic, fine for small specs).</summary>
    private static List<Diagnostic> EveryPair(FleetSpec spec)
    {
        var claims = new List<(string Kind, string Name, string Owner, string Path)>();
        foreach (var cluster in spec.Clusters.Values)
        {
            if (cluster.Provider != CloudProvider.Existing)
            {
                var kind = cluster.Provider switch { CloudProvider.Aws => "aws", CloudProvider.Azure => "azure", _ => "gcp" } + " node pool";
                claims.AddRange(cluster.NodePools.Select(p => (kind, $"{cluster.Name}-pool-{p.Name}", $"pool '{p.Name}' of cluster '{cluster.Name}'", $"skyray:clusters.{cluster.Name}.nodePools")));
            }

            var namespaces = spec.Workloads.Values.Select(w => w.Namespace)
                .Where(ns => ns is not ("default" or "kube-system" or "kube-public" or "kube-node-lease") && ns != spec.KubeRay.Namespace)
                .Distinct();
            claims.AddRange(namespaces.Select(ns => ("namespace", $"{cluster.Name}-ns-{ns}", $"namespace '{ns}' on cluster '{cluster.Name}'", $"skyray:clusters.{cluster.Name}")));
            claims.AddRange(spec.Workloads.Values.Select(w => ("workload", $"{cluster.Name}-{w.Name}", $"workload '{w.Name}' on cluster '{cluster.Name}'", $"skyray:workloads.{w.Name}")));
        }

        var result = new List<Diagnostic>();
        foreach (var group in claims.GroupBy(c => (c.Kind, c.Name)).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var owners = group.DistinctBy(c => c.Owner).OrderBy(c => c.Owner, StringComparer.Ordinal).ToList();
            if (owners.Count > 1)
            {
                result.Add(new Diagnostic(
                    Severity.Error,
                    owners[^1].Path,
                    $"the {group.Key.Kind} resource name '{group.Key.Name}' would be used by {string.Join(" and ", owners.Select(o => o.Owner))}; Pulumi needs unique names",
                    "rename one of the clusters, or the workload, namespace or pool, so that '<cluster>-<name>' differs (placement may put any workload on any cluster, so every pair counts)"));
            }
        }

        return result;
    }
}
