using FsCheck.Xunit;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Consolidation;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The consolidate pass's shortcuts (one setup shared by the trials, trials resumed from the saved kept work, trials counted
/// but not planned where they provably give the best plan again or a refused one) change its speed only: the plan is the one
/// the pass gives when it plans every trial in full from its own setup. Checked on random stack configs, on a first plan and
/// on re-plans (after an edit of the config, and of the same config, where nearly all work is kept).
/// </summary>
public sealed class ConsolidateShortcutProperties
{
    private static readonly Dictionary<(string Cluster, string Pool), int> NoCaps = [];

    [Property(MaxTest = 60)]
    public void A_first_plan_is_the_same_with_and_without_the_shortcuts(int seed)
    {
        var spec = RandomStack.Generate(seed).Load();
        var options = new PlanOptions();

        Assert.Equal(
            PlanJson.Write(Consolidate.Plan(spec, null, options, shortcuts: false)),
            PlanJson.Write(Consolidate.Plan(spec, null, options, shortcuts: true)));
    }

    [Property(MaxTest = 60)]
    public void A_re_plan_after_an_edit_is_the_same_with_and_without_the_shortcuts(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(Consolidate.Plan(stack.Load(), null, options, shortcuts: false)));
        var (edited, edit, _) = stack.Change(seed);
        var spec = edited.Load();

        var full = PlanJson.Write(Consolidate.Plan(spec, first, options, shortcuts: false));
        var quick = PlanJson.Write(Consolidate.Plan(spec, first, options, shortcuts: true));

        Assert.True(string.Equals(full, quick, StringComparison.Ordinal), $"seed {seed}, edit '{edit}': the plans differ");
    }

    [Property(MaxTest = 40)]
    public void A_trial_given_again_from_the_pass_memory_is_the_plan_its_own_closures_moves_and_caps_give(int seed)
    {
        // Trials that differ in one input only (the cluster a workload moves to, a pool's cap, which pool is closed), asked
        // in an order that repeats some: each answer must be the plan a fresh run of exactly those inputs gives.
        var spec = RandomStack.Generate(seed).Load();
        var options = new PlanOptions();
        var greedy = FleetPlanner.Plan(spec, null, options);
        var placed = greedy.Placements.Where(p => p.Value.Copies.Length == 1).Select(p => (p.Key, p.Value.Copies[0].Cluster)).Take(3).ToList();
        var pools = greedy.Clusters.SelectMany(c => c.Value.Pools.Where(p => p.DesiredNodes > 0).Select(p => (Cluster: c.Key, p.Pool, p.DesiredNodes))).Take(3).ToList();
        var inputs = new List<(List<(string Cluster, string Pool)> Closed, SortedDictionary<string, string> Moved, Dictionary<(string Cluster, string Pool), int> Caps)>();
        foreach (var (workload, on) in placed)
        {
            inputs.Add(([], new(StringComparer.Ordinal) { [workload] = on }, []));
            foreach (var target in greedy.Clusters.Keys.Where(c => c != on))
            {
                inputs.Add(([], new(StringComparer.Ordinal) { [workload] = "=" + target }, []));
            }
        }

        foreach (var (cluster, pool, desired) in pools)
        {
            inputs.Add(([(cluster, pool)], new(StringComparer.Ordinal), []));
            for (var cap = 0; cap < desired && cap < 3; cap++)
            {
                inputs.Add(([], new(StringComparer.Ordinal), new() { [(cluster, pool)] = cap }));
            }
        }

        TrialsMatchFreshRuns(spec, null, options, inputs, seed);
    }

    [Property(MaxTest = 40)]
    public void A_re_plan_trial_that_starts_from_the_last_trial_s_placements_is_the_plan_of_its_own_inputs(int seed)
    {
        // A trial resumed from the kept work starts from the last such trial's placements and sets only what differs (an
        // unplaced workload's brief placement is mostly the same): on a re-plan after an edit, with workloads that fit
        // nowhere, closures, caps and moves one after another must each give the plan a fresh run of those inputs gives.
        var (spec, first, options) = ReplanAfterEdit(seed);
        var greedy = FleetPlanner.Plan(spec, first, options);
        var pools = greedy.Clusters.SelectMany(c => c.Value.Pools.Where(p => p.DesiredNodes > 0).Select(p => (Cluster: c.Key, p.Pool, p.DesiredNodes))).Take(4).ToList();
        var free = greedy.Placements.Where(p => p.Value.Copies.Length == 1 && !first.Placements.ContainsKey(p.Key)).Select(p => (p.Key, p.Value.Copies[0].Cluster)).Take(2).ToList();
        var inputs = new List<(List<(string Cluster, string Pool)> Closed, SortedDictionary<string, string> Moved, Dictionary<(string Cluster, string Pool), int> Caps)>();
        foreach (var (cluster, pool, desired) in pools)
        {
            inputs.Add(([(cluster, pool)], new(StringComparer.Ordinal), []));
            inputs.Add(([], new(StringComparer.Ordinal), new() { [(cluster, pool)] = desired - 1 }));
            inputs.Add(([], new(StringComparer.Ordinal), []));
        }

        foreach (var (workload, on) in free)
        {
            inputs.Add(([], new(StringComparer.Ordinal) { [workload] = on }, []));
        }

        TrialsMatchFreshRuns(spec, first, options, inputs, seed);
    }

    [Property(MaxTest = 40)]
    public void A_re_plan_trial_that_leaves_stuck_workloads_unplaced_without_a_search_is_the_plan_of_its_own_inputs(int seed)
    {
        // As the pass does: the greedy plan on the pass's setup saves the kept work, the workloads it left unplaced that fit
        // nowhere with only that work placed are found, and the trials resumed from it leave them unplaced without searching.
        var (spec, first, options) = ReplanAfterEdit(seed);
        var (setups, greedy) = GreedyWithStuck(spec, first, options);
        var pools = greedy.Clusters.SelectMany(c => c.Value.Pools.Where(p => p.DesiredNodes > 0).Select(p => (Cluster: c.Key, p.Pool))).Take(4).ToList();
        var free = Consolidate.FreeToMove(spec, first, greedy).Take(2).Select(w => (w, greedy.Placements[w].Copies[0].Cluster)).ToList();
        var inputs = new List<(List<(string Cluster, string Pool)> Closed, SortedDictionary<string, string> Moved, Dictionary<(string Cluster, string Pool), int> Caps)>();
        foreach (var pool in pools)
        {
            inputs.Add(([pool], new(StringComparer.Ordinal), []));
        }

        foreach (var (workload, on) in free)
        {
            inputs.Add(([], new(StringComparer.Ordinal) { [workload] = on }, []));
        }

        inputs.Add(([], new(StringComparer.Ordinal), []));
        TrialsMatchFreshRuns(spec, first, options, inputs, seed, setups);
    }

    [Fact]
    public void A_workload_that_fits_nowhere_with_only_the_kept_work_placed_is_stuck_and_one_that_lost_its_room_to_new_work_is_not()
    {
        // One m5.xlarge node (about 3.9 CPU after the system reserve). "small" (1.5 CPU) runs there from the first plan. The
        // re-plan adds "big" (1 + 4 × 3 CPU: fits nowhere at all) and "x1", "x2" (1.5 CPU each): either fits beside "small",
        // not both; "x1" comes first by name. So the greedy plan leaves "big" and "x2" unplaced, and only "big" is stuck.
        FleetBuilder Fleet() => new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Workload("small", w => w.Workers("w", 1, 500, 1));
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(FleetPlanner.Plan(Fleet().Build(), null, options)));
        Assert.Equal("a", first.ClusterOf("small"));
        var spec = Fleet()
            .Workload("big", w => w.Workers("w", 4, 3000, 1))
            .Workload("x1", w => w.Workers("w", 1, 500, 1))
            .Workload("x2", w => w.Workers("w", 1, 500, 1))
            .Build();

        var (setups, greedy) = GreedyWithStuck(spec, first, options);

        Assert.Equal(["small", "x1"], greedy.Placements.Where(p => p.Value.IsPlaced).Select(p => p.Key).Order(StringComparer.Ordinal));
        var setup = setups.For(new Dictionary<(string Cluster, string Pool), int>())!;
        var stuck = setup.SavedKeptWork(options, PlacementPipeline.DefaultScorers, null)!.Stuck!;
        var units = setup.UnitsFor(new Dictionary<string, string>(StringComparer.Ordinal));
        Assert.Equal(["big"], units.Where(u => stuck[u.Index]).Select(u => u.Name));

        // Trials resumed from that kept work: closing the pool, and moving x1 off the cluster (x2 then takes its room).
        TrialsMatchFreshRuns(
            spec,
            first,
            options,
            [([("a", "cpu")], new(StringComparer.Ordinal), []), ([], new(StringComparer.Ordinal) { ["x1"] = "a" }, []), ([], new(StringComparer.Ordinal), [])],
            0,
            setups);
        var moved = setups.Trial([], new(StringComparer.Ordinal) { ["x1"] = "a" }, []);
        Assert.Equal(("a", false, false), (moved.ClusterOf("x2"), moved.Placements["x1"].IsPlaced, moved.Placements["big"].IsPlaced));
    }

    [Fact]
    public void A_cap_below_the_nodes_the_kept_work_runs_is_refused_without_planning_it_and_a_cap_on_new_work_is_planned()
    {
        // "k1" and "k2" (3 CPU each: head and two 1-CPU workers) ran on "a" from the first plan, one m5.xlarge node each (about
        // 3.9 CPU after the system reserve). The re-plan adds "n" (1.5 CPU): no node has room for its 1-CPU head, so it opens a
        // third node. The kept work alone runs two of the pool's three nodes.
        FleetBuilder Fleet() => new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 1, 4))
            .Workload("k1", w => w.Workers("w", 2, 1000, 1))
            .Workload("k2", w => w.Workers("w", 2, 1000, 1));
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(FleetPlanner.Plan(Fleet().Build(), null, options)));
        Assert.Equal((2, "a", "a"), (first.Clusters["a"].Pools.Single().DesiredNodes, first.ClusterOf("k1"), first.ClusterOf("k2")));
        var spec = Fleet().Workload("n", w => w.Workers("w", 1, 500, 1)).Build();
        var (quick, greedy) = GreedyWithStuck(spec, first, options);
        Assert.Equal((3, "a"), (greedy.Clusters["a"].Pools.Single().DesiredNodes, greedy.ClusterOf("n")));
        var full = new Consolidate.Setups(spec, first, options, shortcuts: false);

        // A shrink to two nodes takes the new work's node: planned. A drain to one node takes a kept workload's: refused.
        Assert.False(quick.KeptWorkOutgrows(NoCaps, "a", "cpu", 2));
        Assert.True(quick.KeptWorkOutgrows(NoCaps, "a", "cpu", 1));
        Assert.False(full.KeptWorkOutgrows(NoCaps, "a", "cpu", 1));

        // Planned in full, the capped trial is what the shortcut says: a kept workload loses its pool, and the pass refuses it.
        var capped = full.Trial([], new(StringComparer.Ordinal), new() { [("a", "cpu")] = 1 });
        Assert.Equal(1, capped.Clusters["a"].Pools.Single().DesiredNodes);
        Assert.False(capped.Placements["k1"].IsPlaced && capped.Placements["k2"].IsPlaced);
        Assert.False(full.Keeps(greedy, capped));
    }

    [Property(MaxTest = 40)]
    public void Every_cap_the_pass_refuses_without_planning_it_is_refused_when_planned(int seed)
    {
        // On a re-plan after an edit: each pool the greedy plan runs beyond its MinNodes, capped one node lower (a shrink) and
        // at half its nodes (a drain), where the shortcut says the kept work alone outgrows the cap, planned in full, is a
        // trial the pass refuses.
        var (spec, first, options) = ReplanAfterEdit(seed);
        var (quick, greedy) = GreedyWithStuck(spec, first, options);
        _ = quick.Trial([], new(StringComparer.Ordinal), NoCaps);
        var full = new Consolidate.Setups(spec, first, options, shortcuts: false);
        foreach (var (cluster, plan) in greedy.Clusters)
        {
            foreach (var pool in plan.Pools.Where(p => p.DesiredNodes > p.MinNodes))
            {
                foreach (var cap in new[] { pool.DesiredNodes - 1, pool.DesiredNodes / 2 }.Where(c => c >= Math.Max(1, pool.MinNodes)).Distinct())
                {
                    if (quick.KeptWorkOutgrows(NoCaps, cluster, pool.Pool, cap))
                    {
                        var trial = full.Trial([], new(StringComparer.Ordinal), new() { [(cluster, pool.Pool)] = cap });
                        Assert.False(full.Keeps(greedy, trial), $"seed {seed}: {cluster}/{pool.Pool} capped at {cap} was kept");
                    }
                }
            }
        }
    }

    [Fact]
    public void Closing_a_pool_no_new_copy_uses_changes_nothing_unless_it_is_a_CPU_pool_beside_new_work_on_GPU_pools()
    {
        // "w" (1.5 CPU) fits a new m5.xlarge node of "small" for less than a new m5.4xlarge node of "big": closing "big" takes
        // away an option "w" did not take, so the closure's trial is the plan again; closing "small" is not.
        var cpuOnly = new FleetBuilder()
            .Cluster("c", c => c.Pool("big", "m5.4xlarge", 0, 2).Pool("small", "m5.xlarge", 0, 2))
            .Workload("w", w => w.Workers("w", 1, 500, 1))
            .Build();
        var options = new PlanOptions();
        var (quick, greedy) = GreedyWithStuck(cpuOnly, null, options);
        Assert.Equal("small", greedy.Placements["w"].Copies.Single().GroupPools["w"]);

        Assert.True(quick.ClosureChangesNothing(greedy, NoCaps, ("c", "big")));
        Assert.False(quick.ClosureChangesNothing(greedy, NoCaps, ("c", "small")));
        Assert.False(new Consolidate.Setups(cpuOnly, null, options, shortcuts: false).ClosureChangesNothing(greedy, NoCaps, ("c", "big")));
        var full = new Consolidate.Setups(cpuOnly, null, options, shortcuts: false);
        Assert.Equal(PlanJson.Write(full.Trial([], new(StringComparer.Ordinal), NoCaps)), PlanJson.Write(full.Trial([("c", "big")], new(StringComparer.Ordinal), NoCaps)));

        // With new work on a GPU pool of the cluster, closing a CPU pool also shuts the GPU pools to CPU pods it could hold:
        // not counted as changing nothing, though no copy uses "big".
        var withGpu = new FleetBuilder()
            .Cluster("c", c => c.Pool("big", "m5.4xlarge", 0, 2).Pool("small", "m5.xlarge", 0, 2).Pool("gpu", "g5.xlarge", 0, 2))
            .Workload("w", w => w.Workers("w", 1, 500, 1))
            .Workload("t", w => w.Workers("t", 1, 1000, 4, gpu: 1))
            .Build();
        var (gpuQuick, gpuGreedy) = GreedyWithStuck(withGpu, null, options);
        Assert.Equal("gpu", gpuGreedy.Placements["t"].Copies.Single().GroupPools["t"]);
        Assert.False(gpuQuick.ClosureChangesNothing(gpuGreedy, NoCaps, ("c", "big")));
    }

    [Fact]
    public void Closing_the_pool_a_new_copy_s_group_had_before_changes_nothing_as_the_group_is_packed_there_first()
    {
        // "w" ran one 6-CPU worker on "big" (an m5.xlarge node of "small" has 4 CPUs, so nowhere else). The re-plan asks for two:
        // the copy is new (another worker count) and is placed in phase 2, but its worker group goes back to the pool it had
        // before any other is looked at, closed or not.
        FleetBuilder Fleet(int workers) => new FleetBuilder()
            .Cluster("c", c => c.Pool("big", "m5.4xlarge", 0, 2).Pool("small", "m5.xlarge", 0, 2))
            .Workload("w", w => w.Workers("w", workers, 6000, 8));
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(FleetPlanner.Plan(Fleet(1).Build(), null, options)));
        var before = first.Placements["w"].Copies.Single();
        Assert.Equal(("big", 1), (before.GroupPools["w"], before.WorkerReplicas["w"]));
        var spec = Fleet(2).Build();
        var (quick, greedy) = GreedyWithStuck(spec, first, options);
        var copy = greedy.Placements["w"].Copies.Single();
        Assert.Equal(("big", 2), (copy.GroupPools["w"], copy.WorkerReplicas["w"]));
        Assert.Equal(before.GroupPools["head"], copy.GroupPools["head"]);

        Assert.True(quick.ClosureChangesNothing(greedy, NoCaps, ("c", "big")));
        var full = new Consolidate.Setups(spec, first, options, shortcuts: false);
        Assert.Equal(
            PlanJson.Write(full.Trial([], new(StringComparer.Ordinal), NoCaps)),
            PlanJson.Write(full.Trial([("c", "big")], new(StringComparer.Ordinal), NoCaps)));

        // On a first plan the worker group has no pool of its own to go back to: closing "big" leaves it nowhere to go.
        var (firstQuick, firstGreedy) = GreedyWithStuck(spec, null, options);
        Assert.Equal("big", firstGreedy.Placements["w"].Copies.Single().GroupPools["w"]);
        Assert.False(firstQuick.ClosureChangesNothing(firstGreedy, NoCaps, ("c", "big")));
        var fresh = new Consolidate.Setups(spec, null, options, shortcuts: false);
        Assert.False(fresh.Trial([("c", "big")], new(StringComparer.Ordinal), NoCaps).Placements["w"].IsPlaced);
    }

    [Property(MaxTest = 40)]
    public void Every_closure_the_pass_counts_as_changing_nothing_gives_the_plan_again_when_planned(int seed)
    {
        // On a first plan and on a re-plan after an edit: each pool of the greedy plan the shortcut says a closure leaves as it
        // is, closed in a trial planned in full, gives the same plan as the trial without the closure.
        var options = new PlanOptions();
        foreach (var (spec, previous) in FirstPlanAndReplan(seed))
        {
            var (quick, greedy) = GreedyWithStuck(spec, previous, options);
            var full = new Consolidate.Setups(spec, previous, options, shortcuts: false);
            var open = PlanJson.Write(full.Trial([], new(StringComparer.Ordinal), NoCaps));
            foreach (var (cluster, plan) in greedy.Clusters)
            {
                foreach (var pool in plan.Pools.Where(p => quick.ClosureChangesNothing(greedy, NoCaps, (cluster, p.Pool))))
                {
                    var closed = PlanJson.Write(full.Trial([(cluster, pool.Pool)], new(StringComparer.Ordinal), NoCaps));
                    Assert.True(string.Equals(open, closed, StringComparison.Ordinal), $"seed {seed}: closing {cluster}/{pool.Pool} changed the plan");
                }
            }
        }
    }

    [Property(MaxTest = 60)]
    public void Each_stuck_answer_is_the_search_of_that_unit_alone(int seed)
    {
        // FindStuck asks once per scope and demand; each unit searched on its own, in a pipeline of its own from the kept
        // work, must give the same answer. Duplicate demands are common (a stack repeats a few shapes), so the memory answers
        // most units.
        var options = new PlanOptions();
        foreach (var (spec, previous) in FirstPlanAndReplan(seed))
        {
            var (setups, greedy) = GreedyWithStuck(spec, previous, options);
            var setup = setups.For(NoCaps)!;
            var saved = setup.SavedKeptWork(options, PlacementPipeline.DefaultScorers, null);
            if (saved?.Stuck is not { } stuck)
            {
                continue;
            }

            foreach (var unit in setup.UnitsFor(new Dictionary<string, string>(StringComparer.Ordinal)))
            {
                var eligible = saved.Outcomes[unit.Index] is null && saved.Kept[unit.Index] is null && unit.Problem is null &&
                    unit.Members.Length == 1 && unit.Scope.Policy?.Spread is null && !greedy.Placements[unit.Members[0].Name].IsPlaced;
                if (!eligible)
                {
                    Assert.False(stuck[unit.Index], $"seed {seed}: {unit.Name} is not asked about, yet stuck");
                    continue;
                }

                var alone = new PlacementPipeline(setup.Model, options, PlacementPipeline.DefaultScorers, saved.State.Copy()) { WithoutReasons = true };
                var scope = unit.Scope;
                var fits = alone.TryFind(unit, unit.BaseCounts, alone.BaseShapeId(unit), scope.Candidates, scope, alone.StickyCluster(unit, scope.Candidates, scope, null), null, out _);
                unit.ClearRunCaches();
                Assert.True(stuck[unit.Index] == !fits, $"seed {seed}{(previous is null ? string.Empty : ", re-plan")}: {unit.Name} stuck {stuck[unit.Index]}, alone it fits {fits}");
            }
        }
    }

    /// <summary>A random stack's first plan (written and read back, as a run reads it) and the stack after the seed's edit.</summary>
    private static (FleetSpec Spec, FleetPlan First, PlanOptions Options) ReplanAfterEdit(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(FleetPlanner.Plan(stack.Load(), null, options)));
        var (edited, _, _) = stack.Change(seed);
        return (edited.Load(), first, options);
    }

    /// <summary>A random stack planned first (no previous plan), and the stack after the seed's edit re-planned on its first plan.</summary>
    private static (FleetSpec Spec, FleetPlan? Previous)[] FirstPlanAndReplan(int seed)
    {
        var (edited, first, _) = ReplanAfterEdit(seed);
        return [(RandomStack.Generate(seed).Load(), null), (edited, first)];
    }

    /// <summary>The pass's first steps: the greedy plan on the shared setup without caps, then the stuck workloads found.</summary>
    private static (Consolidate.Setups Setups, FleetPlan Greedy) GreedyWithStuck(FleetSpec spec, FleetPlan? previous, PlanOptions options)
    {
        var setups = new Consolidate.Setups(spec, previous, options, shortcuts: true);
        var greedy = new PlanRun(spec, previous, options) { Setup = setups.For(NoCaps) }.Run();
        setups.FindStuck(greedy);
        return (setups, greedy);
    }

    /// <summary>
    /// Plans every input with one remembering set of setups, forwards then backwards (so later trials meet what earlier ones
    /// left), and each with fresh setups without shortcuts: the plans must be the same.
    /// </summary>
    private static void TrialsMatchFreshRuns(
        FleetSpec spec,
        FleetPlan? previous,
        PlanOptions options,
        List<(List<(string Cluster, string Pool)> Closed, SortedDictionary<string, string> Moved, Dictionary<(string Cluster, string Pool), int> Caps)> inputs,
        int seed,
        Consolidate.Setups? prepared = null)
    {
        var remembering = prepared ?? new Consolidate.Setups(spec, previous, options, shortcuts: true);
        foreach (var (closed, moved, caps) in inputs.Concat(inputs.AsEnumerable().Reverse()))
        {
            var fresh = new Consolidate.Setups(spec, previous, options, shortcuts: false).Trial(closed, moved, caps);
            var given = remembering.Trial(closed, moved, caps);
            Assert.True(
                string.Equals(PlanJson.Write(fresh), PlanJson.Write(given), StringComparison.Ordinal),
                $"seed {seed}: closed [{string.Join(", ", closed)}], moved [{string.Join(", ", moved)}], caps [{string.Join(", ", caps)}]");
        }
    }

    [Property(MaxTest = 40)]
    public void Runs_that_take_memo_tables_another_run_gave_back_plan_as_with_new_tables(int seed)
    {
        // One pool handed through runs of two different configs on the same clusters, with and without closures: each plan
        // must be the one a run with tables of its own gives (a table given back with a fit still in it would answer for
        // another demand: the shape ids of a run are numbered in the order it searches them).
        var stack = RandomStack.Generate(seed);
        var options = new PlanOptions();
        var spec = stack.Load();
        var (edited, edit, _) = stack.Change(seed);
        var other = edited.Load();
        var pool = new PlacementPipeline.MemoPool(spec.Clusters.Count);
        var first = new PlanRun(spec, null, options).Run();
        var closed = first.Clusters.SelectMany(c => c.Value.Pools.Where(p => p.DesiredNodes > 0).Select(p => (c.Key, p.Pool))).Take(1).ToList();
        foreach (var (run, previous, closes) in new[] { (spec, (FleetPlan?)null, false), (other, first, false), (spec, null, true), (other, first, true), (other, null, false) })
        {
            var plain = new PlanRun(run, previous, options) { ClosedPools = closes ? closed : [] }.Run();
            var pooled = new PlanRun(run, previous, options) { ClosedPools = closes ? closed : [], MemoTables = pool }.Run();
            Assert.True(
                string.Equals(PlanJson.Write(plain), PlanJson.Write(pooled), StringComparison.Ordinal),
                $"seed {seed}, edit '{edit}', closes {closes}: the plans differ");
        }
    }

    [Fact]
    public void A_memo_table_given_back_is_given_out_again_cleared()
    {
        var pool = new PlacementPipeline.MemoPool(3);
        var table = pool.Rent();
        table[1] = new PlacementPipeline.Memo { Version = 7 };

        pool.Return(table);
        var again = pool.Rent();

        Assert.Same(table, again);
        Assert.Equal(3, again.Length);
        Assert.All(again, m => Assert.Equal(0, m.Version));
        Assert.All(again, m => Assert.False(m.Fit.Ok));
    }

    [Fact]
    public void A_trial_that_closes_a_pool_after_the_kept_work_is_placed_does_not_reuse_what_that_work_searched()
    {
        // Seed 13 resizes w04 on a Duplicate stack: the kept copies are placed with no pool closed, then a trial closes a pool
        // that a memo from that search still counted as open, and committing the copy it promised failed ("the search and the
        // commit disagree"). Found by the property above with 300 seeds.
        var stack = RandomStack.Generate(13);
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(Consolidate.Plan(stack.Load(), null, options, shortcuts: false)));
        var (edited, edit, _) = stack.Change(13);
        var spec = edited.Load();
        Assert.Equal("resize w04 to 5", edit);

        var full = Consolidate.Plan(spec, first, options, shortcuts: false);

        Assert.Equal(PlanJson.Write(full), PlanJson.Write(Consolidate.Plan(spec, first, options, shortcuts: true)));
        Assert.Equal(first.Placements.Keys.Order(StringComparer.Ordinal), full.Placements.Keys.Order(StringComparer.Ordinal));
    }

    [Property(MaxTest = 60)]
    public void A_re_plan_of_the_same_config_is_the_same_with_and_without_the_shortcuts(int seed)
    {
        var spec = RandomStack.Generate(seed).Load();
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(Consolidate.Plan(spec, null, options, shortcuts: false)));

        Assert.Equal(
            PlanJson.Write(Consolidate.Plan(spec, first, options, shortcuts: false)),
            PlanJson.Write(Consolidate.Plan(spec, first, options, shortcuts: true)));
    }

    [Fact]
    public void A_move_to_a_cluster_that_is_not_up_yet_is_refused_without_planning_it_when_the_workload_runs_faster_now()
    {
        // "w" fits on the running nodes of "hot" (two 4-CPU nodes up); "cold" is dynamic, so it does not exist yet and any copy
        // on it launches by creating the cluster: slower than the greedy plan's running nodes, which the pass refuses.
        var spec = new FleetBuilder()
            .Cluster("hot", c => c.Pool("cpu", "m5.xlarge", 2, 4))
            .Cluster("cold", c => c.Dynamic().Pool("cpu", "m5.xlarge", 0, 4))
            .Workload("w", w => w.Workers("w", 1, 500, 1))
            .Build();
        var options = new PlanOptions();
        var greedy = FleetPlanner.Plan(spec, null, options);
        Assert.Equal(LaunchTier.RunningNodes, greedy.Placements["w"].Copies.Single().Tier);
        Assert.Equal("hot", greedy.ClusterOf("w"));

        var quick = new Consolidate.Setups(spec, null, options, shortcuts: true);
        var full = new Consolidate.Setups(spec, null, options, shortcuts: false);

        Assert.True(quick.LaunchesSlowerOn(NoCaps, greedy, "w", "cold"));
        Assert.False(quick.LaunchesSlowerOn(NoCaps, greedy, "w", "hot"));
        Assert.False(full.LaunchesSlowerOn(NoCaps, greedy, "w", "cold"));

        // Planned in full, the trial is what the shortcut says: the copy goes to "cold" by creating it, and the pass refuses it.
        var trial = full.Trial([], new(StringComparer.Ordinal) { ["w"] = "=cold" }, NoCaps);
        Assert.Equal(("cold", LaunchTier.CreateCluster), (trial.Placements["w"].Copies.Single().Cluster, trial.Placements["w"].Copies.Single().Tier));
        Assert.False(full.Keeps(greedy, trial));
    }

    [Property(MaxTest = 40)]
    public void Every_move_the_pass_refuses_without_planning_it_is_refused_when_planned(int seed)
    {
        // On a re-plan after an edit (clusters in standby and not created yet, work kept and new): each free workload pinned to
        // each cluster the shortcut rules out, planned in full, is a trial the pass refuses.
        var (spec, first, options) = ReplanAfterEdit(seed);
        var greedy = FleetPlanner.Plan(spec, first, options);
        var quick = new Consolidate.Setups(spec, first, options, shortcuts: true);
        var full = new Consolidate.Setups(spec, first, options, shortcuts: false);
        foreach (var workload in Consolidate.FreeToMove(spec, first, greedy))
        {
            foreach (var cluster in greedy.Clusters.Keys.Where(c => quick.LaunchesSlowerOn(NoCaps, greedy, workload, c)))
            {
                var trial = full.Trial([], new(StringComparer.Ordinal) { [workload] = "=" + cluster }, NoCaps);
                Assert.False(full.Keeps(greedy, trial), $"seed {seed}: {workload} pinned to {cluster} was kept");
            }
        }
    }
}
