using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;

namespace SkyRay.Placement.Policies;

/// <summary>
/// The clusters each workload's policy allows, decided by the planner's own cluster filters (node pools, <c>clusterSelector</c>,
/// <c>orderedClusterSelector</c>, spread topology key) before any capacity is considered: where the workload may ever go. Checks
/// that depend on the target cluster (does it run Kueue, does it know a priority class) ask this, so they agree with placement.
/// </summary>
public static class PolicyClusters
{
    /// <summary>Per workload, the names of the clusters its policy allows, sorted; empty for a workload no policy can cover
    /// (two policies claim it, or it names an unknown one: the loader and the planner report those).</summary>
    /// <param name="spec">The stack.</param>
    /// <returns>By workload name.</returns>
    public static ImmutableSortedDictionary<string, ImmutableArray<string>> Allowed(FleetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var quiet = new DiagnosticBag();
        var model = PlanModel.Build(spec, null, quiet);
        var coverage = PolicyResolver.Resolve(spec, quiet);
        var byPolicy = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        ImmutableArray<string>? byDefault = null;
        ImmutableArray<string> For(SchedulePolicy? policy)
        {
            if (policy is null)
            {
                return byDefault ??= Candidates(null, model);
            }

            if (!byPolicy.TryGetValue(policy.Name, out var names))
            {
                byPolicy[policy.Name] = names = Candidates(policy, model);
            }

            return names;
        }

        var result = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var (name, covered) in coverage)
        {
            result[name] = covered.Problem is null ? For(covered.Policy) : [];
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<string> Candidates(SchedulePolicy? policy, PlanModel model)
    {
        var scope = new PolicyScope(policy, model, PlacementPipeline.ClusterFilters);
        return [.. scope.Candidates.Select(i => model.Clusters[i].Name).Order(StringComparer.Ordinal)];
    }
}
