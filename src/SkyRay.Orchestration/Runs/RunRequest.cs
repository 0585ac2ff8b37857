using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Outputs;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Runs;

/// <summary>Everything one run is decided from: the stack, what the previous run left, and the time.</summary>
/// <param name="Spec">The validated stack (<see cref="FleetLoading"/>).</param>
/// <param name="Previous">The previous run's outputs (<see cref="StackOutputs.Read"/>); <see cref="PreviousRun.None"/> for a stack never deployed.</param>
/// <param name="Now">The time the run happens: the standby clocks are read against it.</param>
public sealed record RunRequest(FleetSpec Spec, PreviousRun Previous, DateTimeOffset Now)
{
    /// <summary>
    /// A plan to keep workloads where it put them, instead of the previous run's placements (<c>skyray plan --previous</c>);
    /// null to use <see cref="PreviousRun.Plan"/>.
    /// </summary>
    public FleetPlan? StickTo { get; init; }

    /// <summary>
    /// How much the plan explains; placements and outputs are the same either way. <see cref="PlanOptions.Declaring"/> by default
    /// (what <c>pulumi up</c> and the trace simulation need: no per-cluster verdicts of unplaced workloads, which no output keeps);
    /// the CLI's commands that read a stack and show its plan (<c>RunSource</c>: plan, render, status, the cost simulation) ask for
    /// <see cref="PlanOptions.Default"/>, or every verdict with <c>skyray plan --explain</c>.
    /// </summary>
    public PlanOptions Planning { get; init; } = PlanOptions.Declaring;

    /// <summary>
    /// What runs on the clusters now (<c>skyray status</c>, <c>--observed FILE</c>, the program's live observation), or null when
    /// nothing was observed: then every decision falls back to what the previous run implies, and the run says what it assumed
    /// (<see cref="RunPlan.Assumptions"/>).
    /// </summary>
    public FleetObservation? Observed { get; init; }

    /// <summary>
    /// True when the caller reads this run's outputs back in this process (<see cref="StackOutputs.ReadBack"/>) instead of writing them
    /// (the trace simulation): the placements output is kept as the plan (<see cref="Ports.FleetOutputs.PlacementsPlan"/>) instead of its
    /// text. Every decision is the same, and <see cref="StackOutputs.Write"/> still writes the same outputs.
    /// </summary>
    public bool OutputsInProcess { get; init; }
}
