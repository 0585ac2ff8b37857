using FsCheck.Xunit;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>Invariants of the planner over random fleets (FsCheck picks the seeds; a failure prints the seed).</summary>
public class PlannerProperties
{
    [Property(MaxTest = 150)]
    public void No_pool_is_overcommitted_and_no_pod_is_larger_than_a_node(int seed)
    {
        var fleet = RandomFleet.Generate(seed);
        var spec = fleet.Build();
        var plan = FleetPlanner.Plan(spec);

        foreach (var cluster in plan.Clusters.Values)
        {
            var clusterSpec = spec.Clusters[cluster.Cluster];
            foreach (var pool in cluster.Pools)
            {
                Assert.True(pool.DesiredNodes <= pool.MaxNodes, $"seed {seed}: {cluster.Cluster}/{pool.Pool} desires {pool.DesiredNodes} > max {pool.MaxNodes}");
                var pods = PodsOn(spec, plan, cluster.Cluster, pool.Pool).ToList();
                if (pods.Count == 0)
                {
                    continue;
                }

                Assert.Equal(ClusterState.Active, cluster.State);
                var type = Type(spec, clusterSpec, pool.InstanceType);
                var cpu = SystemReserve.AllocatableCpuMillis(type);
                var mem = SystemReserve.AllocatableMemoryBytes(type);
                Assert.All(pods, p => Assert.True(p.Cpu <= cpu && p.Mem <= mem && p.Gpu <= type.Gpus, $"seed {seed}: a pod larger than a {type.Name} node"));
                Assert.True(pods.Sum(p => p.Cpu) <= cpu * pool.DesiredNodes, $"seed {seed}: CPU overcommitted on {cluster.Cluster}/{pool.Pool}");
                Assert.True(pods.Sum(p => p.Mem) <= mem * pool.DesiredNodes, $"seed {seed}: memory overcommitted on {cluster.Cluster}/{pool.Pool}");
                Assert.True(pods.Sum(p => p.Gpu) <= type.Gpus * pool.DesiredNodes, $"seed {seed}: GPUs overcommitted on {cluster.Cluster}/{pool.Pool}");
            }
        }
    }

    [Property(MaxTest = 150)]
    public void Gpu_pods_never_land_on_pools_without_their_gpu(int seed)
    {
        var spec = RandomFleet.Generate(seed).Build();
        var plan = FleetPlanner.Plan(spec);

        foreach (var placement in plan.Placements.Values)
        {
            var workload = spec.Workloads[placement.Workload];
            foreach (var copy in placement.Copies)
            {
                var cluster = spec.Clusters[copy.Cluster];
                foreach (var group in workload.Demand.Groups.Where(g => g.Pod.Gpus > 0))
                {
                    var pool = cluster.NodePools.Single(p => p.Name == copy.GroupPools[group.Group]);
                    var type = Type(spec, cluster, pool.InstanceType);
                    Assert.True(type.Gpus >= group.Pod.Gpus, $"seed {seed}: {placement.Workload}/{group.Group} on {type.Name}");
                    Assert.True(GpuTypes.Satisfies(group.Pod.GpuType, type.GpuType), $"seed {seed}: {placement.Workload}/{group.Group} wants {group.Pod.GpuType}, got {type.GpuType}");
                }
            }
        }
    }

    [Property(MaxTest = 100)]
    public void The_same_input_gives_the_same_plan_json(int seed)
    {
        var first = PlanJson.Write(RandomFleet.Generate(seed).Plan());
        var second = PlanJson.Write(RandomFleet.Generate(seed).Plan());

        Assert.Equal(first, second);
    }

    [Property(MaxTest = 100)]
    public void A_no_op_re_plan_moves_nothing(int seed)
    {
        var fleet = RandomFleet.Generate(seed);
        var first = fleet.Plan();
        var second = fleet.Plan(PlanJson.Read(PlanJson.Write(first)));

        foreach (var (name, placement) in first.Placements)
        {
            Assert.True(
                placement.Copies.Select(c => c.Cluster).SequenceEqual(second.Placements[name].Copies.Select(c => c.Cluster)),
                $"seed {seed}: {name} moved from [{string.Join(",", placement.Copies.Select(c => c.Cluster))}] to [{string.Join(",", second.Placements[name].Copies.Select(c => c.Cluster))}]");
        }
    }

    [Property(MaxTest = 100)]
    public void Explain_mode_places_like_the_default_mode(int seed)
    {
        var fleet = RandomFleet.Generate(seed);
        var quiet = fleet.Plan();
        var loud = fleet.Plan(explain: true);

        foreach (var (name, placement) in quiet.Placements)
        {
            var other = loud.Placements[name];
            Assert.True(
                placement.Copies.Select(c => (c.Cluster, c.Tier, string.Join(",", c.GroupPools), string.Join(",", c.WorkerReplicas)))
                    .SequenceEqual(other.Copies.Select(c => (c.Cluster, c.Tier, string.Join(",", c.GroupPools), string.Join(",", c.WorkerReplicas)))),
                $"seed {seed}: {name} differs with --explain");
        }
    }

    [Property(MaxTest = 100)]
    public void Duplicate_copies_agree_with_the_verdicts_and_never_exceed_the_matching_clusters(int seed)
    {
        // A consistency check of the planner with its own verdicts; whether each matching cluster that fits gets a copy is
        // worked out by hand in SpreadAndGroupTests.Duplicate_puts_a_copy_on_each_matching_cluster_worked_out_to_fit_and_none_elsewhere.
        var spec = RandomFleet.Generate(seed).Build();
        var plan = FleetPlanner.Plan(spec, null, new PlanOptions(Explain: true));

        foreach (var placement in plan.Placements.Values.Where(p => p.Policy == "dup" && p.IsPlaced))
        {
            var withCopy = placement.Copies.Select(c => c.Cluster).ToHashSet();
            foreach (var verdict in placement.Verdicts)
            {
                Assert.True(verdict.Accepted == withCopy.Contains(verdict.Cluster), $"seed {seed}: {placement.Workload} on {verdict.Cluster}: {verdict.Reason}");
            }

            var matching = spec.Clusters.Values.Count(c => c.Labels.GetValueOrDefault("cluster.class") == "production");
            Assert.True(placement.Copies.Length <= matching);
        }
    }

    [Property(MaxTest = 100)]
    public void Every_workload_is_in_the_plan_and_unplaced_ones_have_a_verdict_for_every_cluster(int seed)
    {
        var spec = RandomFleet.Generate(seed).Build();
        var plan = FleetPlanner.Plan(spec);

        Assert.Equal(spec.Workloads.Keys, plan.Placements.Keys);
        foreach (var placement in plan.Unplaced)
        {
            Assert.False(string.IsNullOrWhiteSpace(placement.UnplacedReason));
            Assert.Equal(spec.Clusters.Keys, placement.Verdicts.Select(v => v.Cluster));
            Assert.All(placement.Verdicts, v => Assert.False(string.IsNullOrWhiteSpace(v.Reason)));
        }

        foreach (var placement in plan.Placements.Values.Where(p => p.Policy == "divide" && p.IsPlaced))
        {
            var workers = spec.Workloads[placement.Workload].Demand.Groups.Skip(1).ToDictionary(g => g.Group, g => g.Count);
            foreach (var (group, count) in workers)
            {
                Assert.Equal(count, placement.Copies.Sum(c => c.WorkerReplicas[group]));
            }
        }
    }

    [Fact]
    public void The_random_fleets_exercise_every_outcome()
    {
        var plans = Enumerable.Range(1, 60).Select(seed => RandomFleet.Generate(seed).Plan()).ToList();
        var placements = plans.SelectMany(p => p.Placements.Values).ToList();

        Assert.True(placements.Count(p => p.IsPlaced) > placements.Count / 3, "most workloads should fit somewhere");
        Assert.Contains(placements, p => !p.IsPlaced);
        Assert.Contains(placements, p => p.Policy == "dup" && p.Copies.Length >= 2);
        Assert.Contains(placements, p => p.Policy == "divide" && p.Copies.Length == 2);
        Assert.Contains(placements, p => p.Copies.Any(c => c.Tier == LaunchTier.CreateCluster));
        Assert.Contains(placements, p => p.Copies.Any(c => c.Tier == LaunchTier.ScaleUp));
        Assert.Contains(placements, p => p.Copies.Any(c => c.GroupPools.ContainsValue("gpu")));
        Assert.Contains(plans, p => p.Clusters.Values.Any(c => c.State == ClusterState.Standby));
    }

    private static InstanceType Type(FleetSpec spec, ClusterSpec cluster, string instanceType) =>
        spec.Catalog.TryGet(cluster.CatalogProvider!, instanceType, out var type) ? type : throw new InvalidOperationException(instanceType);

    private static IEnumerable<(long Cpu, long Mem, int Gpu)> PodsOn(FleetSpec spec, FleetPlan plan, string cluster, string pool)
    {
        foreach (var placement in plan.Placements.Values)
        {
            foreach (var copy in placement.Copies.Where(c => c.Cluster == cluster))
            {
                var demand = spec.Workloads[placement.Workload].Demand.Groups;
                for (var i = 0; i < demand.Length; i++)
                {
                    var group = demand[i];
                    if (copy.GroupPools[group.Group] != pool)
                    {
                        continue;
                    }

                    var count = i == 0 ? group.Count : copy.WorkerReplicas[group.Group];
                    for (var k = 0; k < count; k++)
                    {
                        yield return (group.Pod.CpuMillis, group.Pod.MemoryBytes, group.Pod.Gpus);
                    }
                }
            }
        }
    }
}
