namespace SkyRay.Placement.Planning;

/// <summary>How much a plan explains.</summary>
/// <param name="Explain">
/// When true, every placed workload gets a verdict for every cluster (as <c>skyray plan --explain</c> prints).
/// When false (the default, and what large fleets want), placed workloads keep only the verdicts of the
/// clusters they were placed on; unplaced workloads always keep a verdict for every cluster. The placements
/// are the same either way.
/// </param>
/// <param name="DetailedVerdictLimit">
/// Unplaced workloads with the same policy and demand share one verdict per cluster. When these verdicts number
/// at most this many (distinct demands × clusters), each capacity reason names the failing group and every pool's
/// room; above it, capacity reasons are one shared sentence per demand, which keeps plans of huge fleets small.
/// Filter reasons (selectors, GPU type, topology) are exact either way.
/// </param>
public sealed record PlanOptions(bool Explain = false, int DetailedVerdictLimit = 100_000)
{
    /// <summary>No full explanation for placed workloads.</summary>
    public static PlanOptions Default { get; } = new();

    /// <summary>
    /// What a run that declares its plan needs (<c>pulumi up</c>, the trace simulation, <c>skyray diff</c>): the placements and the
    /// words its outputs and warnings use, but no per-cluster verdicts for unplaced workloads (<see cref="UnplacedVerdicts"/>).
    /// </summary>
    public static PlanOptions Declaring { get; } = new() { UnplacedVerdicts = false };

    /// <summary>
    /// True (the default): every unplaced workload gets a verdict for every cluster, as <c>skyray plan</c>
    /// prints. False: unplaced workloads get none; their unplaced reason, every placement and every placed workload's verdicts
    /// are the same. The stack outputs keep no verdicts, so a run that only declares its plan and writes its outputs does not
    /// make clusters × unplaced workloads of them. <see cref="Explain"/> makes them whatever this says.
    /// </summary>
    public bool UnplacedVerdicts { get; init; } = true;
}
