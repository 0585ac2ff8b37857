namespace SkyRay.Placement.Planning;

/// <summary>How much a plan explains.</summary>
/// <param name="Explain">
/// When true, every placed workload gets a verdict for every cluster (as <c>skyray plan --explain</c> prints).
/// When false (the default, and what large fleets want), placed workloads keep only the verdicts of the
/// clusters they were placed on; unplaced workloads always keep a verdict for every cluster. The placements
/// are the same either way.
/// </param>
public sealed record PlanOptions(bool Explain = false)
{
    /// <summary>No full explanation for placed workloads.</summary>
    public static PlanOptions Default { get; } = new();
}
