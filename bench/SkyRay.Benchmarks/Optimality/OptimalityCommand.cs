using System.Globalization;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Optimality;

/// <summary>
/// <c>optimality</c>: N seeded small fleets (3–8 clusters, 10–30 workloads, single-copy policies); for each, the
/// planner's cost over the CP-SAT minimum; prints a row per instance and the mean and max ratio.
/// </summary>
internal static class OptimalityCommand
{
    public static int Run(string[] args)
    {
        var count = Option(args, "--instances", 20);
        var seconds = Option(args, "--time-limit", 20);
        var catalog = InstanceCatalogReader.BuiltIn();
        var probe = SyntheticFleet.Generate(Shape(1), catalog);
        if (!Planner.Available(probe, out var why))
        {
            Console.Error.WriteLine("optimality needs the planner: " + why);
            return 1;
        }

        Console.WriteLine($"{count} instances, CP-SAT time limit {seconds}s each (1 worker).");
        Console.WriteLine();
        Console.WriteLine("| Seed | Clusters | Workloads | Planner $/h | Unplaced | CP-SAT $/h | Proven | Ratio |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|:---:|---:|");
        var ratios = new List<double>();
        for (var seed = 1; seed <= count; seed++)
        {
            var spec = SyntheticFleet.Generate(Shape(seed), catalog);
            var plan = FleetPlanner.Plan(spec);
            var unplaced = plan.Unplaced.Count();
            var optimum = MinimumCostModel.Solve(spec, TimeSpan.FromSeconds(seconds), workers: 1, hint: plan);
            string ratio;
            if (optimum.HourlyCost is { } best && unplaced == 0 && best > 0)
            {
                var r = (double)(plan.HourlyCost / best);
                ratios.Add(r);
                ratio = r.ToString("0.000", CultureInfo.InvariantCulture);
            }
            else
            {
                ratio = optimum.HourlyCost is null ? $"n/a ({optimum.Status})" : "n/a (unplaced)";
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {seed} | {spec.Clusters.Count} | {spec.Workloads.Count} | {plan.HourlyCost:0.00} | {unplaced} | {optimum.HourlyCost:0.00} | {(optimum.Proven ? "yes" : "no")} | {ratio} |"));
        }

        Console.WriteLine();
        if (ratios.Count == 0)
        {
            Console.WriteLine("no comparable instance (every instance had unplaced workloads or no CP-SAT solution)");
            return 1;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"planner cost / CP-SAT optimum over {ratios.Count} instances: mean {ratios.Average():0.000}, max {ratios.Max():0.000}, min {ratios.Min():0.000}"));
        Console.WriteLine("(the CP-SAT model packs capacity per pool, not per node, so its optimum is a lower bound: ratios are upper bounds on the planner's gap)");
        return 0;
    }

    /// <summary>Instance <paramref name="seed"/>: size drawn from the seed so the set is the same on every run.</summary>
    public static FleetShape Shape(int seed)
    {
        var random = new Random(seed * 7919);
        return new FleetShape(Clusters: random.Next(3, 9), Workloads: random.Next(10, 31), Seed: seed, SingleCopy: true, GpuShare: 0.2);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
