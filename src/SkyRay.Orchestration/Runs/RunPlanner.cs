using System.Collections.Immutable;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Autoscaling;
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
        var previous = request.Previous.Outputs;
        var upgradesBefore = previous?.Upgrades ?? ImmutableSortedDictionary.Create<string, UpgradeState>(StringComparer.Ordinal);

        var stickTo = UpgradePolicy.ConfiguredView(request.StickTo ?? request.Previous.Plan, upgradesBefore);
        var placed = FleetPlanner.Plan(spec, stickTo, request.Planning);
        var standby = StandbyPolicy.Decide(spec, placed, UpgradePolicy.ConfiguredView(previous), request.Now);
        var upgrade = UpgradePolicy.Decide(spec, standby.Plan, previous);
        var plan = upgrade.Plan;
        var kueue = KueueRollout.Decide(upgrade.Spec, plan, previous);
        var declared = kueue.Spec;

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        diagnostics.AddRange(plan.Diagnostics);
        diagnostics.AddRange(kueue.Diagnostics);
        foreach (var unplaced in plan.Unplaced)
        {
            diagnostics.Add(new Diagnostic(
                Severity.Warning,
                $"skyray:workloads.{unplaced.Workload}",
                $"not deployed: {unplaced.UnplacedReason ?? "it fits on no cluster"}",
                "run 'skyray plan --explain' to see every cluster's verdict"));
        }

        if (!declared.Clusters.Keys.SequenceEqual(spec.Clusters.Keys, StringComparer.Ordinal))
        {
            // An upgrade declares a clone the loader never saw; a clash would fail `pulumi up` after part of it was registered.
            diagnostics.AddRange(ResourceNames.Find(declared));
        }

        var autoscaling = NodeAutoscaling.Decide(declared, plan, NodeAutoscaling.PreviousStates(previous));
        var outputs = FleetOutputsBuilder.Build(declared, plan, standby.IdleSinceText) with
        {
            Upgrades = upgrade.States,
            Traffic = upgrade.Traffic.ToImmutableSortedDictionary(r => r.Traffic.Name, r => r.Targets, StringComparer.Ordinal),
            Queues = kueue.Queues,
        };
        return new RunPlan(declared, plan, standby, upgrade, autoscaling, diagnostics.ToImmutable(), outputs) { Kueue = kueue };
    }
}
