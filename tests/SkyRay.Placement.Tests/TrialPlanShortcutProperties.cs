using FsCheck.Xunit;
using SkyRay.Placement.Consolidation;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// A consolidate trial planned with the pass's shared setup builds less of its brief plan: the placements of the work its
/// setup kept (phase 1) are made once per setup and every trial starts from them, and a cluster whose state and pool sizes
/// are those of the setup's previous trial gets that trial's cluster plan again; a unit the previous trial left unplaced the
/// same way is not written again; and, once the stuck units are found, they are answered without a search. Each trial plan
/// must hold, all the way down, the data of the one a trial planned alone from its own setup gives; and so must the kept
/// trial planned once more with verdicts, which resumes from the same kept work when that holds no reason text. Checked on re-plans
/// (where most work is kept) and first plans, with trials in an order that switches between setups and comes back to them.
/// </summary>
public sealed class TrialPlanShortcutProperties
{
    [Property(MaxTest = 60)]
    public void A_trial_of_a_re_plan_with_the_shared_setup_is_the_trial_planned_alone(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(Consolidate.Plan(stack.Load(), null, options, shortcuts: false)));
        var (edited, edit, _) = stack.Change(seed);
        var spec = edited.Load();

        AssertTrialsAlike(spec, first, options, $"seed {seed}, edit '{edit}'");
        AssertTrialsAlike(spec, null, options, $"seed {seed}, edit '{edit}', no previous plan");
    }

    [Property(MaxTest = 40)]
    public void A_trial_of_a_re_plan_of_the_same_config_with_the_shared_setup_is_the_trial_planned_alone(int seed)
    {
        // Nothing changed: every placed workload is kept, so the trials start from kept placements and differ little.
        var spec = RandomStack.Generate(seed).Load();
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(Consolidate.Plan(spec, null, options, shortcuts: false)));

        AssertTrialsAlike(spec, first, options, $"seed {seed}");
    }

    [Fact]
    public void A_trial_of_a_re_plan_where_kept_work_no_longer_fits_is_the_trial_planned_alone()
    {
        // A Divide workload keeps its place in phase 1 while its clusters are still selected, whether or not it still fits;
        // grown far beyond the fleet it is not complete there, and the kept work the greedy plan (planned with reasons) hands
        // to the trials holds that outcome. Seeds with a placed divide workload, grown to 400 replicas.
        var checkedSome = 0;
        for (var seed = 0; seed < 40 && checkedSome < 3; seed++)
        {
            var stack = RandomStack.Generate(seed);
            var options = new PlanOptions();
            var first = PlanJson.Read(PlanJson.Write(Consolidate.Plan(stack.Load(), null, options, shortcuts: false)));
            var divided = first.Placements.Values.FirstOrDefault(p => p.Policy == "divide" && p.IsPlaced);
            if (divided is null)
            {
                continue;
            }

            var group = RandomStack.WorkerGroups(stack.Workloads[divided.Workload]!.AsObject())[0]!.AsObject();
            group["replicas"] = 400;
            group["minReplicas"] = 0;
            group["maxReplicas"] = 800;
            var spec = stack.Load();
            var replan = FleetPlanner.Plan(spec, first, options);
            Assert.False(replan.Placements[divided.Workload].IsComplete, $"seed {seed}: {divided.Workload} still fits");
            checkedSome++;

            AssertTrialsAlike(spec, first, options, $"seed {seed}, {divided.Workload} grown");
        }

        Assert.True(checkedSome > 0, "no seed with a placed divide workload");
    }

    private static void AssertTrialsAlike(Fleet.Config.FleetSpec spec, FleetPlan? previous, PlanOptions options, string what)
    {
        var greedy = FleetPlanner.Plan(spec, previous, options);
        var pools = greedy.Clusters
            .SelectMany(c => c.Value.Pools.Where(p => p.DesiredNodes > 0).Select(p => (Cluster: c.Key, p.Pool, p.DesiredNodes)))
            .Take(4)
            .ToList();
        var movable = greedy.Placements
            .Where(p => p.Value.Copies.Length == 1 && (previous is null || !previous.Placements.ContainsKey(p.Key)))
            .Select(p => (Workload: p.Key, On: p.Value.Copies[0].Cluster))
            .Take(2)
            .ToList();
        var inputs = new List<(List<(string Cluster, string Pool)> Closed, SortedDictionary<string, string> Moved, Dictionary<(string Cluster, string Pool), int> Caps)>();
        foreach (var (cluster, pool, desired) in pools)
        {
            // A closure and a chain of two under no caps (one setup), then the same under a cap (another setup).
            inputs.Add(([(cluster, pool)], new(StringComparer.Ordinal), []));
            inputs.Add(([.. pools.Take(2).Select(p => (p.Cluster, p.Pool)).Append((cluster, pool)).Distinct()], new(StringComparer.Ordinal), []));
            inputs.Add(([], new(StringComparer.Ordinal), new() { [(cluster, pool)] = desired - 1 }));
            inputs.Add(([(pools[0].Cluster, pools[0].Pool)], new(StringComparer.Ordinal), new() { [(cluster, pool)] = desired - 1 }));
        }

        foreach (var (workload, on) in movable)
        {
            inputs.Add(([], new(StringComparer.Ordinal) { [workload] = on }, []));
            foreach (var target in greedy.Clusters.Keys.Where(c => c != on).Take(3))
            {
                inputs.Add(([], new(StringComparer.Ordinal) { [workload] = "=" + target }, []));
            }
        }

        foreach (var withStuck in new[] { false, true })
        {
            var shared = new Consolidate.Setups(spec, previous, options, shortcuts: true);
            // As the pass does: the greedy plan first, with verdicts, on the shared setup without caps (it saves its kept work
            // for the trials of that setup); then, as the pass does too, the units stuck with only that kept work are found
            // (their trials skip them and share one outcome). Without: every unit is searched in every trial.
            var greedyOnShared = new PlanRun(spec, previous, options) { Setup = shared.For(new Dictionary<(string Cluster, string Pool), int>()) }.Run();
            if (withStuck)
            {
                shared.FindStuck(greedyOnShared);
            }

            AssertTrialsAlike(spec, previous, options, shared, inputs, $"{what}{(withStuck ? ", stuck units found" : string.Empty)}");
        }
    }

    private static void AssertTrialsAlike(
        Fleet.Config.FleetSpec spec,
        FleetPlan? previous,
        PlanOptions options,
        Consolidate.Setups shared,
        List<(List<(string Cluster, string Pool)> Closed, SortedDictionary<string, string> Moved, Dictionary<(string Cluster, string Pool), int> Caps)> inputs,
        string what)
    {
        foreach (var (closed, moved, caps) in inputs.Concat(inputs.AsEnumerable().Reverse()))
        {
            var alone = new Consolidate.Setups(spec, previous, options, shortcuts: false).Trial(closed, moved, caps);
            var given = shared.Trial(closed, moved, caps);
            var context = $"{what}: closed [{string.Join(", ", closed)}], moved [{string.Join(", ", moved)}], caps [{string.Join(", ", caps)}]";
            Assert.True(string.Equals(PlanJson.Write(alone), PlanJson.Write(given), StringComparison.Ordinal), context + ": the plans differ");
            Assert.Null(SkyRay.Testing.DataEquality.FirstDifference(alone, given) is { } difference ? $"{context}: {difference}" : null);

            // The trial kept by the pass is planned once more with verdicts, on the shared setup of its caps, resuming from
            // the kept work a trial saved there when it holds no reason text: the plan, verdicts included, planned alone.
            var keptAlone = new PlanRun(spec, previous, options) { ClosedPools = closed, MovedAway = moved, PoolCaps = caps }.Run();
            var keptShared = new PlanRun(spec, previous, options) { ClosedPools = closed, MovedAway = moved, PoolCaps = caps, Setup = shared.For(caps), MemoTables = shared.MemoTables }.Run();
            Assert.True(string.Equals(PlanJson.Write(keptAlone), PlanJson.Write(keptShared), StringComparison.Ordinal), context + ": the kept plans differ");
            Assert.Null(SkyRay.Testing.DataEquality.FirstDifference(keptAlone, keptShared) is { } keptDifference ? $"{context}, kept plan: {keptDifference}" : null);
        }
    }
}
