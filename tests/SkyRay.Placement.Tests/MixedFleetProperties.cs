using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// Invariants over <see cref="MixedFleet"/>s (several worker groups, taints, spot pools, existing clusters, raw specs, every
/// named policy) and over a re-plan after a config change, each checked from the fleet description by hand, not by asking
/// the planner: policy selectors, pool capacity, taints, GPU pools, groupBy, Divide sums, reasons for what is unplaced, and
/// the stability docs/placement.md promises ("Order and stability").
/// </summary>
public class MixedFleetProperties
{
    /// <summary>A config change made between two plans.</summary>
    internal enum Change
    {
        RemoveWorkload,
        AddWorkload,
        MoreReplicas,
        FewerReplicas,
        RelabelCluster,
        RemoveCluster,
    }

    /// <summary>Fixed seeds, so every run checks the same fleets; a failure names its seed.</summary>
    public const int Seeds = 150;

    [Fact]
    public void A_re_plan_after_a_config_change_keeps_every_invariant_and_moves_only_what_changed()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            RePlan(seed);
        }
    }

    private static void RePlan(int seed)
    {
        var fleet = MixedFleet.Generate(seed);
        var first = FleetPlanner.Plan(fleet.Build());
        CheckInvariants(fleet, first, $"seed {seed} first plan");

        var (changed, change, touched) = Mutate(fleet, seed);
        var previous = PlanJson.Read(PlanJson.Write(first));
        var second = FleetPlanner.Plan(changed.Build(), previous);
        CheckInvariants(changed, second, $"seed {seed} re-plan after {change} of {touched}");
        CheckStability(fleet, first, changed, second, change, touched, $"seed {seed} re-plan after {change} of {touched}");
    }

    [Fact]
    public void The_mixed_fleets_exercise_every_feature_and_every_change()
    {
        var tolerated = false;
        var spot = false;
        var existing = false;
        var raw = false;
        var multiGroup = false;
        var grouped = false;
        var moved = false;
        var policies = new HashSet<string>(StringComparer.Ordinal);
        var changes = new HashSet<Change>();
        var unplaced = 0;
        var placed = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            var fleet = MixedFleet.Generate(seed);
            var plan = FleetPlanner.Plan(fleet.Build());
            var (changed, change, _) = Mutate(fleet, seed);
            changes.Add(change);
            var second = FleetPlanner.Plan(changed.Build(), plan);
            moved |= plan.Placements.Any(p => second.Placements.TryGetValue(p.Key, out var q) && p.Value.IsPlaced && q.IsPlaced &&
                !p.Value.Copies.Select(c => c.Cluster).SequenceEqual(q.Copies.Select(c => c.Cluster)));
            var clusters = fleet.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);
            foreach (var w in fleet.Workloads)
            {
                var placement = plan.Placements[w.Name];
                if (!placement.IsPlaced)
                {
                    unplaced++;
                    continue;
                }

                placed++;
                policies.Add(w.Policy ?? (w.Team is null ? "(none)" : "grouped"));
                raw |= w.Raw;
                grouped |= w.Team is not null;
                multiGroup |= w.Groups.Count(g => g.Count > 0) >= 2;
                foreach (var copy in placement.Copies)
                {
                    var c = clusters[copy.Cluster];
                    existing |= c.Provider == CloudProvider.Existing;
                    spot |= c.CpuSpot && copy.GroupPools.ContainsValue("cpu");
                    tolerated |= c.CpuTainted && copy.GroupPools.ContainsValue("cpu");
                }
            }
        }

        Assert.True(placed > 2 * unplaced, $"most workloads should fit somewhere: {placed} placed, {unplaced} unplaced");
        Assert.True(unplaced > 0);
        Assert.True(tolerated, "a tolerating workload on a tainted pool");
        Assert.True(spot, "work on a spot pool");
        Assert.True(existing, "work on an existing cluster");
        Assert.True(raw, "a raw spec placed");
        Assert.True(multiGroup, "a workload with several non-empty worker groups placed");
        Assert.True(grouped, "a groupBy workload placed");
        Assert.True(moved, "a change that moves a workload");
        Assert.Equal(["(none)", "divide", "dup", "dup-zone", "grouped", "ordered", "sel"], policies.Order(StringComparer.Ordinal));
        Assert.Equal(Enum.GetValues<Change>(), changes.Order());
    }

    /// <summary>One change picked by the seed; returns the changed fleet, the change and the workload or cluster it touched.</summary>
    internal static (MixedFleet Fleet, Change Change, string Touched) Mutate(MixedFleet fleet, int seed)
    {
        var random = new Random(unchecked(seed * 31 + 7));
        var change = (Change)random.Next(Enum.GetValues<Change>().Length);
        if (change == Change.RemoveCluster && fleet.Clusters.Length <= 2)
        {
            change = Change.RelabelCluster;
        }

        var withGroups = fleet.Workloads.Where(w => w.Groups.Any(g => g.Count > 0)).ToList();
        if (change is Change.MoreReplicas or Change.FewerReplicas && withGroups.Count == 0)
        {
            change = Change.AddWorkload;
        }

        switch (change)
        {
            case Change.RemoveWorkload:
            {
                var w = fleet.Workloads[random.Next(fleet.Workloads.Length)];
                return (fleet with { Workloads = fleet.Workloads.Remove(w) }, change, w.Name);
            }

            case Change.AddWorkload:
            {
                var w = MixedFleet.NewWorkload(random, "w99");
                return (fleet with { Workloads = fleet.Workloads.Add(w) }, change, w.Name);
            }

            case Change.MoreReplicas or Change.FewerReplicas:
            {
                var w = withGroups[random.Next(withGroups.Count)];
                var g = w.Groups.First(g => g.Count > 0);
                var count = change == Change.MoreReplicas ? g.Count + random.Next(1, 4) : g.Count - 1;
                var changed = w with { Groups = w.Groups.Replace(g, g with { Count = count }) };
                return (fleet with { Workloads = fleet.Workloads.Replace(w, changed) }, change, w.Name);
            }

            case Change.RelabelCluster:
            {
                var c = fleet.Clusters[random.Next(fleet.Clusters.Length)];
                var relabelled = c with { Class = c.Class == "production" ? "development" : "production" };
                return (fleet with { Clusters = fleet.Clusters.Replace(c, relabelled) }, change, c.Name);
            }

            default:
            {
                // Not one of the first two: they are the Divide policy's clusters.
                var c = fleet.Clusters[random.Next(2, fleet.Clusters.Length)];
                return (fleet with { Clusters = fleet.Clusters.Remove(c) }, change, c.Name);
            }
        }
    }

    private static void CheckInvariants(MixedFleet fleet, FleetPlan plan, string what)
    {
        var spec = fleet.Build();
        var clusters = fleet.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);
        Assert.Equal(fleet.Workloads.Select(w => w.Name).Order(StringComparer.Ordinal), plan.Placements.Keys);

        foreach (var w in fleet.Workloads)
        {
            var placement = plan.Placements[w.Name];
            if (!placement.IsPlaced)
            {
                Assert.False(string.IsNullOrWhiteSpace(placement.UnplacedReason), $"{what}: {w.Name} is unplaced without a reason");
                continue;
            }

            Assert.All(placement.MissingCopies, m => Assert.False(string.IsNullOrWhiteSpace(m.Reason), $"{what}: {w.Name} misses a copy in {m.Domain} without a reason"));
            Assert.Equal(placement.Copies.Length, placement.Copies.Select(c => c.Cluster).Distinct(StringComparer.Ordinal).Count());
            foreach (var copy in placement.Copies)
            {
                var c = clusters[copy.Cluster];
                var where = $"{what}: {w.Name} ({w.Policy ?? "no policy"}) on {c.Name}";
                switch (w.Policy)
                {
                    case "sel" or "dup":
                        Assert.True(c.Class == "production", $"{where}: not a production cluster");
                        break;
                    case "ordered":
                        Assert.True(c.Provider != CloudProvider.Existing, $"{where}: the ordered selector lists only gcp, aws, azure");
                        break;
                    case "divide":
                        Assert.True(c.Name == fleet.Clusters[0].Name || c.Name == fleet.Clusters[1].Name, $"{where}: not one of the Divide clusters");
                        break;
                }

                // Head and worker groups: the pool each is on must take it.
                foreach (var (group, gpus, gpuType) in GroupsOf(w))
                {
                    var pool = copy.GroupPools[group];
                    var tainted = pool == "cpu" && c.CpuTainted;
                    Assert.True(!tainted || w.Toleration is "Exists" or "Equal", $"{where}: group {group} on the tainted pool without a toleration ({w.Toleration ?? "none"})");
                    if (gpus == 0)
                    {
                        Assert.True(pool == "cpu", $"{where}: CPU group {group} on the GPU pool, whose GPU taint it does not tolerate");
                        continue;
                    }

                    Assert.Equal("gpu", pool);
                    var type = TypeOf(spec, c, c.GpuType!);
                    Assert.True(type.Gpus >= gpus, $"{where}: group {group} wants {gpus} GPUs, {type.Name} has {type.Gpus}");
                    Assert.True(gpuType is null || type.GpuType == gpuType, $"{where}: group {group} wants {gpuType}, {type.Name} has {type.GpuType}");
                }
            }

            if (w.Policy == "dup-zone")
            {
                var zones = placement.Copies.Select(c => clusters[c.Cluster].Zone).ToList();
                Assert.True(zones.Count == zones.Distinct(StringComparer.Ordinal).Count(), $"{what}: {w.Name} has two copies in one zone");
            }

            if (w.Policy == "divide")
            {
                foreach (var g in w.Groups)
                {
                    Assert.True(g.Count == placement.Copies.Sum(c => c.WorkerReplicas[g.Name]), $"{what}: {w.Name}/{g.Name} divided into {string.Join("+", placement.Copies.Select(c => c.WorkerReplicas[g.Name]))}, not {g.Count}");
                }
            }
        }

        foreach (var team in fleet.Workloads.Where(w => w.Team is not null).GroupBy(w => w.Team!, StringComparer.Ordinal))
        {
            var on = team.SelectMany(w => plan.Placements[w.Name].Copies.Select(c => c.Cluster)).Distinct(StringComparer.Ordinal).ToList();
            Assert.True(on.Count <= 1, $"{what}: team {team.Key} is split over {string.Join(", ", on)}");
        }

        CheckCapacity(fleet, spec, plan, what);
    }

    /// <summary>Per pool: the requests of the pods the plan puts there, summed by hand, fit the nodes it desires.</summary>
    private static void CheckCapacity(MixedFleet fleet, FleetSpec spec, FleetPlan plan, string what)
    {
        foreach (var c in fleet.Clusters)
        {
            foreach (var pool in plan.Clusters[c.Name].Pools)
            {
                var max = pool.Pool == "cpu" ? c.CpuMax : c.GpuMax;
                Assert.True(pool.DesiredNodes <= max, $"{what}: {c.Name}/{pool.Pool} desires {pool.DesiredNodes} > max {max}");
                var type = TypeOf(spec, c, pool.Pool == "cpu" ? c.CpuType : c.GpuType!);
                long cpu = 0, mem = 0, gpu = 0;
                foreach (var w in fleet.Workloads)
                {
                    foreach (var copy in plan.Placements[w.Name].Copies.Where(x => x.Cluster == c.Name))
                    {
                        if (copy.GroupPools["head"] == pool.Pool)
                        {
                            cpu += w.HeadCpu;
                            mem += (long)w.HeadMemGiB << 30;
                        }

                        foreach (var g in w.Groups.Where(g => copy.GroupPools[g.Name] == pool.Pool))
                        {
                            var n = copy.WorkerReplicas[g.Name];
                            cpu += n * g.CpuMillis;
                            mem += n * ((long)g.MemGiB << 30);
                            gpu += n * g.Gpus;
                        }
                    }
                }

                var nodes = pool.DesiredNodes;
                Assert.True(cpu <= SystemReserve.AllocatableCpuMillis(type) * nodes, $"{what}: CPU overcommitted on {c.Name}/{pool.Pool}: {cpu}m on {nodes} {type.Name}");
                Assert.True(mem <= SystemReserve.AllocatableMemoryBytes(type) * nodes, $"{what}: memory overcommitted on {c.Name}/{pool.Pool}");
                Assert.True(gpu <= (long)type.Gpus * nodes, $"{what}: GPUs overcommitted on {c.Name}/{pool.Pool}");
            }
        }
    }

    /// <summary>
    /// docs/placement.md: a workload with a copy in the previous plan keeps it while its policy still selects the cluster and
    /// it still fits there. Checked where that is knowable without the planner: single-copy workloads not spread and not
    /// grouped, not themselves changed, whose cluster still exists and still matches, and whose cluster lost no capacity to a
    /// workload that grew (removing work, adding new work or relabelling another cluster frees or takes nothing of it).
    /// </summary>
    private static void CheckStability(MixedFleet before, FleetPlan first, MixedFleet after, FleetPlan second, Change change, string touched, string what)
    {
        var grownOn = change == Change.MoreReplicas ? first.Placements[touched].Copies.Select(c => c.Cluster).ToHashSet(StringComparer.Ordinal) : [];
        var clustersAfter = after.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);

        foreach (var w in before.Workloads)
        {
            if (w.Name == touched || w.Team is not null || w.Policy is "dup" or "dup-zone" or "divide" || first.Placements[w.Name].Copies is not [var copy])
            {
                continue;
            }

            if (!clustersAfter.TryGetValue(copy.Cluster, out var c) || grownOn.Contains(copy.Cluster) || (w.Policy == "sel" && c.Class != "production"))
            {
                continue;
            }

            var now = second.Placements[w.Name].Copies.Select(x => x.Cluster).ToList();
            Assert.True(now is [var same] && same == copy.Cluster, $"{what}: {w.Name} moved from {copy.Cluster} to [{string.Join(", ", now)}]");
        }
    }

    private static IEnumerable<(string Group, int Gpus, string? GpuType)> GroupsOf(MixedWorkload w) =>
        [("head", 0, null), .. w.Groups.Select(g => (g.Name, g.Gpus, g.GpuType))];

    private static InstanceType TypeOf(FleetSpec spec, MixedCluster cluster, string name) =>
        cluster.Provider == CloudProvider.Existing
            ? spec.Catalog.FindByName(name).First()
            : spec.Catalog.TryGet(cluster.Provider.ToString().ToLowerInvariant(), name, out var type) ? type : throw new InvalidOperationException(name);
}
