using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks;

/// <summary>Calls <c>FleetPlanner.Plan</c>, telling apart "not implemented yet" from real failures.</summary>
internal static class Planner
{
    public static bool Available(FleetSpec spec, out string? why)
    {
        try
        {
            FleetPlanner.Plan(spec);
            why = null;
            return true;
        }
        catch (NotImplementedException ex)
        {
            why = $"FleetPlanner.Plan is not implemented in this build ({ex.Message}); merge main once the placement branch has landed";
            return false;
        }
    }
}
