using System.Collections.Immutable;
using FsCheck.Xunit;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Consolidation;
using SkyRay.Placement.Labels;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// Policy scopes decide which clusters pass with the filters' <c>Passes</c> and write the reasons only when a verdict reads
/// them: <c>Passes</c> must be true exactly when <c>Reject</c> gives no reason, and a selector must match exactly when it
/// has no first mismatch.
/// </summary>
public sealed class ClusterFilterShortcutProperties
{
    private static readonly string[] Keys = ["tier", "region", "gpu"];
    private static readonly string[] Values = ["a", "b", "c"];

    [Property(MaxTest = 500)]
    public void A_selector_matches_exactly_when_it_has_no_first_mismatch(int[] matchLabels, int[] expressions, int[] labels)
    {
        // Keys, values and operators drawn from small sets so that matches, mismatches and absent labels all come up.
        string Key(int i) => Keys[Math.Abs(i % Keys.Length)];
        string Value(int i) => Values[Math.Abs(i / 7 % Values.Length)];
        var selector = new LabelSelector(
            matchLabels.Take(2).GroupBy(Key).ToImmutableSortedDictionary(g => g.Key, g => Value(g.First()), StringComparer.Ordinal),
            [.. expressions.Take(3).Select(e => new SelectorRequirement(
                Key(e),
                (SelectorOperator)Math.Abs(e / 3 % 5),
                [.. Values.Take(Math.Abs(e / 11 % 3))]))]);
        var have = labels.Take(3).GroupBy(Key).ToDictionary(g => g.Key, g => Value(g.First()), StringComparer.Ordinal);

        Assert.Equal(SelectorMatch.FirstMismatch(selector, have) is null, SelectorMatch.Matches(selector, have));
    }

    [Fact]
    public void A_scope_gives_back_suffix_floors_only_for_the_list_model_and_scorers_they_were_kept_for()
    {
        // The floors of a candidate list depend on the list, the model's start tiers and the scorers: the scope must not give
        // them to a pipeline of another model (another setup's caps), with other scorers, or for another list.
        var spec = RandomStack.Generate(5).Load();
        var model = PlanModel.Build(spec, null, new DiagnosticBag());
        var other = PlanModel.Build(spec, null, new DiagnosticBag());
        var scope = new PolicyScope(null, model, PlacementPipeline.ClusterFilters);
        var floors = new Candidate[scope.Candidates.Length];
        ImmutableArray<IScorer> reversed = [.. PlacementPipeline.DefaultScorers.Reverse()];

        scope.KeepFloors(model, PlacementPipeline.DefaultScorers, scope.Candidates, floors);

        Assert.Same(floors, scope.KnownFloors(model, PlacementPipeline.DefaultScorers, scope.Candidates));
        Assert.Null(scope.KnownFloors(model, PlacementPipeline.DefaultScorers, [.. scope.Candidates]));
        Assert.Null(scope.KnownFloors(other, PlacementPipeline.DefaultScorers, scope.Candidates));
        Assert.Null(scope.KnownFloors(model, reversed, scope.Candidates));
        scope.KeepFloors(model, reversed, scope.Candidates, new Candidate[floors.Length]);
        Assert.Null(scope.KnownFloors(model, PlacementPipeline.DefaultScorers, scope.Candidates));
    }

    [Property(MaxTest = 60)]
    public void Every_cluster_filter_passes_a_cluster_exactly_when_it_gives_no_reason_to_reject_it(int seed)
    {
        var spec = RandomStack.Generate(seed).Load();
        var model = PlanModel.Build(spec, null, new DiagnosticBag());
        IClusterFilter[] filters = [.. PlacementPipeline.ClusterFilters, MovedAwayFilter.For(model.Clusters[0].Name), MovedAwayFilter.For("=" + model.Clusters[0].Name)];
        foreach (var policy in spec.Policies.Values.Append(null))
        {
            foreach (var cluster in model.Clusters)
            {
                foreach (var filter in filters)
                {
                    Assert.Equal(filter.Reject(policy, cluster) is null, filter.Passes(policy, cluster));
                }
            }

            // The scope's reasons, written when first read, are the ones written up front before: the first rejecting filter's.
            var scope = new PolicyScope(policy, model, filters);
            foreach (var cluster in model.Clusters)
            {
                var first = filters.Select(f => (f.Name, Reason: f.Reject(policy, cluster))).FirstOrDefault(r => r.Reason is not null);
                Assert.Equal(first.Reason is null ? null : $"skipped by {first.Name}: {first.Reason}", scope.Rejections[cluster.Index]);
                Assert.Equal(first.Reason is null, scope.CandidateSet[cluster.Index]);
            }
        }
    }
}
