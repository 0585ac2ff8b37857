using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Simulation.Traces;

namespace SkyRay.Benchmarks.Simulation;

/// <summary>
/// A generated trace over a synthetic fleet's workloads, streamed (arrivals are produced as the simulation reads them):
/// a working-hours peak (weekdays 9–18 UTC four times busier than nights, weekends half as busy as nights), RayJobs that
/// run 10 minutes to 4 hours, RayServices and RayClusters that stay 30 minutes to 12 hours (log-uniform), every tenth one
/// with a demand change halfway. Deterministic for a seed.
/// </summary>
internal static class SyntheticTrace
{
    public static GeneratedTrace Generate(FleetSpec fleet, int arrivals, TimeSpan period, int seed)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var templates = fleet.Workloads.Values.ToArray();
        var hours = (int)Math.Ceiling(period.TotalHours);
        var cumulative = new double[hours + 1];
        for (var h = 0; h < hours; h++)
        {
            var day = h / 24 % 7;
            var hour = h % 24;
            var weight = day >= 5 ? 0.5 : hour is >= 9 and < 18 ? 4.0 : 1.0;
            cumulative[h + 1] = cumulative[h] + weight;
        }

        var header = new TraceHeader(
            $"synthetic-{arrivals}-over-{hours}h",
            TraceHeader.DefaultStart,
            TraceHeader.DefaultStart + period,
            null,
            ImmutableSortedDictionary.Create<string, TimeSpan>(StringComparer.Ordinal),
            new JsonObject(),
            "synthetic:workloads");
        return new GeneratedTrace(header, () => Arrivals(templates, arrivals, period, cumulative, seed));
    }

    private static IEnumerable<TraceArrival> Arrivals(WorkloadSpec[] templates, int count, TimeSpan period, double[] cumulative, int seed)
    {
        var random = new Random(seed);
        var total = cumulative[^1];
        for (var i = 0; i < count; i++)
        {
            // One arrival per equal slice of the busy-weighted clock, warped back onto real time: sorted by construction.
            var u = (i + random.NextDouble()) / count * total;
            var hour = Array.BinarySearch(cumulative, u);
            hour = hour >= 0 ? Math.Min(hour, cumulative.Length - 2) : ~hour - 1;
            var within = (u - cumulative[hour]) / (cumulative[hour + 1] - cumulative[hour]);
            var at = TimeSpan.FromSeconds(Math.Min(period.TotalSeconds - 1, Math.Floor((hour + within) * 3600)));
            var template = templates[random.Next(templates.Length)];
            var job = template.Kind == RayKind.RayJob;
            var minutes = job ? LogUniform(random, 10, 240) : LogUniform(random, 30, 720);
            var duration = TimeSpan.FromMinutes(Math.Round(minutes));
            ImmutableArray<DemandStep> demand = [];
            if (i % 10 == 0 && template.WorkerGroups.Length > 0)
            {
                var replicas = Math.Max(1, template.WorkerGroups[0].Replicas * 2);
                demand = [new DemandStep(TimeSpan.FromMinutes(Math.Round(minutes / 2)), replicas, ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal))];
            }

            yield return new TraceArrival(i + 1, template.Name, null, at, duration, demand, $"synthetic:{i + 1}");
        }
    }

    private static double LogUniform(Random random, double min, double max) => Math.Exp(Math.Log(min) + (random.NextDouble() * (Math.Log(max) - Math.Log(min))));
}
