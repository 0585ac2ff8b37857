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
}
