using System.Collections.Immutable;
using System.Globalization;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Benchmarks.Fleets;

/// <summary>
/// Builds <see cref="FleetSpec"/> objects directly (no YAML), deterministically from a <see cref="FleetShape"/>:
/// clusters across aws/azure/gcp, static and dynamic, each with a CPU pool and often a GPU pool; workloads
/// of every Ray kind, CPU and GPU, small to large, under a mix of placement policies.
/// </summary>
internal static class SyntheticFleet
{
    public const string AwsOnly = "aws-only";
    public const string GcpOnly = "gcp-only";
    public const string PreferGcp = "prefer-gcp";
    public const string ProductionEverywhere = "production-everywhere";
    public const string SplitFirstTwo = "split-first-two";
    public const string TeamTogether = "team-together";

    private static readonly string[] Providers = ["aws", "azure", "gcp"];

    private static readonly Dictionary<string, string> Regions = new(StringComparer.Ordinal)
    {
        ["aws"] = "us-east-1",
        ["azure"] = "eastus",
        ["gcp"] = "us-central1",
    };

    private static readonly Dictionary<string, string[]> CpuTypes = new(StringComparer.Ordinal)
    {
        ["aws"] = ["m6i.2xlarge", "m6i.4xlarge", "c6i.4xlarge", "r6i.2xlarge", "m7i.8xlarge"],
        ["azure"] = ["Standard_D8s_v5", "Standard_D16s_v5", "Standard_E8s_v5", "Standard_D32s_v5"],
        ["gcp"] = ["n2-standard-8", "n2-standard-16", "e2-standard-8", "c3-standard-22"],
    };

    private static readonly Dictionary<string, string[]> GpuTypes = new(StringComparer.Ordinal)
    {
        ["aws"] = ["g6.xlarge", "g5.2xlarge", "g6.12xlarge", "p4d.24xlarge"],
        ["azure"] = ["Standard_NC24ads_A100_v4", "Standard_NC40ads_H100_v5"],
        ["gcp"] = ["g2-standard-8", "a2-highgpu-1g", "a3-highgpu-8g"],
    };

    public static FleetSpec Generate(FleetShape shape, InstanceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(catalog);
        var random = new Random(shape.Seed);
        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterSpec>(StringComparer.Ordinal);
        var gpuModels = new SortedSet<string>(StringComparer.Ordinal);
        var width = Math.Max(3, shape.Clusters.ToString(CultureInfo.InvariantCulture).Length);
        for (var i = 0; i < shape.Clusters; i++)
        {
            var cluster = Cluster(i, width, shape, random, catalog, gpuModels);
            clusters[cluster.Name] = cluster;
        }

        var names = clusters.Keys.ToList();
        var policies = Policies(names, shape.SingleCopy);
        var workloads = ImmutableSortedDictionary.CreateBuilder<string, WorkloadSpec>(StringComparer.Ordinal);
        var gpuChoices = gpuModels.ToArray();
        var workloadWidth = Math.Max(3, shape.Workloads.ToString(CultureInfo.InvariantCulture).Length);
        for (var j = 0; j < shape.Workloads; j++)
        {
            var workload = Workload(j, workloadWidth, shape, random, gpuChoices, policies);
            workloads[workload.Name] = workload;
        }

        return new FleetSpec(
            $"synthetic-{shape.Clusters}x{shape.Workloads}-s{shape.Seed}",
            clusters.ToImmutable(),
            workloads.ToImmutable(),
            policies,
            KubeRaySettings.Default,
            catalog);
    }

    private static ClusterSpec Cluster(int i, int width, FleetShape shape, Random random, InstanceCatalog catalog, SortedSet<string> gpuModels)
    {
        var provider = Providers[i % Providers.Length];
        var isStatic = random.NextDouble() < shape.StaticShare || i < 2;
        var name = $"{provider}-{i.ToString("D" + width, CultureInfo.InvariantCulture)}";
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            // A handful of production clusters, whatever the fleet size: Duplicate copies a workload to each.
            ["cluster.class"] = i < 4 ? "production" : "staging",
            ["team"] = $"t{i % 5}",
        });

        var pools = ImmutableArray.CreateBuilder<NodePoolSpec>();
        var cpuType = Pick(random, CpuTypes[provider]);
        // Pools are sized for the load: about twice the fleet's average demand per cluster (≈ 10 vCPU and
        // 0.4 GPU per workload), so most workloads fit and the planner's work, not a full fleet, is measured.
        // Single-copy fleets (the CP-SAT comparison) get fixed roomy pools so every instance is feasible.
        var perCluster = (double)shape.Workloads / Math.Max(1, shape.Clusters);
        catalog.TryGet(provider, cpuType, out var cpuInstance);
        var cpuMax = shape.SingleCopy
            ? random.Next(30, 61)
            : Math.Clamp((int)Math.Ceiling(perCluster * 20 / cpuInstance.VCpus), 10, 20_000) + random.Next(0, 10);
        pools.Add(Pool("cpu", cpuType, isStatic ? shape.StaticMinNodes : 0, cpuMax));
        if (random.NextDouble() < 0.6 || i < 3)
        {
            var gpuType = Pick(random, GpuTypes[provider]);
            catalog.TryGet(provider, gpuType, out var gpuInstance);
            var gpuMax = shape.SingleCopy
                ? random.Next(8, 17)
                : Math.Clamp((int)Math.Ceiling(perCluster * 2.5 * shape.GpuShare * 3 / Math.Max(1, gpuInstance.Gpus)), 2, 5_000) + random.Next(0, 4);
            // GKE GPU pools name their zones (validation requires it); us-central1-a and -c offer L4, A100 and H100.
            var gpuPool = Pool("gpu", gpuType, 0, gpuMax);
            pools.Add(provider == "gcp" ? gpuPool with { Zones = ["us-central1-a", "us-central1-c"] } : gpuPool);
            if (gpuInstance.GpuType is { } model)
            {
                gpuModels.Add(model);
            }
        }

        var cloud = provider switch
        {
            "aws" => CloudProvider.Aws,
            "azure" => CloudProvider.Azure,
            _ => CloudProvider.Gcp,
        };
        return new ClusterSpec(
            name,
            cloud,
            Regions[provider],
            "1.35",
            isStatic ? ClusterLifecycle.Static : ClusterLifecycle.Dynamic,
            isStatic ? null : new StandbySpec(StandbyMode.Suspend, TimeSpan.FromMinutes(30)),
            labels,
            pools.ToImmutable(),
            Aws: cloud == CloudProvider.Aws ? new AwsSettings([], "10.0.0.0/16") : null,
            Azure: cloud == CloudProvider.Azure ? new AzureSettings(null) : null,
            Gcp: cloud == CloudProvider.Gcp ? new GcpSettings(null) : null);
    }

    private static NodePoolSpec Pool(string name, string type, int min, int max) =>
        new(name, type, min, max, Spot: false, ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), []);

    private static ImmutableSortedDictionary<string, SchedulePolicy> Policies(List<string> clusters, bool singleCopy)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, SchedulePolicy>(StringComparer.Ordinal);
        void Add(string name, LabelSelector? cluster = null, LabelSelector? ordered = null, string? groupBy = null, SpreadConstraints? spread = null) =>
            result[name] = new SchedulePolicy(name, "synthetic", null, [], cluster, ordered, groupBy, spread);

        Add(AwsOnly, cluster: In(WellKnownLabels.Provider, "aws"));
        Add(GcpOnly, cluster: In(WellKnownLabels.Provider, "gcp"));
        if (!singleCopy)
        {
            Add(PreferGcp, ordered: In(WellKnownLabels.Provider, "gcp", "aws", "azure"));
            Add(TeamTogether, groupBy: "team");
            Add(
                ProductionEverywhere,
                cluster: new LabelSelector(Labels(("cluster.class", "production")), []),
                spread: new SpreadConstraints(SpreadMode.Duplicate, WellKnownLabels.ClusterName, [], []));
            Add(
                SplitFirstTwo,
                cluster: In(WellKnownLabels.ClusterName, clusters[0], clusters[1]),
                spread: new SpreadConstraints(
                    SpreadMode.Divide,
                    WellKnownLabels.ClusterName,
                    [new PercentageSplit(clusters[0], 60), new PercentageSplit(clusters[1], 40)],
                    []));
        }

        return result.ToImmutable();
    }

    private static LabelSelector In(string key, params string[] values) =>
        new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), [new SelectorRequirement(key, SelectorOperator.In, [.. values])]);

    private static ImmutableSortedDictionary<string, string> Labels(params (string Key, string Value)[] pairs) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    private static WorkloadSpec Workload(int j, int width, FleetShape shape, Random random, string[] gpuModels, ImmutableSortedDictionary<string, SchedulePolicy> policies)
    {
        var kind = (RayKind)(j % 3);
        var name = $"w{j.ToString("D" + width, CultureInfo.InvariantCulture)}";
        var team = $"t{random.Next(0, 8)}";
        var roll = random.NextDouble();
        var gpu = gpuModels.Length > 0 && roll < shape.GpuShare;
        var head = Group("head", cpu: random.Next(1, 3), memoryGi: 4 * random.Next(1, 3), gpu: 0, gpuType: null, replicas: 1);
        RayGroupSpec worker;
        if (gpu)
        {
            worker = Group("gpu-workers", cpu: 3, memoryGi: 12, gpu: 1, gpuType: Pick(random, gpuModels), replicas: random.Next(1, 5));
        }
        else if (roll < shape.GpuShare + 0.25)
        {
            // Up to 6 CPU / 24 Gi per pod: one pod fits every CPU type the generator uses (8 vCPU / 32 GiB at least).
            worker = Group("workers", cpu: 2 * random.Next(2, 4), memoryGi: 12 * random.Next(1, 3), gpu: 0, gpuType: null, replicas: random.Next(2, 9));
        }
        else
        {
            worker = Group("workers", cpu: random.Next(1, 3), memoryGi: 2 * random.Next(1, 5), gpu: 0, gpuType: null, replicas: random.Next(1, 5));
        }

        // A GPU model may exist on one provider only, so GPU workloads of single-copy fleets keep the default policy.
        var policyRoll = random.NextDouble();
        var policy = gpu && shape.SingleCopy ? null : PolicyFor(policyRoll, gpu, policies);
        var demand = new WorkloadDemand([Demand(head), Demand(worker)]);
        return new WorkloadSpec(
            name,
            kind,
            $"team-{team}",
            Labels(("app", name), ("team", team)),
            policy,
            "2.52.0",
            "rayproject/ray:2.52.0",
            head,
            [worker],
            kind == RayKind.RayJob ? new RayJobSettings("python main.py", null, true, null, null) : null,
            kind == RayKind.RayService ? new RayServiceSettings("applications: []") : null,
            null,
            demand);
    }

    private static string? PolicyFor(double roll, bool gpu, ImmutableSortedDictionary<string, SchedulePolicy> policies)
    {
        // Half the workloads take the default (available capacity); the rest spread over the policies present.
        string? choice = roll switch
        {
            < 0.5 => null,
            < 0.6 => AwsOnly,
            < 0.7 => GcpOnly,
            < 0.8 => PreferGcp,
            < 0.87 => TeamTogether,
            < 0.94 => gpu ? null : ProductionEverywhere,
            _ => gpu ? null : SplitFirstTwo,
        };
        return choice is not null && policies.ContainsKey(choice) ? choice : null;
    }

    private static RayGroupSpec Group(string name, int cpu, int memoryGi, int gpu, string? gpuType, int replicas) =>
        new(
            name,
            cpu.ToString(CultureInfo.InvariantCulture),
            $"{memoryGi}Gi",
            gpu,
            gpuType,
            replicas,
            name == "head" ? 1 : Math.Max(0, replicas - 1),
            name == "head" ? 1 : replicas * 2,
            ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    private static PodGroupDemand Demand(RayGroupSpec group) =>
        new(
            group.Name,
            new PodShape(
                long.Parse(group.Cpu, CultureInfo.InvariantCulture) * 1000,
                long.Parse(group.Memory.TrimEnd('i', 'G'), CultureInfo.InvariantCulture) << 30,
                group.Gpu,
                group.GpuType),
            group.Replicas,
            group.MinReplicas,
            group.MaxReplicas);

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
