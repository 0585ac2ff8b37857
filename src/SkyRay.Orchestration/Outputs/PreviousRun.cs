using System.Collections.Immutable;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Outputs;

/// <summary>What the previous run of a stack left in its outputs, as <see cref="StackOutputs.Read"/> understood it.</summary>
/// <param name="Outputs">The outputs (clusters with their states and idle clocks, upgrades, traffic), or null for a stack never deployed.</param>
/// <param name="Plan">The previous plan (from the <c>placements</c> output), or null when there is none or it could not be read.</param>
/// <param name="Format">The outputs format it was written in (0 when there were no outputs).</param>
public sealed record PreviousRun(FleetOutputs? Outputs, FleetPlan? Plan, int Format)
{
    /// <summary>A stack that was never deployed.</summary>
    public static PreviousRun None { get; } = new(null, null, 0);
}

/// <summary>The result of reading a previous run's outputs.</summary>
/// <param name="Run">What was read, or null when the outputs were refused (a newer format, not JSON).</param>
/// <param name="Problems">One diagnostic per output that could not be read (warnings), or the refusal (an error).</param>
public sealed record PreviousRunReading(PreviousRun? Run, ImmutableArray<Diagnostic> Problems)
{
    /// <summary>True when the outputs could be used (possibly with parts dropped).</summary>
    public bool Ok => Run is not null;
}
