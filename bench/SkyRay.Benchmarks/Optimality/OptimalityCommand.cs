using System.Globalization;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Optimality;

/// <summary>A family of seeded small instances.</summary>
/// <param name="Id">Short name (<c>a</c>, <c>b</c>).</param>
/// <param name="Title">What the family is and why.</param>
/// <param name="Shape">Instance <c>seed</c>'s shape.</param>
internal sealed record Family(string Id, string Title, Func<int, FleetShape> Shape);

/// <summary>
/// <c>optimality</c>: the planner's cost against the exact node-level CP-SAT optimum on small seeded fleets, in two
/// families reported apart: (a) every cluster static and up with MinNodes 0, so every candidate is the same launch
/// tier and the planner decides by cost alone; (b) static and dynamic clusters mixed, where the planner prefers a
/// faster launch tier over cost on purpose, compared both with the pure cost optimum and with a tier-first optimum.
/// </summary>
internal static class OptimalityCommand
{
    /// <summary>The two families; instance sizes are drawn from the seed so every run sees the same set.</summary>
    public static IReadOnlyList<Family> Families { get; } =
    [
        new("a", "cost only: all clusters static and up, MinNodes 0 (every candidate is tier ScaleUp)", seed => Shape(seed) with { StaticShare = 1.0, StaticMinNodes = 0 }),
        new("b", "mixed: about 40 % static clusters (1 CPU node always on), the rest dynamic (created just in time)", Shape),
        new("c", "large, cost only: 10–20 clusters, 100–200 workloads, all static and up, MinNodes 0; judged against CP-SAT's best bound within the time limit", seed => LargeShape(seed) with { StaticShare = 1.0, StaticMinNodes = 0 }),
    ];

    /// <summary>Instance <paramref name="seed"/> of the large family: 10–20 clusters, 100–200 single-copy workloads, 20 % GPU.</summary>
    public static FleetShape LargeShape(int seed)
    {
        var random = new Random(seed * 104729);
        return new FleetShape(Clusters: random.Next(10, 21), Workloads: random.Next(100, 201), Seed: seed, SingleCopy: true, GpuShare: 0.2);
    }

    public static int Run(string[] args)
    {
        var count = Option(args, "--instances", 20);
        var seconds = Option(args, "--time-limit", 20);
        var only = args.Contains("--family") ? args[Array.IndexOf(args, "--family") + 1] : null;
        var detail = args.Contains("--detail");
        // --seeds 6,16: only those instances (to look at a few closely).
        int[]? seeds = args.Contains("--seeds") ? [.. args[Array.IndexOf(args, "--seeds") + 1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))] : null;
        var catalog = InstanceCatalogReader.BuiltIn();
        if (!Planner.Available(SyntheticFleet.Generate(Shape(1), catalog), out var why))
        {
            Console.Error.WriteLine("optimality needs the planner: " + why);
            return 1;
        }

        Console.WriteLine($"{count} instances per family, CP-SAT time limit {seconds}s per solve (1 worker), {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        var exit = 0;
        // The large family runs only when asked for (--family c): each solve uses its whole time limit.
        foreach (var family in Families.Where(f => only is null ? f.Id != "c" : f.Id == only))
        {
            exit |= RunFamily(family, count, seeds, TimeSpan.FromSeconds(seconds), catalog, detail);
        }

        return exit;
    }

    /// <summary>Instance <paramref name="seed"/>: 3–8 clusters, 10–30 single-copy workloads, 20 % GPU.</summary>
    public static FleetShape Shape(int seed)
    {
        var random = new Random(seed * 7919);
        return new FleetShape(Clusters: random.Next(3, 9), Workloads: random.Next(10, 31), Seed: seed, SingleCopy: true, GpuShare: 0.2);
    }

    private static int RunFamily(Family family, int count, IReadOnlyList<int>? seeds, TimeSpan limit, InstanceCatalog catalog, bool detail)
    {
        var mixed = family.Id == "b";
        Console.WriteLine();
        Console.WriteLine($"Family ({family.Id}) {family.Title}");
        Console.WriteLine();
        Console.WriteLine(mixed
            ? "| Seed | Clusters | Workloads | Planner $/h | Planner slow starts | Optimum $/h | Proven | Optimum slow starts | Ratio | Tier-first optimum $/h (slow starts) | Ratio to tier-first | Faster tier at higher cost |"
            : "| Seed | Clusters | Workloads | Planner $/h | Optimum $/h | Proven | Ratio | Best bound $/h | Planner / bound |");
        Console.WriteLine(mixed ? "|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|:---:|" : "|---:|---:|---:|---:|---:|:---:|---:|---:|---:|");
        var gaps = new List<double>();
        var ratios = new List<double>();
        var lexRatios = new List<double>();
        var proven = 0;
        var tradeOffs = 0;
        var notes = new List<string>();
        foreach (var seed in seeds ?? Enumerable.Range(1, count))
        {
            var spec = SyntheticFleet.Generate(family.Shape(seed), catalog);
            var fleet = ModelFleet.From(spec);
            var plan = FleetPlanner.Plan(spec);
            var replay = PlannerReplay.Replay(fleet, plan);
            notes.AddRange(replay.Mismatches.Concat(replay.OutsideModel).Select(m => $"seed {seed}: {m}"));
            var planProblems = replay.OutsideModel.Count == 0 ? SolutionCheck.Problems(fleet, replay.Solution) : [];
            notes.AddRange(planProblems.Select(p => $"seed {seed}: the planner's plan breaks a model rule: {p}"));
            var hint = replay.OutsideModel.Count == 0 && replay.Mismatches.Count == 0 && planProblems.Count == 0 ? replay.Solution : null;
            var optimum = MinimumCostModel.Solve(fleet, limit, Objective.Cost, hint: hint);
            var lex = mixed ? MinimumCostModel.Solve(fleet, limit, Objective.TierThenCost, hint: hint) : null;
            if (lex?.HourlyCost is { } lexCost && optimum.HourlyCost is { } costOnly && lexCost < costOnly)
            {
                // The cost solve ran out of time above a plan the tier-first solve found: that plan is the best known.
                optimum = optimum with { HourlyCost = lexCost, Solution = lex.Solution, SlowStarts = lex.SlowStarts };
            }

            proven += optimum.Proven ? 1 : 0;
            string ratio = "n/a";
            if (optimum.HourlyCost is { } best && replay.OutsideModel.Count == 0 && best > 0)
            {
                var r = (double)(plan.HourlyCost / best);
                ratios.Add(r);
                ratio = r.ToString("0.000", CultureInfo.InvariantCulture);
                if (optimum.Proven && plan.HourlyCost < best - 0.0001m)
                {
                    notes.Add($"seed {seed}: the planner ({plan.HourlyCost}) beats the proven optimum ({best}): the model is stricter than the planner");
                }
            }

            if (detail && optimum.Solution is { } solution)
            {
                notes.Add($"seed {seed}: " + Difference(fleet, replay.Solution, solution));
            }

            if (!mixed)
            {
                // The gap to CP-SAT's best bound: an upper bound on how far the planner is from the optimum.
                var gap = "n/a";
                if (optimum.LowerBound > 0 && replay.OutsideModel.Count == 0)
                {
                    var g = (double)(plan.HourlyCost / optimum.LowerBound);
                    gaps.Add(g);
                    gap = g.ToString("0.000", CultureInfo.InvariantCulture);
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {seed} | {spec.Clusters.Count} | {spec.Workloads.Count} | {plan.HourlyCost:0.00} | {optimum.HourlyCost:0.00} | {Proven(optimum)} | {ratio} | {optimum.LowerBound:0.00} | {gap} |"));
                continue;
            }

            var lexRatio = "n/a";
            if (lex!.HourlyCost is { } lexBest && replay.OutsideModel.Count == 0 && lexBest > 0)
            {
                var r = (double)(plan.HourlyCost / lexBest);
                lexRatios.Add(r);
                lexRatio = r.ToString("0.000", CultureInfo.InvariantCulture);
            }

            // The cheaper plan needs more workloads to wait for a cluster than the planner's: launch speed bought with cost.
            var tradeOff = optimum.HourlyCost is { } o && plan.HourlyCost > o + 0.0001m && optimum.SlowStarts > replay.SlowStarts;
            tradeOffs += tradeOff ? 1 : 0;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {seed} | {spec.Clusters.Count} | {spec.Workloads.Count} | {plan.HourlyCost:0.00} | {replay.SlowStarts} | {optimum.HourlyCost:0.00} | {Proven(optimum)} | {optimum.SlowStarts} | {ratio} | {lex.HourlyCost:0.00} ({lex.SlowStarts}){(lex.Proven ? "" : " not proven")} | {lexRatio} | {(tradeOff ? "yes" : "")} |"));
        }

        Console.WriteLine();
        foreach (var note in notes)
        {
            Console.WriteLine("note: " + note);
        }

        if (ratios.Count == 0)
        {
            Console.WriteLine("no comparable instance");
            return 1;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"({family.Id}) planner cost / node-level optimum over {ratios.Count} instances ({proven} proven optimal): mean {ratios.Average():0.000}, median {Median(ratios):0.000}, max {ratios.Max():0.000}, min {ratios.Min():0.000}; {ratios.Count(r => r <= 1.03)} of {ratios.Count} within 1.03"));
        if (gaps.Count > 0)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"({family.Id}) planner cost / CP-SAT best bound over {gaps.Count} instances: mean {gaps.Average():0.000}, median {Median(gaps):0.000}, max {gaps.Max():0.000} (the gap to the optimum is at most this)"));
        }

        if (mixed && lexRatios.Count > 0)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"({family.Id}) planner cost / tier-first optimum: mean {lexRatios.Average():0.000}, median {Median(lexRatios):0.000}, max {lexRatios.Max():0.000}, min {lexRatios.Min():0.000}; {lexRatios.Count(r => r <= 1.03)} of {lexRatios.Count} within 1.03"));
            Console.WriteLine($"({family.Id}) instances where the planner chose a faster launch tier at higher cost: {tradeOffs} of {ratios.Count}");
        }

        return 0;
    }

    /// <summary>Pools where the planner's plan and the optimum run different nodes, e.g. <c>aws-001/cpu 3→2 ($0.38/h)</c>.</summary>
    private static string Difference(ModelFleet fleet, NodeSolution plan, NodeSolution optimum)
    {
        var parts = fleet.Pools
            .Where(p => plan.Nodes.GetValueOrDefault(p.Key) != optimum.Nodes.GetValueOrDefault(p.Key))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Type.Name} {plan.Nodes.GetValueOrDefault(p.Key)}→{optimum.Nodes.GetValueOrDefault(p.Key)} (${p.Price:0.###}/h)"));
        var moved = plan.Assignment.Where(a => optimum.Assignment.GetValueOrDefault(a.Key) != a.Value)
            .Select(a => $"{a.Key} {a.Value}→{optimum.Assignment.GetValueOrDefault(a.Key)}").ToList();
        return $"planner→optimum nodes: {string.Join(", ", parts)}; {moved.Count} workload(s) on another cluster{(moved.Count <= 12 ? ": " + string.Join(", ", moved) : "")}";
    }

    private static string Proven(Optimum o) => o.Proven ? "yes" : $"no (bound {o.LowerBound:0.00})";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
