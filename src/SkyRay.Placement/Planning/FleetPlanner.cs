using SkyRay.Fleet.Config;

namespace SkyRay.Placement.Planning;

/// <summary>Decides where every workload goes and which clusters live (the policy pipeline).</summary>
public static class FleetPlanner
{
    /// <summary>Plans a fleet.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="previous">The previous plan (stickiness), or null.</param>
    /// <returns>The plan.</returns>
    public static FleetPlan Plan(FleetSpec spec, FleetPlan? previous = null) =>
        throw new NotImplementedException("owned by the placement branch");
}
