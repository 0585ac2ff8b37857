using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>Random but seed-determined fleets for property tests: mixed clouds, lifecycles, standby, GPU pools and policies.</summary>
internal static class RandomFleet
{
    private static readonly (CloudProvider Provider, string[] Cpu, string[] Gpu)[] Clouds =
    [
        (CloudProvider.Aws, ["m5.xlarge", "m5.4xlarge"], ["g5.xlarge", "g5.12xlarge", "p4d.24xlarge"]),
        (CloudProvider.Gcp, ["n2-standard-8"], ["g2-standard-8", "g2-standard-24", "a2-highgpu-1g"]),
        (CloudProvider.Azure, ["Standard_D8s_v5"], ["Standard_NC24ads_A100_v4"]),
    ];

    private static readonly string[] GpuTypes = ["L4", "A10G", "A100"];

    public static FleetBuilder Generate(int seed)
    {
        var random = new Random(seed);
        var fleet = new FleetBuilder();
        var clusterCount = random.Next(2, 9);
        var names = new List<string>();
        for (var i = 0; i < clusterCount; i++)
        {
            var cloud = Clouds[random.Next(Clouds.Length)];
            var name = $"c{i}-{cloud.Provider.ToString().ToLowerInvariant()}";
            names.Add(name);
            var dynamic = random.Next(3) == 0;
            var standby = random.Next(4) == 0 ? (StandbyMode?)(random.Next(2) == 0 ? StandbyMode.Suspend : StandbyMode.Delete) : null;
            var cls = random.Next(2) == 0 ? "production" : "development";
            var cpuType = cloud.Cpu[random.Next(cloud.Cpu.Length)];
            var gpuType = random.Next(2) == 0 ? cloud.Gpu[random.Next(cloud.Gpu.Length)] : null;
            var cpuMin = dynamic ? 0 : random.Next(0, 3);
            var cpuMax = cpuMin + random.Next(0, 5);
            var gpuMax = random.Next(0, 4);
            fleet.Cluster(name, c =>
            {
                c = c.Provider(cloud.Provider).Label("cluster.class", cls).Label("zone", random.Next(2) == 0 ? "a" : "b");
                c = dynamic ? c.Dynamic() : c;
                c = standby is { } mode ? c.Standby(mode) : c;
                c = c.Pool("cpu", cpuType, cpuMin, Math.Max(cpuMax, 1));
                return gpuType is null ? c : c.Pool("gpu", gpuType, 0, Math.Max(gpuMax, 1));
            });
        }

        fleet.Policy("prod", p => p.Clusters("cluster.class", "production"));
        fleet.Policy("ordered", p => p.Ordered(WellKnownLabels.Provider, "gcp", "aws", "azure"));
        fleet.Policy("dup", p => p.Clusters("cluster.class", "production").Duplicate());
        fleet.Policy("dup-zone", p => p.Duplicate("zone"));
        fleet.Policy("divide", p => p.ClustersIn(WellKnownLabels.ClusterName, names[0], names[1]).Divide(split: [(names[0], 30), (names[1], 70)]));
        fleet.Policy("grouped", p => p.InNamespace("teams").GroupBy("team"));

        string?[] policies = [null, null, null, "prod", "ordered", "dup", "dup-zone", "divide"];
        var workloadCount = random.Next(3, 30);
        for (var j = 0; j < workloadCount; j++)
        {
            var policy = policies[random.Next(policies.Length)];
            var grouped = policy is null && random.Next(5) == 0;
            var gpu = random.Next(4) == 0;
            var kind = (RayKind)random.Next(3);
            var workers = random.Next(0, 6);
            var cpu = 500L * random.Next(1, 17);
            var mem = (long)random.Next(1, 33);
            var gpus = gpu ? random.Next(1, 3) : 0;
            var gpuType = gpu && random.Next(3) > 0 ? GpuTypes[random.Next(GpuTypes.Length)] : null;
            var headCpu = 500L * random.Next(1, 5);
            var team = $"t{random.Next(3)}";
            fleet.Workload($"w{j:D2}", w =>
            {
                w = w.Kind(kind).Head(headCpu, random.Next(1, 9));
                w = policy is null ? w : w.Policy(policy);
                w = grouped ? w.Namespace("teams").Label("team", team) : w;
                return w.Workers("workers", workers, cpu, mem, gpus, gpuType);
            });
        }

        return fleet;
    }
}
