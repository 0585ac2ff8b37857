using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Failover;
using SkyRay.Orchestration.Jobs;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Queues;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Runs;

/// <summary>
/// Everything one run does, decided: what <c>pulumi up</c> declares, what <c>skyray plan</c> prints, what <c>skyray render</c>
/// writes and what <c>skyray simulate</c> prices. Made only by <see cref="RunPlanner.Plan"/>; walked by <see cref="FleetOrchestrator.Run"/>.
/// </summary>
/// <param name="Spec">The stack as declared this run: an upgrading cluster appears as its old cluster and its clone, a finished
/// one under its clone's name.</param>
/// <param name="Plan">The plan to declare: placement, then the standby clock, then the upgrade step.</param>
/// <param name="Standby">The standby decision of every cluster (by configured name).</param>
/// <param name="Upgrade">The upgrade step of this run (decisions and states by configured name).</param>
/// <param name="Autoscaling">How each live cluster's node pools autoscale this run, by declared name.</param>
/// <param name="Diagnostics">Warnings about the run (unreadable previous outputs, unplaced workloads, the planner's notes) and errors
/// that stop it (a clone whose resource names would clash). Never printed twice: consumers print these and nothing else.</param>
/// <param name="Outputs">The stack outputs this run writes (<see cref="Outputs.StackOutputs.Write"/>).</param>
public sealed record RunPlan(
    FleetSpec Spec,
    FleetPlan Plan,
    StandbyOutcome Standby,
    UpgradePlan Upgrade,
    ImmutableSortedDictionary<string, AutoscalingSpec> Autoscaling,
    ImmutableArray<Diagnostic> Diagnostics,
    FleetOutputs Outputs)
{
    /// <summary>What the run does with Kueue on each cluster that enables it (<see cref="KueueRollout"/>); no decision when none does.</summary>
    public KueueRollout Kueue { get; init; } = new(Spec, ImmutableSortedDictionary.Create<string, KueueDecision>(StringComparer.Ordinal));
    /// <summary>What the run saw (<see cref="FleetView.None"/> when nothing was observed).</summary>
    public FleetView View { get; init; } = FleetView.None;

    /// <summary>Finished RayJobs: out of placement, never run again; the ones seen finished this run are declared once more to be kept.</summary>
    public JobsOutcome Jobs { get; init; } = new(ImmutableSortedDictionary.Create<string, Ports.JobRecord>(StringComparer.Ordinal), [], []);

    /// <summary>Which clusters take no new work, and how each cluster's API is treated (by physical name).</summary>
    public AvailabilityOutcome Availability { get; init; } = new(
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, ClusterLiveness>(StringComparer.Ordinal));

    /// <summary>Failover (create before delete) and protection of running workloads: the lines of what was kept or moved.</summary>
    public ImmutableArray<string> FailoverLines { get; init; } = [];

    /// <summary>What the run assumed because it was not observed (empty when everything it decided from was observed).</summary>
    public ImmutableArray<string> Assumptions { get; init; } = [];

    /// <summary>How a cluster's connection treats its API this run (physical name).</summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>The options.</returns>
    public ConnectionOptions ConnectionFor(string cluster) => Availability.Liveness.GetValueOrDefault(cluster) switch
    {
        ClusterLiveness.Lost => new ConnectionOptions(SkipUnreachableUpdates: true, DeleteUnreachable: true),
        ClusterLiveness.Unreachable => new ConnectionOptions(SkipUnreachableUpdates: true),
        _ => ConnectionOptions.Reachable,
    };

    /// <summary>The traffic records with their targets this run.</summary>
    public ImmutableArray<TrafficRecordSpec> Traffic => Upgrade.Traffic;

    /// <summary>True when nothing stops the run (no error among <see cref="Diagnostics"/>).</summary>
    public bool Ok => !Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>
    /// The steps of this run in plain words, one line each, for the program's log and the CLI: upgrade steps
    /// (<c>~ upgrade main 1.31 → 1.32 (cloned, step 1 of 3): …</c>) and standby transitions
    /// (<c>~ standby gpu-burst: idle since …; goes to standby (suspend)</c>, <c>~ wake gpu-burst: …</c>), preceded by finished jobs
    /// (<c>✓ job train finished …</c>) and failover or protection steps (<c>~ failover llm: …</c>, <c>! keep batch on …</c>).
    /// </summary>
    /// <returns>The lines: jobs, failover, upgrades, standby by cluster, then Kueue deferrals (<c>~ kueue gpu-burst: …</c>).</returns>
    public ImmutableArray<string> StepLines() =>
        [.. Jobs.Lines, .. FailoverLines, .. Upgrade.PreviewLines(), .. Standby.Decisions.Values.Select(StandbyLine).OfType<string>(), .. Kueue.StepLines()];

    private static string? StandbyLine(StandbyDecision d) => d.Action switch
    {
        StandbyAction.Wakes => $"~ wake {d.Cluster}: {d.Reason}",
        StandbyAction.GoesToStandby => $"~ standby {d.Cluster}: {d.Reason}",
        StandbyAction.Idle => $"  idle {d.Cluster}: {d.Reason}",
        _ => null,
    };
}
