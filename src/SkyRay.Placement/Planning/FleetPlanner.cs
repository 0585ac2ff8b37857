using SkyRay.Fleet.Config;

namespace SkyRay.Placement.Planning;

/// <summary>Decides where every workload goes and which clusters live (the policy pipeline).</summary>
public static class FleetPlanner
{
    /// <summary>Plans a fleet.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="previous">The previous plan (stickiness), or null.</param>
    /// <returns>The plan.</returns>
    public static FleetPlan Plan(FleetSpec spec, FleetPlan? previous = null) => Plan(spec, previous, PlanOptions.Default);

    /// <summary>Plans a fleet, with a choice of how much to explain.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="previous">The previous plan (stickiness), or null.</param>
    /// <param name="options">Explanation detail.</param>
    /// <returns>The plan.</returns>
    public static FleetPlan Plan(FleetSpec spec, FleetPlan? previous, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        return Consolidation.Consolidate.Plan(spec, previous, options);
    }
}
