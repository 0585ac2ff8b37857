using System.Collections.Immutable;
using System.Globalization;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Pipeline.Scoring;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Baselines;

/// <summary>
/// <c>baselines</c>: SkyRay's plan against planners written from the peers' documented behaviour, on the same synthetic
/// fleets (bench only, never shipped). Nova's capacity-based placement: each workload goes to a cluster with
/// sufficient capacity for it, else to one whose autoscaler can add nodes, else (with cluster creation enabled) a
/// cluster is created; clusters in the policy's listed / ordered-selector order, no cost. Expressed as SkyRay's own
/// pipeline with a ranking of stickiness, priority, launch tier and name (no cost scorer) and no consolidate pass.
/// Karmada's default division (<see cref="KarmadaDivision"/>): replicas split over the allowed clusters by the replicas each
/// can still take, through the same pipeline with that selection for every unit.
/// </summary>
internal static class BaselinesCommand
{
    public static int Run(string[] args)
    {
        var sizes = args.Contains("--sizes")
            ? args[Array.IndexOf(args, "--sizes") + 1].Split(',').Select(s => s.Split('x')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture))).ToList()
            : [(100, 10), (1_000, 10), (1_000, 100), (10_000, 100)];
        var catalog = InstanceCatalogReader.BuiltIn();
        ImmutableArray<IScorer> nova = [new StickinessScorer(), new PriorityScorer(), new LaunchTierScorer(), new ClusterNameScorer()];
        Console.WriteLine("| Workloads | Clusters | Planner | Plan cost $/h | vs SkyRay | Unplaced | Running nodes / scale up / wake / create |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---|");
        foreach (var (workloads, clusters) in sizes)
        {
            var spec = SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), catalog);
            var skyray = FleetPlanner.Plan(spec);
            var novaPlan = new PlanRun(spec, null, new PlanOptions()) { Scorers = nova }.Run();
            var karmadaPlan = new PlanRun(spec, null, new PlanOptions()) { Selections = _ => KarmadaDivision.Instance }.Run();
            Row(workloads, clusters, "SkyRay", skyray, skyray);
            Row(workloads, clusters, "Nova capacity (baseline)", novaPlan, skyray);
            Row(workloads, clusters, "Karmada division (baseline)", karmadaPlan, skyray);
        }

        return 0;
    }

    private static void Row(int workloads, int clusters, string name, FleetPlan plan, FleetPlan skyray)
    {
        var tiers = plan.Placements.Values.SelectMany(p => p.Copies).GroupBy(c => c.Tier).ToDictionary(g => g.Key, g => g.Count());
        var mix = string.Join(" / ", new[] { LaunchTier.RunningNodes, LaunchTier.ScaleUp, LaunchTier.WakeStandby, LaunchTier.CreateCluster }.Select(t => tiers.GetValueOrDefault(t).ToString("N0", CultureInfo.InvariantCulture)));
        var ratio = skyray.HourlyCost == 0 ? "n/a" : (plan.HourlyCost / skyray.HourlyCost).ToString("0.000", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {workloads:N0} | {clusters:N0} | {name} | {plan.HourlyCost:N2} | {ratio} | {plan.Unplaced.Count():N0} | {mix} |"));
    }
}
