using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;

namespace SkyRay.Placement.Consolidation;

/// <summary>
/// In a trial of the consolidate pass, rules out the cluster a workload is moved away from (the workload gets a
/// scope of its own with this filter added after the policy's filters), so it goes to its next best cluster.
/// </summary>
/// <param name="cluster">The cluster the workload leaves, or (with <paramref name="only"/>) the one it moves to.</param>
/// <param name="only">True: every other cluster is ruled out instead.</param>
internal sealed class MovedAwayFilter(string cluster, bool only = false) : IClusterFilter
{
    /// <inheritdoc />
    public string Name => Consolidate.Name;

    /// <inheritdoc />
    public string? Reject(SchedulePolicy? policy, PlanCluster cluster1) =>
        string.Equals(cluster1.Name, cluster, StringComparison.Ordinal) != only
            ? "moved away to close nodes (a cheaper plan at the same or a faster launch tier)"
            : null;

    /// <summary>The filter for a move: <c>cluster</c> to leave it, <c>=cluster</c> to go only there.</summary>
    public static MovedAwayFilter For(string move) =>
        move.StartsWith('=') ? new MovedAwayFilter(move[1..], only: true) : new MovedAwayFilter(move);
}
