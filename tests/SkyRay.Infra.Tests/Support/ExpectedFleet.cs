using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Standby;
using SkyRay.Placement.Planning;
using SkyRay.Testing;

namespace SkyRay.Infra.Tests.Support;

/// <summary>
/// What the core decides for a stack file, computed independently of the program: the tests compare the declared
/// resources with it, so they pin the adapter's mapping, not the planner's choices.
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
