using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Traffic;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>
/// A run around a hand-made plan, for walk tests that pin the orchestrator on plans of their own: no previous run, no upgrade
/// step, the traffic records pointed at every serving copy. Runs the planner decides come from <see cref="RunPlanner.Plan"/>.
/// </summary>
public static class TestRun
{
    public static RunPlan Of(
        FleetSpec spec,
        FleetPlan plan,
        IReadOnlyDictionary<string, string>? idleSince = null,
        IReadOnlyDictionary<string, string>? previousStates = null,
        IReadOnlyDictionary<string, UpgradeState>? upgrades = null)
    {
        var states = (upgrades ?? new Dictionary<string, UpgradeState>()).ToImmutableSortedDictionary(StringComparer.Ordinal);
        var traffic = TrafficRouting.Decide(spec, plan, null, states);
        var outputs = FleetOutputsBuilder.Build(spec, plan, idleSince) with
        {
            Upgrades = states,
            Traffic = traffic.ToImmutableSortedDictionary(r => r.Traffic.Name, r => r.Targets, StringComparer.Ordinal),
        };
        return new RunPlan(
            spec,
            plan,
            new StandbyOutcome(plan, ImmutableSortedDictionary.Create<string, StandbyDecision>(StringComparer.Ordinal)),
            new UpgradePlan(spec, plan, ImmutableSortedDictionary.Create<string, UpgradeDecision>(StringComparer.Ordinal), states, traffic),
            NodeAutoscaling.Decide(spec, plan, previousStates),
            [],
            outputs);
    }

    /// <summary>A run around an upgrade step decided on a hand-made plan (no standby clock).</summary>
    public static RunPlan Of(UpgradePlan upgrade, IReadOnlyDictionary<string, string>? idleSince = null)
    {
        var outputs = FleetOutputsBuilder.Build(upgrade.Spec, upgrade.Plan, idleSince) with
        {
            Upgrades = upgrade.States,
            Traffic = upgrade.Traffic.ToImmutableSortedDictionary(r => r.Traffic.Name, r => r.Targets, StringComparer.Ordinal),
        };
        return new RunPlan(
            upgrade.Spec,
            upgrade.Plan,
            new StandbyOutcome(upgrade.Plan, ImmutableSortedDictionary.Create<string, StandbyDecision>(StringComparer.Ordinal)),
            upgrade,
            NodeAutoscaling.Decide(upgrade.Spec, upgrade.Plan),
            [],
            outputs);
    }

    /// <summary>Outputs as the next run reads them: through the one writer and the one reader, as Pulumi carries them.</summary>
    public static FleetOutputs ThroughStackOutputs(FleetOutputs outputs)
    {
        var text = Outputs.StackOutputs.Write(outputs).ToJsonString();
        var reading = Outputs.StackOutputs.ReadText(text, "test");
        Assert.Empty(reading.Problems);
        return reading.Run!.Outputs!;
    }
}
