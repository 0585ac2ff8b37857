using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Standby;
using SkyRay.Placement.Planning;
using SkyRay.Testing;

namespace SkyRay.Infra.Tests.Support;

/// <summary>
/// What the core decides for a stack file, computed by the core itself (the planner and the standby policy), not
/// independently of it: the tests compare the resources the program declares with these decisions, so they pin the
/// adapter's mapping of the core's choices, not the choices (the planner has its own tests, with hand-worked values).
/// </summary>
/// <param name="Spec">The validated stack.</param>
/// <param name="Plan">The plan for a first deployment (no previous outputs).</param>
internal sealed record ExpectedFleet(FleetSpec Spec, FleetPlan Plan)
{
    public static ExpectedFleet ForFile(string repositoryRelativePath)
    {
        var loaded = StackLoader.LoadFile(Path.Combine(SharedMaterial.RepositoryRoot, repositoryRelativePath));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
        var spec = loaded.Value!;
        var plan = StandbyPolicy.Decide(spec, FleetPlanner.Plan(spec), null, DateTimeOffset.UtcNow).Plan;
        return new ExpectedFleet(spec, plan);
    }

    /// <summary>Clusters the plan declares (active or standby).</summary>
    public IEnumerable<ClusterSpec> Live(CloudProvider? provider = null) =>
        Spec.Clusters.Values.Where(c => Plan.Clusters[c.Name].State != ClusterState.Absent && (provider is null || c.Provider == provider));

    /// <summary>Clusters the plan leaves out.</summary>
    public IEnumerable<ClusterSpec> Absent => Spec.Clusters.Values.Where(c => Plan.Clusters[c.Name].State == ClusterState.Absent);
}
