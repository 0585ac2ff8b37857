using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Ports;
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
    /// <summary>The traffic records with their targets this run.</summary>
    public ImmutableArray<TrafficRecordSpec> Traffic => Upgrade.Traffic;

    /// <summary>True when nothing stops the run (no error among <see cref="Diagnostics"/>).</summary>
    public bool Ok => !Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>
    /// The steps of this run in plain words, one line each, for the program's log and the CLI: upgrade steps
    /// (<c>~ upgrade main 1.31 → 1.32 (cloned, step 1 of 3): …</c>) and standby transitions
    /// (<c>~ standby gpu-burst: idle since …; goes to standby (suspend)</c>, <c>~ wake gpu-burst: …</c>).
    /// </summary>
    /// <returns>The lines, upgrades first, then standby by cluster.</returns>
    public ImmutableArray<string> StepLines() =>
        [.. Upgrade.PreviewLines(), .. Standby.Decisions.Values.Select(StandbyLine).OfType<string>()];

    private static string? StandbyLine(StandbyDecision d) => d.Action switch
    {
        StandbyAction.Wakes => $"~ wake {d.Cluster}: {d.Reason}",
        StandbyAction.GoesToStandby => $"~ standby {d.Cluster}: {d.Reason}",
        StandbyAction.Idle => $"  idle {d.Cluster}: {d.Reason}",
        _ => null,
    };
}
