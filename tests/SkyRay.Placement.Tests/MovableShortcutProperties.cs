using FsCheck.Xunit;
using SkyRay.Placement.Consolidation;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The consolidate pass lists the workloads it may move from the workloads its search found free to move once (not pinned
/// by the greedy plan, the previous plan or their policy, not in a group), instead of scanning the whole plan each time.
/// The list must be the one the scan gives, for the greedy plan and for trial plans, with and without workloads moved
/// already. A shortcut the pass-level properties cannot see: moving a pinned workload gives a trial the pass refuses, so
/// only the budget would tell.
/// </summary>
public sealed class MovableShortcutProperties
{
    [Property(MaxTest = 60)]
    public void The_workloads_free_to_move_give_the_list_a_scan_of_the_plan_gives(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(FleetPlanner.Plan(stack.Load(), null, options)));
        var (edited, _, _) = stack.Change(seed);
        var spec = edited.Load();
        foreach (var previous in new[] { null, first })
        {
            var setups = new Consolidate.Setups(spec, previous, options, shortcuts: false);
            var greedy = new PlanRun(spec, previous, options).Run();
            var free = Consolidate.FreeToMove(spec, previous, greedy);
            var plans = new List<FleetPlan> { greedy };
            foreach (var (cluster, pool) in greedy.Clusters.SelectMany(c => c.Value.Pools.Where(p => p.DesiredNodes > 0).Select(p => (c.Key, p.Pool))).Take(3))
            {
                plans.Add(setups.Trial([(cluster, pool)], new SortedDictionary<string, string>(StringComparer.Ordinal), []));
            }

            foreach (var plan in plans)
            {
                var scanned = Consolidate.Movable(spec, previous, greedy, plan, new SortedDictionary<string, string>(StringComparer.Ordinal), null);
                foreach (var moved in new[] { new SortedDictionary<string, string>(StringComparer.Ordinal) }.Concat(scanned.Take(2).Select(n => new SortedDictionary<string, string>(StringComparer.Ordinal) { [n] = "x" })))
                {
                    Assert.Equal(
                        Consolidate.Movable(spec, previous, greedy, plan, moved, null),
                        Consolidate.Movable(spec, previous, greedy, plan, moved, free));
                }
            }
        }
    }
}
