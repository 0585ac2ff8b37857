using FsCheck.Xunit;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// A policy scope's candidates are in search order: priority rank, then the fastest tier the cluster offers, then (for a
/// cluster to wake or create) its cheapest node, then its index. The scope sorts them in place; the order must be the one a
/// stable LINQ OrderBy/ThenBy chain over the same keys gives, worked out here from the scope's ranks and the model.
/// </summary>
public sealed class PolicyScopeOrderProperties
{
    [Property(MaxTest = 60)]
    public void A_scopes_candidates_are_in_the_order_of_the_ordered_keys(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var first = FleetPlanner.Plan(stack.Load(), null, new PlanOptions());
        var spec = stack.Change(seed).Stack.Load();
        // With a previous plan (clusters active, in standby or absent: other tiers) and without.
        foreach (var previous in new[] { null, first })
        {
            var model = PlanModel.Build(spec, previous, new DiagnosticBag());
            foreach (var policy in spec.Policies.Values.Append<SchedulePolicy?>(null))
            {
                var scope = new PolicyScope(policy, model, PlacementPipeline.ClusterFilters);
                var expected = Enumerable.Range(0, model.Clusters.Length)
                    .Where(i => scope.CandidateSet[i])
                    .OrderBy(i => scope.Rank[i])
                    .ThenBy(i => model.Clusters[i].StartTier)
                    .ThenBy(i => model.Clusters[i].ActiveAtStart ? 0m : model.Clusters[i].CheapestNode)
                    .ThenBy(i => i)
                    .ToArray();

                Assert.Equal(expected, scope.Candidates);
            }
        }
    }
}
