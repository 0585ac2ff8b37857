using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>A cluster of a <see cref="MixedFleet"/>: what the generator decided, kept so a test can change it between re-plans.</summary>
internal sealed record MixedCluster(string Name, CloudProvider Provider, bool Dynamic, string Class, string Zone, string CpuType, bool CpuTainted, bool CpuSpot, string? GpuType, int GpuMax, int CpuMin, int CpuMax);

/// <summary>
/// A workload of a <see cref="MixedFleet"/>: its groups, its toleration for the <c>dedicated</c> key (<c>Exists</c>,
/// <c>Equal</c> to <c>ray</c>, <c>OtherValue</c> = Equal to <c>batch</c>, which does not tolerate the taint, or none) and
/// whether it is a raw spec.
/// </summary>
internal sealed record MixedWorkload(string Name, RayKind Kind, string? Policy, string? Team, long HeadCpu, int HeadMemGiB, ImmutableArray<MixedGroup> Groups, string? Toleration, bool Raw);

/// <summary>One worker group of a <see cref="MixedWorkload"/>.</summary>
internal sealed record MixedGroup(string Name, int Count, long CpuMillis, int MemGiB, int Gpus, string? GpuType);

/// <summary>
/// Random but seed-determined fleets that cover what <see cref="RandomFleet"/> does not: several worker groups, pools tainted
/// <c>dedicated=ray:NoSchedule</c> with workloads that do or do not tolerate it (as a setting or, for raw specs, in the pod
/// template), spot pools on every cloud, existing (kubeconfig) clusters, workloads given as a raw KubeRay spec, and every
/// named policy kind: specified clusters (<c>sel</c>), priority (<c>ordered</c>), spread Duplicate by cluster (<c>dup</c>)
/// and by zone (<c>dup-zone</c>), spread Divide with a split (<c>divide</c>), groupBy (<c>grouped</c>) and available capacity
/// (no policy). The fleet is a plain description, so a re-plan test can change it and build it again.
/// </summary>
internal sealed record MixedFleet(ImmutableArray<MixedCluster> Clusters, ImmutableArray<MixedWorkload> Workloads)
{
    /// <summary>The taint some pools carry and some workloads tolerate.</summary>
    public static readonly NodeTaint Dedicated = new("dedicated", "ray", "NoSchedule");

    private static readonly (CloudProvider Provider, string[] Cpu, string[] Gpu)[] Clouds =
    [
        (CloudProvider.Aws, ["m5.xlarge", "m5.4xlarge"], ["g5.xlarge", "g5.12xlarge"]),
        (CloudProvider.Gcp, ["n2-standard-8"], ["g2-standard-8", "a2-highgpu-1g"]),
        (CloudProvider.Azure, ["Standard_D8s_v5"], ["Standard_NC24ads_A100_v4"]),
        (CloudProvider.Existing, ["n2-standard-8", "m5.4xlarge"], ["g5.12xlarge"]),
    ];

    private static readonly string[] GpuTypes = ["L4", "A10G", "A100"];

    private static readonly string?[] Policies = [null, null, "sel", "ordered", "dup", "dup-zone", "divide"];

    public static MixedFleet Generate(int seed)
    {
        var random = new Random(seed);
        var clusters = ImmutableArray.CreateBuilder<MixedCluster>();
        var clusterCount = random.Next(2, 7);
        for (var i = 0; i < clusterCount; i++)
        {
            var cloud = Clouds[random.Next(Clouds.Length)];
            var existing = cloud.Provider == CloudProvider.Existing;
            var dynamic = !existing && random.Next(3) == 0;
            var cpuMin = dynamic ? 0 : random.Next(0, 3);
            clusters.Add(new MixedCluster(
                $"c{i}-{cloud.Provider.ToString().ToLowerInvariant()}",
                cloud.Provider,
                dynamic,
                random.Next(2) == 0 ? "production" : "development",
                random.Next(2) == 0 ? "a" : "b",
                cloud.Cpu[random.Next(cloud.Cpu.Length)],
                random.Next(3) == 0,
                !existing && random.Next(3) == 0,
                random.Next(2) == 0 ? cloud.Gpu[random.Next(cloud.Gpu.Length)] : null,
                random.Next(1, 4),
                cpuMin,
                cpuMin + random.Next(2, 7)));
        }

        var workloads = ImmutableArray.CreateBuilder<MixedWorkload>();
        var workloadCount = random.Next(3, 16);
        for (var j = 0; j < workloadCount; j++)
        {
            workloads.Add(NewWorkload(random, $"w{j:D2}"));
        }

        return new MixedFleet(clusters.ToImmutable(), workloads.ToImmutable());
    }

    /// <summary>A random workload named <paramref name="name"/>: one to three worker groups, at most one of them on GPUs.</summary>
    public static MixedWorkload NewWorkload(Random random, string name)
    {
        var policy = Policies[random.Next(Policies.Length)];
        var team = policy is null && random.Next(4) == 0 ? $"t{random.Next(3)}" : null;
        var raw = random.Next(4) == 0;
        var groups = ImmutableArray.CreateBuilder<MixedGroup>();
        var groupCount = random.Next(1, 4);
        var gpuGroup = random.Next(4) == 0 ? random.Next(groupCount) : -1;
        for (var g = 0; g < groupCount; g++)
        {
            var gpus = g == gpuGroup ? random.Next(1, 3) : 0;
            groups.Add(new MixedGroup(
                $"g{g}",
                random.Next(0, 4),
                500L * random.Next(1, 7),
                random.Next(1, 13),
                gpus,
                gpus > 0 && !raw && random.Next(3) > 0 ? GpuTypes[random.Next(GpuTypes.Length)] : null));
        }

        var toleration = random.Next(4) switch { 0 => "Exists", 1 => "Equal", 2 => "OtherValue", _ => null };
        return new MixedWorkload(
            name,
            raw ? RayKind.RayCluster : (RayKind)random.Next(3),
            policy,
            team,
            500L * random.Next(1, 5),
            random.Next(1, 9),
            groups.ToImmutable(),
            toleration,
            raw);
    }

    public FleetSpec Build()
    {
        var fleet = new FleetBuilder();
        foreach (var c in Clusters)
        {
            fleet.Cluster(c.Name, b =>
            {
                b = b.Provider(c.Provider).Label("cluster.class", c.Class).Label("zone", c.Zone);
                b = c.Dynamic ? b.Dynamic() : b;
                b = b.Pool("cpu", c.CpuType, c.CpuMin, c.CpuMax, c.CpuSpot, c.CpuTainted ? [Dedicated] : []);
                return c.GpuType is null ? b : b.Pool("gpu", c.GpuType, 0, c.GpuMax, c.CpuSpot, []);
            });
        }

        string[] names = [.. Clusters.Take(2).Select(c => c.Name)];
        fleet.Policy("sel", p => p.Clusters("cluster.class", "production"));
        fleet.Policy("ordered", p => p.Ordered(WellKnownLabels.Provider, "gcp", "aws", "azure"));
        fleet.Policy("dup", p => p.Clusters("cluster.class", "production").Duplicate());
        fleet.Policy("dup-zone", p => p.Duplicate("zone"));
        fleet.Policy("divide", p => p.ClustersIn(WellKnownLabels.ClusterName, names).Divide(split: [(names[0], 30), (names[^1], 70)]));
        fleet.Policy("grouped", p => p.InNamespace("teams").GroupBy("team"));

        foreach (var w in Workloads)
        {
            fleet.Workload(w.Raw ? RawSpec(w) : Structured(w));
        }

        return fleet.Build();
    }

    /// <summary>The tolerations a workload's pods carry for <see cref="Dedicated"/>, as the generator chose them.</summary>
    public static ImmutableArray<Toleration> TolerationsOf(MixedWorkload w) => w.Toleration switch
    {
        "Exists" => [new Toleration("dedicated", Toleration.ExistsOperator, null, "NoSchedule")],
        "Equal" => [new Toleration("dedicated", Toleration.EqualOperator, "ray", "NoSchedule")],
        "OtherValue" => [new Toleration("dedicated", Toleration.EqualOperator, "batch", "NoSchedule")],
        _ => [],
    };

    private static WorkloadSpec Structured(MixedWorkload w)
    {
        var b = new WorkloadBuilder(w.Name).Kind(w.Kind).Head(w.HeadCpu, w.HeadMemGiB);
        b = w.Policy is null ? b : b.Policy(w.Policy);
        b = w.Team is null ? b : b.Namespace("teams").Label("team", w.Team);
        b = w.Toleration switch
        {
            "Exists" => b.Tolerate("dedicated"),
            "Equal" => b.Tolerate("dedicated", "ray"),
            "OtherValue" => b.Tolerate("dedicated", "batch"),
            _ => b,
        };
        foreach (var g in w.Groups)
        {
            b = b.Workers(g.Name, g.Count, g.CpuMillis, g.MemGiB, g.Gpus, g.GpuType);
        }

        return b.Build();
    }

    /// <summary>The workload as a raw RayCluster spec, its tolerations in the pod templates, read as the config reader reads one.</summary>
    private static WorkloadSpec RawSpec(MixedWorkload w)
    {
        // Raw specs name no GPU model: any GPU fits, as a template without a GPU node selector says.
        JsonObject Template(string container, long cpu, int memGiB, int gpus)
        {
            var requests = new JsonObject { ["cpu"] = $"{cpu}m", ["memory"] = $"{memGiB}Gi" };
            var limits = new JsonObject();
            if (gpus > 0)
            {
                limits["nvidia.com/gpu"] = gpus;
                requests["nvidia.com/gpu"] = gpus;
            }

            var spec = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = container,
                    ["image"] = "rayproject/ray:2.52.0",
                    ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = limits },
                }),
            };
            var tolerations = new JsonArray();
            foreach (var t in TolerationsOf(w))
            {
                var item = new JsonObject { ["key"] = t.Key, ["operator"] = t.Operator, ["effect"] = t.Effect };
                if (t.Value is not null)
                {
                    item["value"] = t.Value;
                }

                tolerations.Add(item);
            }

            if (tolerations.Count > 0)
            {
                spec["tolerations"] = tolerations;
            }

            return new JsonObject { ["spec"] = spec };
        }

        var raw = new JsonObject
        {
            ["rayVersion"] = "2.52.0",
            ["headGroupSpec"] = new JsonObject { ["rayStartParams"] = new JsonObject(), ["template"] = Template("ray-head", w.HeadCpu, w.HeadMemGiB, 0) },
            ["workerGroupSpecs"] = new JsonArray([.. w.Groups.Select(g => (JsonNode)new JsonObject
            {
                ["groupName"] = g.Name,
                ["replicas"] = g.Count,
                ["minReplicas"] = 0,
                ["maxReplicas"] = Math.Max(g.Count, 1),
                ["rayStartParams"] = new JsonObject(),
                ["template"] = Template("ray-worker", g.CpuMillis, g.MemGiB, g.Gpus),
            })]),
        };
        var bag = new DiagnosticBag();
        var demand = RawSpecDemand.Compute(RayKind.RayCluster, raw, $"skyray:workloads.{w.Name}.spec", bag);
        if (bag.Items.Count > 0)
        {
            throw new InvalidOperationException($"{w.Name}: the generated raw spec is invalid: {string.Join("; ", bag.Items)}");
        }

        var empty = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
        var labels = w.Team is null ? empty : empty.Add("team", w.Team);
        return new WorkloadSpec(w.Name, RayKind.RayCluster, w.Team is null ? "default" : "teams", labels, w.Policy, "2.52.0", "rayproject/ray:2.52.0", null, [], null, null, raw, demand)
        {
            TemplateTolerations = RawSpecDemand.TemplateTolerations(RayKind.RayCluster, raw),
        };
    }
}
