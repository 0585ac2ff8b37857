using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Ports;

namespace SkyRay.Orchestration.Failover;

/// <summary>How a run treats a cluster's Kubernetes API.</summary>
public enum ClusterLiveness
{
    /// <summary>It answered, or nothing says otherwise: declared as usual.</summary>
    Reachable,

    /// <summary>Observed unreachable: its objects are kept as they are (updates against it are skipped, not waited on).</summary>
    Unreachable,

    /// <summary>Lost (in config, or unreachable on too many runs in a row): objects that leave the program leave the state without
    /// a delete against its API server.</summary>
    Lost,
}

/// <summary>Which clusters take no new work this run, and why; and how unreachable each one has been.</summary>
/// <param name="Unavailable">Configured clusters that take no new work, with the reason.</param>
/// <param name="UnreachableRuns">Per physical cluster, runs in a row it was observed unreachable (only above 0): the next run reads it back.</param>
/// <param name="Liveness">Per physical cluster that is not plainly reachable, how its API is treated.</param>
public sealed record AvailabilityOutcome(
    ImmutableSortedDictionary<string, string> Unavailable,
    ImmutableSortedDictionary<string, int> UnreachableRuns,
    ImmutableSortedDictionary<string, ClusterLiveness> Liveness);

/// <summary>
/// A cluster takes no new work when config marks it <c>cordoned</c> or <c>lost</c>, or when its API server was observed unreachable on
/// <c>skyray:operations.lostAfterUnreachableRuns</c> runs in a row (it is then treated as lost until it answers again). A run
/// without an observation of a cluster carries its count over unchanged: not seeing is not evidence either way.
/// </summary>
public static class Availability
{
    /// <summary>Decides availability.</summary>
    /// <param name="spec">The configured stack.</param>
    /// <param name="previous">The previous outputs (their unreachable counts), or null.</param>
    /// <param name="view">The observation.</param>
    /// <param name="physical">The physical clusters that stand for a configured one (its upgrade's old cluster and clone, or itself).</param>
    /// <returns>The outcome.</returns>
    public static AvailabilityOutcome Decide(FleetSpec spec, FleetOutputs? previous, FleetView view, Func<string, IReadOnlyList<string>> physical)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(physical);
        var runs = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var liveness = ImmutableSortedDictionary.CreateBuilder<string, ClusterLiveness>(StringComparer.Ordinal);
        var unavailable = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var threshold = spec.Operations.LostAfterUnreachableRuns;
        foreach (var cluster in spec.Clusters.Values)
        {
            var lostByObservation = false;
            var worst = 0;
            foreach (var name in physical(cluster.Name))
            {
                var seen = view.Cluster(name);
                var count = seen.Unreachable ? previous?.Unreachable.GetValueOrDefault(name) + 1 ?? 1
                    : seen.Reachable ? 0
                    : previous?.Unreachable.GetValueOrDefault(name) ?? 0;
                if (count > 0)
                {
                    runs[name] = count;
                }

                worst = Math.Max(worst, count);
                var lost = cluster.Availability == ClusterAvailability.Lost || (threshold > 0 && count >= threshold);
                lostByObservation |= threshold > 0 && count >= threshold;
                if (lost)
                {
                    liveness[name] = ClusterLiveness.Lost;
                }
                else if (seen.Unreachable)
                {
                    liveness[name] = ClusterLiveness.Unreachable;
                }
            }

            if (cluster.Availability == ClusterAvailability.Lost)
            {
                unavailable[cluster.Name] = "lost (skyray:clusters." + cluster.Name + ".availability)";
            }
            else if (cluster.Availability == ClusterAvailability.Cordoned)
            {
                unavailable[cluster.Name] = "cordoned (skyray:clusters." + cluster.Name + ".availability)";
            }
            else if (lostByObservation)
            {
                unavailable[cluster.Name] = $"its API server did not answer on {worst} runs in a row (skyray:operations.lostAfterUnreachableRuns: {threshold})";
            }
        }

        return new AvailabilityOutcome(unavailable.ToImmutable(), runs.ToImmutable(), liveness.ToImmutable());
    }
}
