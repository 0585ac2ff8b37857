using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Diff;

/// <summary>What happens to one workload between two plans.</summary>
public enum WorkloadChangeKind
{
    /// <summary>Placed now, not before (new, or unplaced before).</summary>
    Placed,

    /// <summary>On other clusters than before.</summary>
    Moved,

    /// <summary>On the same clusters, with other worker replicas on at least one.</summary>
    Resized,

    /// <summary>Placed before, not now.</summary>
    Unplaced,

    /// <summary>In the base plan only (removed from the config).</summary>
    Removed,
}

/// <summary>One workload's change.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Kind">What changed.</param>
/// <param name="Before">Its clusters before (sorted; empty when not placed).</param>
/// <param name="After">Its clusters after (sorted).</param>
/// <param name="Why">Why, in the head plan's words: the reason it is unplaced, or the launch tier of each new copy.</param>
public sealed record WorkloadChange(string Workload, WorkloadChangeKind Kind, ImmutableArray<string> Before, ImmutableArray<string> After, string Why);

/// <summary>What happens to one cluster between two plans.</summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Change"><c>created</c>, <c>woken</c>, <c>to standby</c>, <c>deleted</c>, <c>added</c> or <c>removed</c>.</param>
/// <param name="Before">Its state before (<c>-</c> when not in the base plan).</param>
/// <param name="After">Its state after (<c>-</c> when not in the head plan).</param>
public sealed record ClusterChange(string Cluster, string Change, string Before, string After);

/// <summary>Replicas of one worker group of a copy, before and after.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Cluster">The cluster of the copy.</param>
/// <param name="Group">The worker group.</param>
/// <param name="Before">Replicas before (0 when the copy was not there).</param>
/// <param name="After">Replicas after (0 when the copy is gone).</param>
public sealed record ReplicaChange(string Workload, string Cluster, string Group, int Before, int After);

/// <summary>The placement difference between a base plan and a head plan (e.g. main's config and a pull request's).</summary>
/// <param name="Workloads">Workload changes, by workload.</param>
/// <param name="Clusters">Cluster state changes, by cluster.</param>
/// <param name="Replicas">Replica changes, by workload, cluster and group.</param>
/// <param name="CostBefore">The base plan's node cost per hour (the plan counts nodes; control-plane fees are not in it).</param>
/// <param name="CostAfter">The head plan's node cost per hour.</param>
public sealed record PlanDiffResult(
    ImmutableArray<WorkloadChange> Workloads,
    ImmutableArray<ClusterChange> Clusters,
    ImmutableArray<ReplicaChange> Replicas,
    decimal CostBefore,
    decimal CostAfter)
{
    /// <summary>True when nothing moves: no workload, cluster or replica change (a cost change alone follows from those).</summary>
    public bool IsEmpty => Workloads.IsEmpty && Clusters.IsEmpty && Replicas.IsEmpty;
}

/// <summary>Compares two plans: what a config change moves, in the order a reviewer reads it.</summary>
public static class PlanDiff
{
    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/>.</summary>
    /// <param name="before">The base plan.</param>
    /// <param name="after">The head plan.</param>
    /// <returns>The difference, sorted by name.</returns>
    public static PlanDiffResult Compare(FleetPlan before, FleetPlan after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var workloads = ImmutableArray.CreateBuilder<WorkloadChange>();
        var replicas = ImmutableArray.CreateBuilder<ReplicaChange>();
        foreach (var name in before.Placements.Keys.Union(after.Placements.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var old = before.Placements.GetValueOrDefault(name);
            var now = after.Placements.GetValueOrDefault(name);
            var was = Clusters(old);
            var @is = Clusters(now);
            if (now is null)
            {
                workloads.Add(new WorkloadChange(name, WorkloadChangeKind.Removed, was, [], "not in the head config"));
                continue;
            }

            if (@is.IsEmpty && !was.IsEmpty)
            {
                workloads.Add(new WorkloadChange(name, WorkloadChangeKind.Unplaced, was, [], now.UnplacedReason ?? "it fits on no cluster"));
            }
            else if (!@is.IsEmpty && was.IsEmpty)
            {
                workloads.Add(new WorkloadChange(name, WorkloadChangeKind.Placed, was, @is, Tiers(now, @is)));
            }
            else if (!was.SequenceEqual(@is, StringComparer.Ordinal))
            {
                workloads.Add(new WorkloadChange(name, WorkloadChangeKind.Moved, was, @is, Tiers(now, [.. @is.Except(was, StringComparer.Ordinal)])));
            }

            var sizes = ReplicaChanges(name, old, now);
            replicas.AddRange(sizes);
            if (!sizes.IsEmpty && !@is.IsEmpty && was.SequenceEqual(@is, StringComparer.Ordinal))
            {
                workloads.Add(new WorkloadChange(name, WorkloadChangeKind.Resized, was, @is, "worker replicas change on " + string.Join(", ", sizes.Select(s => s.Cluster).Distinct())));
            }
        }

        var clusters = ImmutableArray.CreateBuilder<ClusterChange>();
        foreach (var name in before.Clusters.Keys.Union(after.Clusters.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var was = before.Clusters.GetValueOrDefault(name)?.State;
            var @is = after.Clusters.GetValueOrDefault(name)?.State;
            if (was == @is)
            {
                continue;
            }

            var change = (was, @is) switch
            {
                (null, _) => "added",
                (_, null) => "removed",
                (ClusterState.Absent, ClusterState.Active) => "created",
                (ClusterState.Absent, ClusterState.Standby) => "created in standby",
                (ClusterState.Standby, ClusterState.Active) => "woken",
                (ClusterState.Active, ClusterState.Standby) => "to standby",
                (_, ClusterState.Absent) => "deleted",
                _ => "changed",
            };
            clusters.Add(new ClusterChange(name, change, State(was), State(@is)));
        }

        return new PlanDiffResult(workloads.ToImmutable(), clusters.ToImmutable(), replicas.ToImmutable(), before.HourlyCost, after.HourlyCost);
    }

    /// <summary>The difference as Markdown for a pull-request comment: a summary line, the moves, and the full lists folded.</summary>
    /// <param name="diff">The difference.</param>
    /// <param name="title">The heading (e.g. the stack's name).</param>
    /// <returns>Markdown text ending with a newline.</returns>
    public static string Markdown(PlanDiffResult diff, string title)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Placement diff: {title}\n\n");
        if (diff.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $"No placement change. Node cost per hour stays ${diff.CostAfter:0.00}.\n");
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"{Summary(diff)}. Node cost per hour ${diff.CostBefore:0.00} → ${diff.CostAfter:0.00} ({Signed(diff.CostAfter - diff.CostBefore)}).\n\n");
        if (!diff.Workloads.IsEmpty)
        {
            text.Append("| workload | change | from | to | why |\n|---|---|---|---|---|\n");
            foreach (var w in diff.Workloads)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {w.Workload} | {Lower(w.Kind)} | {List(w.Before)} | {List(w.After)} | {w.Why.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
            }

            text.Append('\n');
        }

        if (!diff.Clusters.IsEmpty)
        {
            text.Append("| cluster | change | from | to |\n|---|---|---|---|\n");
            foreach (var c in diff.Clusters)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {c.Cluster} | {c.Change} | {c.Before} | {c.After} |\n");
            }

            text.Append('\n');
        }

        if (!diff.Replicas.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $"<details><summary>{diff.Replicas.Length} replica change(s)</summary>\n\n");
            text.Append("| workload | cluster | group | from | to |\n|---|---|---|---|---|\n");
            foreach (var r in diff.Replicas)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {r.Workload} | {r.Cluster} | {r.Group} | {r.Before} | {r.After} |\n");
            }

            text.Append("\n</details>\n");
        }

        return text.ToString();
    }

    /// <summary>One line: how many workloads are placed, moved, resized, unplaced and removed, and how many clusters change.</summary>
    /// <param name="diff">The difference.</param>
    /// <returns>The summary.</returns>
    public static string Summary(PlanDiffResult diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var parts = Enum.GetValues<WorkloadChangeKind>()
            .Select(k => (Kind: k, Count: diff.Workloads.Count(w => w.Kind == k)))
            .Where(p => p.Count > 0)
            .Select(p => $"{p.Count} {Lower(p.Kind)}")
            .ToList();
        if (!diff.Clusters.IsEmpty)
        {
            parts.Add($"{diff.Clusters.Length} cluster(s) change state");
        }

        return parts.Count == 0 ? "replicas change" : string.Join(", ", parts);
    }

    private static ImmutableArray<string> Clusters(WorkloadPlacement? placement) =>
        placement is null ? [] : [.. placement.Copies.Select(c => c.Cluster).Distinct().Order(StringComparer.Ordinal)];

    private static string Tiers(WorkloadPlacement placement, ImmutableArray<string> clusters) =>
        string.Join(", ", placement.Copies.Where(c => clusters.Contains(c.Cluster)).Select(c => $"{c.Cluster}: {c.Tier}"));

    private static ImmutableArray<ReplicaChange> ReplicaChanges(string workload, WorkloadPlacement? before, WorkloadPlacement after)
    {
        var old = (before?.Copies ?? []).ToDictionary(c => c.Cluster, StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<ReplicaChange>();
        foreach (var copy in after.Copies.OrderBy(c => c.Cluster, StringComparer.Ordinal))
        {
            if (!old.TryGetValue(copy.Cluster, out var was))
            {
                continue;
            }

            foreach (var group in was.WorkerReplicas.Keys.Union(copy.WorkerReplicas.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var a = was.WorkerReplicas.GetValueOrDefault(group);
                var b = copy.WorkerReplicas.GetValueOrDefault(group);
                if (a != b)
                {
                    result.Add(new ReplicaChange(workload, copy.Cluster, group, a, b));
                }
            }
        }

        return result.ToImmutable();
    }

    private static string State(ClusterState? state) => state is { } s ? Words.Of(s) : "-";

    private static string List(ImmutableArray<string> clusters) => clusters.IsEmpty ? "-" : string.Join(", ", clusters);

    private static string Signed(decimal value) => value >= 0 ? FormattableString.Invariant($"+${value:0.00}") : FormattableString.Invariant($"-${-value:0.00}");

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
