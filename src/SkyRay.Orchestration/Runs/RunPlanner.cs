using System.Collections.Immutable;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Failover;
using SkyRay.Orchestration.Jobs;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Naming;
using SkyRay.Orchestration.Queues;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Runs;

/// <summary>
/// The one place a run is decided. The Pulumi program, <c>skyray plan</c>, <c>render</c> and <c>simulate</c>, the benchmark and the
/// tests all call <see cref="Plan"/> and nothing else, so what the CLI shows offline is what <c>pulumi up</c> declares.
/// </summary>
/// <remarks>
/// The sequence, each step a pure function of the previous ones:
/// <list type="number">
/// <item>placement (<see cref="FleetPlanner"/>), kept stable against the previous placements, read under configured cluster names
/// (<see cref="UpgradePolicy.ConfiguredView(FleetPlan?, IReadOnlyDictionary{string, UpgradeState})"/>);</item>
/// <item>the standby clock (<see cref="StandbyPolicy"/>): idle clusters stay up for <c>idleAfter</c>, then rest; placed work wakes them;</item>
/// <item>the clone-and-swap step (<see cref="UpgradePolicy"/>), which may add a clone and its serving copies, and the traffic records;</item>
/// <item>Kueue per cluster (<see cref="KueueRollout"/>): declared where a node can run its controller, kept where it was, deferred on a
/// cluster that has never had a node for it;</item>
/// <item>the resource-name check of the stack as declared (only when an upgrade added or renamed a cluster: the loader already
/// checked the configured stack), node autoscaling per live cluster (<see cref="NodeAutoscaling"/>), and the outputs to write.</item>
/// </list>
/// </remarks>
public static class RunPlanner
{
    /// <summary>Decides a run.</summary>
    /// <param name="request">The stack, the previous run and the time.</param>
    /// <returns>The run; check <see cref="RunPlan.Ok"/> before declaring it.</returns>
    public static RunPlan Plan(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = request.Spec;
        var now = request.Now;
        var previous = request.Previous.Outputs;
        var upgradesBefore = previous?.Upgrades ?? ImmutableSortedDictionary.Create<string, UpgradeState>(StringComparer.Ordinal);
        IReadOnlyList<string> Physical(string configured) =>
            upgradesBefore.TryGetValue(configured, out var u) ? u.LiveClusters : [configured];

        // What runs now, judged against the stack as it stood (physical names).
        var view = FleetView.Of(spec, request.Observed, now);
        var configuredPrevious = UpgradePolicy.ConfiguredView(previous);
        var previousPlan = UpgradePolicy.ConfiguredView(request.Previous.Plan, upgradesBefore);
        var jobs = FinishedJobs.Decide(spec, previous, request.Previous.Plan, view, now);
        var availability = Availability.Decide(spec, previous, view, Physical);

        var stickTo = UpgradePolicy.ConfiguredView(request.StickTo ?? request.Previous.Plan, upgradesBefore);
        var placed = FleetPlanner.Plan(FailoverPolicy.PlanningSpec(spec, [.. availability.Unavailable.Keys], jobs.Finished), stickTo, request.Planning);
        var failover = FailoverPolicy.Apply(spec, placed, previousPlan, configuredPrevious, availability, view, Physical, jobs.Finished);
        var standby = StandbyPolicy.Decide(spec, failover.Plan, configuredPrevious, now, view.Observed ? c => view.Configured(c, Physical(c)) : null);
        var draining = availability.Unavailable.Keys.SelectMany(Physical).ToHashSet(StringComparer.Ordinal);
        var upgrade = UpgradePolicy.Decide(spec, standby.Plan, previous, view, now, draining);
        var plan = upgrade.Plan;
        var kueue = KueueRollout.Decide(upgrade.Spec, plan, previous);
        var declared = kueue.Spec;

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        diagnostics.AddRange(plan.Diagnostics);
        diagnostics.AddRange(kueue.Diagnostics);
        foreach (var unplaced in plan.Unplaced.Where(p => !failover.Protected.Contains(p.Workload)))
        {
            diagnostics.Add(NotDeployed.For(unplaced.Workload, unplaced.UnplacedReason ?? "it fits on no cluster"));
        }

        diagnostics.AddRange(failover.Warnings);
        diagnostics.AddRange(upgrade.Warnings);
        diagnostics.AddRange(view.Warnings.Select(w => new Diagnostic(Severity.Warning, "observed", w, null)));
        if (!declared.Clusters.Keys.SequenceEqual(spec.Clusters.Keys, StringComparer.Ordinal))
        {
            // An upgrade declares a clone the loader never saw; a clash would fail `pulumi up` after part of it was registered.
            diagnostics.AddRange(ResourceNames.Find(declared));
        }

        var autoscaling = NodeAutoscaling.Decide(declared, plan, NodeAutoscaling.PreviousStates(previous));
        var built = FleetOutputsBuilder.Build(declared, plan, standby.IdleSinceText, request.OutputsInProcess);
        var outputs = built with
        {
            // Only a finished job's line changes; most runs have none (a line per workload split for nothing).
            Explanation = jobs.Records.IsEmpty ? built.Explanation : [.. built.Explanation.Select(line => FinishedLine(line, jobs))],
            Upgrades = upgrade.States,
            Traffic = upgrade.Traffic.ToImmutableSortedDictionary(r => r.Traffic.Name, r => r.Targets, StringComparer.Ordinal),
            TrafficAddresses = upgrade.Traffic.Where(r => !r.KnownAddresses.IsEmpty).ToImmutableSortedDictionary(r => r.Traffic.Name, r => r.KnownAddresses, StringComparer.Ordinal),
            Jobs = jobs.Records,
            Unreachable = availability.UnreachableRuns,
            Queues = kueue.Queues,
        };
        return new RunPlan(declared, plan, standby, upgrade, autoscaling, diagnostics.ToImmutable(), outputs)
        {
            View = view,
            Jobs = jobs,
            Availability = availability,
            FailoverLines = failover.Lines,
            Assumptions = Assumptions(view, previous),
            Kueue = kueue,
        };
    }

    /// <summary>The warning of an unplaced workload, the same object as last run's while its reason is the same.</summary>
    private static readonly RepeatedLines<Diagnostic> NotDeployed = new(static (workload, reason) => new Diagnostic(
        Severity.Warning,
        $"skyray:workloads.{workload}",
        $"not deployed: {reason}",
        "run 'skyray plan --explain' to see every cluster's verdict"));

    /// <summary>What a run without an observation assumes, in plain words.</summary>
    private static ImmutableArray<string> Assumptions(FleetView view, Ports.FleetOutputs? previous)
    {
        if (view.Observed || previous is null)
        {
            return [];
        }

        return
        [
            "assumed (no observation): every workload the previous run declared on an active cluster is running, and every RayService there is Ready and serving",
            "assumed (no observation): no RayJob has finished, so none leaves placement; a cluster is idle only when the plan places nothing on it, and its idle clock starts now",
            "assumed (no observation): every cluster answers; failover follows skyray:clusters.*.availability only",
        ];
    }

    private static string FinishedLine(string line, JobsOutcome jobs)
    {
        var name = line.Split(':', 2)[0];
        return jobs.Records.TryGetValue(name, out var record) && line == $"{name}: not planned"
            ? $"{name}: finished on {string.Join(", ", record.Clusters)} ({record.Status}{(record.FinishedAt is null ? string.Empty : " at " + record.FinishedAt)}); not run again"
            : line;
    }
}
