using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Failover;

/// <summary>What failover and protection did to a plan.</summary>
/// <param name="Plan">The plan with the copies kept where they run.</param>
/// <param name="Lines">One line per handover step or kept workload, for the run's log.</param>
/// <param name="Warnings">One warning per running workload kept although no cluster fits it any more.</param>
/// <param name="Protected">The workloads kept where they run although unplaced.</param>
public sealed record FailoverOutcome(FleetPlan Plan, ImmutableArray<string> Lines, ImmutableArray<Diagnostic> Warnings, ImmutableSortedSet<string> Protected);

/// <summary>
/// Two rules that keep running work alive while the plan moves it, both working on configured cluster names:
/// <list type="bullet">
/// <item><b>Create before delete</b> (failover): a copy on a cluster that takes no new work (cordoned, lost) stays declared until
/// every copy that replaces it elsewhere is observed running (a RayService Ready, serving and with an address); only then is it
/// dropped. A RayJob running on a cordoned cluster is not moved at all: it finishes there. Without an observation a replacement
/// counts as running once a previous run declared it on an active cluster (and the run says it assumed so).</item>
/// <item><b>Protection</b>: a workload the planner can no longer place (a policy typo, a selector that matches nothing) that runs
/// somewhere stays there, flagged, unless <c>skyray:operations.allowEvictions</c> is true or the workload left the config.</item>
/// </list>
/// </summary>
public static class FailoverPolicy
{
    /// <summary>The stack the planner sees: without the clusters that take no new work.</summary>
    /// <param name="spec">The configured stack.</param>
    /// <param name="unavailable">Clusters that take no new work.</param>
    /// <param name="finished">Finished jobs, left out of placement.</param>
    /// <returns>The stack to plan.</returns>
    public static FleetSpec PlanningSpec(FleetSpec spec, IReadOnlyCollection<string> unavailable, IReadOnlyCollection<string> finished)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(unavailable);
        ArgumentNullException.ThrowIfNull(finished);
        return unavailable.Count == 0 && finished.Count == 0
            ? spec
            : spec with { Clusters = spec.Clusters.RemoveRange(unavailable), Workloads = spec.Workloads.RemoveRange(finished) };
    }

    /// <summary>Applies failover and protection to the planner's plan.</summary>
    /// <param name="spec">The configured stack.</param>
    /// <param name="placed">The planner's plan of <see cref="PlanningSpec"/>.</param>
    /// <param name="previousPlan">The previous plan under configured names, or null.</param>
    /// <param name="previous">The previous outputs under configured names, or null.</param>
    /// <param name="availability">Which clusters take no new work.</param>
    /// <param name="view">What is observed.</param>
    /// <param name="physical">The physical clusters standing for a configured one.</param>
    /// <param name="finished">Finished jobs (never kept, never moved).</param>
    /// <returns>The plan to go on with.</returns>
    public static FailoverOutcome Apply(
        FleetSpec spec,
        FleetPlan placed,
        FleetPlan? previousPlan,
        FleetOutputs? previous,
        AvailabilityOutcome availability,
        FleetView view,
        Func<string, IReadOnlyList<string>> physical,
        IReadOnlySet<string> finished)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placed);
        ArgumentNullException.ThrowIfNull(availability);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(physical);
        ArgumentNullException.ThrowIfNull(finished);
        var clusters = placed.Clusters.ToBuilder();
        foreach (var (name, reason) in availability.Unavailable)
        {
            clusters[name] = Resting(spec, spec.Clusters[name], previousPlan?.Clusters?.GetValueOrDefault(name), reason);
        }

        var placements = placed.Placements.ToBuilder();
        foreach (var name in finished)
        {
            placements.Remove(name);
        }

        var lines = ImmutableArray.CreateBuilder<string>();
        var warnings = ImmutableArray.CreateBuilder<Diagnostic>();
        var keep = new List<WorkloadCopy>();
        var protectedNames = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var (workload, before) in HadCopies(spec, previousPlan, finished))
        {
            var now = placements.GetValueOrDefault(workload.Name)?.Copies ?? [];
            if (now.IsDefaultOrEmpty)
            {
                var running = before.Where(c => MayRun(workload, c.Cluster, previous, view, physical)).ToList();
                if (running.Count == 0 || spec.Operations.AllowEvictions)
                {
                    continue;
                }

                keep.AddRange(running);
                protectedNames.Add(workload.Name);
                var where = string.Join(", ", running.Select(c => c.Cluster));
                var why = placements.GetValueOrDefault(workload.Name)?.UnplacedReason ?? "no cluster fits it";
                lines.Add($"! keep {workload.Name} on {where}: it runs there and no cluster fits it any more ({why})");
                warnings.Add(new Diagnostic(
                    Severity.Warning,
                    $"skyray:workloads.{workload.Name}",
                    $"no cluster fits it any more ({why}); it keeps running on {where} instead of being removed",
                    "fix its policy, or set skyray:operations.allowEvictions: true (or remove the workload) to let it go"));
                continue;
            }

            if (availability.Unavailable.Count == 0)
            {
                // Nothing to fail over from (most runs): no filtered copy list per placed workload.
                continue;
            }

            foreach (var old in before.Where(c => availability.Unavailable.ContainsKey(c.Cluster)))
            {
                var cordonedJob = workload.Kind == RayKind.RayJob
                    && spec.Clusters[old.Cluster].Availability == ClusterAvailability.Cordoned
                    && MayRun(workload, old.Cluster, previous, view, physical);
                if (cordonedJob)
                {
                    // A running job is not restarted elsewhere for maintenance: it finishes where it is.
                    placements[workload.Name] = placements[workload.Name] with { Copies = [.. now.Where(c => before.Any(b => b.Cluster == c.Cluster))] };
                    keep.Add(old);
                    lines.Add($"  failover {workload.Name}: keeps running on cordoned {old.Cluster} until it finishes");
                    continue;
                }

                var replacements = now.Where(c => !availability.Unavailable.ContainsKey(c.Cluster)).ToList();
                var notYet = replacements.Where(c => !Runs(workload, c.Cluster, previousPlan, previous, view, physical)).Select(c => c.Cluster).ToList();
                var stillRouted = spec.Traffic.Values
                    .Where(t => t.Workload == workload.Name && (previous?.Traffic.GetValueOrDefault(t.Name, []) ?? []).Contains(old.Cluster))
                    .Select(t => t.Dns.Name)
                    .ToList();
                if (replacements.Count > 0 && notYet.Count == 0 && stillRouted.Count > 0)
                {
                    // The record moves first (this run, to the copies that serve); the old copy goes on a later run, after clients left it.
                    keep.Add(old);
                    lines.Add($"~ failover {workload.Name}: {old.Cluster} → {string.Join(", ", replacements.Select(c => c.Cluster))} ({availability.Unavailable[old.Cluster]}); " +
                        $"traffic ({string.Join(", ", stillRouted)}) moves now, the copy on {old.Cluster} goes once the record has left it");
                    continue;
                }

                if (replacements.Count > 0 && notYet.Count == 0)
                {
                    lines.Add($"~ failover {workload.Name}: {old.Cluster} → {string.Join(", ", replacements.Select(c => c.Cluster))} ({availability.Unavailable[old.Cluster]}); " +
                        $"{(view.Observed ? "the new copy is observed running" : "assumed running: it was declared on an active cluster last run (no observation)")}, so the copy on {old.Cluster} goes");
                    continue;
                }

                keep.Add(old);
                lines.Add($"~ failover {workload.Name}: {old.Cluster} → {string.Join(", ", replacements.Select(c => c.Cluster))} ({availability.Unavailable[old.Cluster]}); " +
                    $"the copy on {old.Cluster} stays until {string.Join(", ", notYet)} runs it");
            }
        }

        var plan = PlanEdits.AddCopies(spec, placed with { Clusters = clusters.ToImmutable(), Placements = placements.ToImmutable() }, previousPlan, keep);
        return new FailoverOutcome(plan, lines.ToImmutable(), warnings.ToImmutable(), protectedNames.ToImmutable());
    }

    /// <summary>
    /// The declared workloads, not finished, that had copies in the previous plan, with those copies, in name order: only
    /// they can have copies to keep. Late in a busy trace most workloads wait unplaced, so the previous placements are
    /// walked and only those with copies looked up among the workloads, instead of every workload looked up in the
    /// previous plan.
    /// </summary>
    private static IEnumerable<(WorkloadSpec Workload, ImmutableArray<WorkloadCopy> Before)> HadCopies(FleetSpec spec, FleetPlan? previousPlan, IReadOnlySet<string> finished)
    {
        if (previousPlan?.Placements is not { } placements)
        {
            yield break;
        }

        if (ReferenceEquals(spec.Workloads.KeyComparer, StringComparer.Ordinal) && ReferenceEquals(placements.KeyComparer, StringComparer.Ordinal))
        {
            // Both maps in ordinal name order: walking either gives the workloads in the same order.
            foreach (var (name, placement) in placements)
            {
                if (!placement.Copies.IsDefaultOrEmpty && spec.Workloads.TryGetValue(name, out var workload) && !finished.Contains(workload.Name))
                {
                    yield return (workload, placement.Copies);
                }
            }

            yield break;
        }

        foreach (var workload in spec.Workloads.Values)
        {
            if (!finished.Contains(workload.Name) && placements.GetValueOrDefault(workload.Name)?.Copies is { IsDefaultOrEmpty: false } before)
            {
                yield return (workload, before);
            }
        }
    }

    /// <summary>True unless the copy is known not to run (absent, finished, suspended); unknown counts as running.</summary>
    private static bool MayRun(WorkloadSpec workload, string cluster, FleetOutputs? previous, FleetView view, Func<string, IReadOnlyList<string>> physical)
    {
        if (!view.Observed)
        {
            return previous?.Clusters.GetValueOrDefault(cluster)?.State == "active";
        }

        return physical(cluster).Select(p => view.Copy(workload, p)).Any(c => c.State is CopyState.Starting or CopyState.Running or CopyState.Unknown);
    }

    /// <summary>True when the copy is known to run (a RayService: serving); without an observation, when the previous run declared it
    /// on an active cluster.</summary>
    private static bool Runs(WorkloadSpec workload, string cluster, FleetPlan? previousPlan, FleetOutputs? previous, FleetView view, Func<string, IReadOnlyList<string>> physical)
    {
        if (!view.Observed)
        {
            var declared = previousPlan?.Placements?.GetValueOrDefault(workload.Name)?.Copies.Any(c => c.Cluster == cluster) ?? false;
            return declared && previous?.Clusters.GetValueOrDefault(cluster)?.State == "active";
        }

        return physical(cluster).Select(p => view.Copy(workload, p)).Any(c => workload.Kind == RayKind.RayService ? c.Serving : c.Runs);
    }

    /// <summary>The plan of a cluster that takes no new work, before any copy is kept on it.</summary>
    private static ClusterPlan Resting(FleetSpec spec, ClusterSpec cluster, ClusterPlan? before, string reason)
    {
        if (cluster.Availability == ClusterAvailability.Lost || (before is null && cluster.Lifecycle == ClusterLifecycle.Dynamic))
        {
            return PlanEdits.Absent(cluster, before, $"takes no work: {reason}");
        }

        return before is not null
            ? before with { Workloads = [], Reason = $"takes no work: {reason}" }
            : PlanEdits.MinimumActive(spec, cluster, $"takes no work: {reason}");
    }
}
