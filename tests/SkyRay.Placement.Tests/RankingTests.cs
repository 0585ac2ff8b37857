using System.Collections.Immutable;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Pipeline.Scoring;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The scorers are the ranking: the search (plain and --explain) decides with whatever chain the run has, and the
/// explanation names the scorer that decided. Shown with chains other than the default.
/// </summary>
public class RankingTests
{
    // Both clusters are up with no node running: each candidate is "scale up". Adding one m5.4xlarge costs $0.768/h,
    // one m5.xlarge $0.192/h, so cost prefers b-cheap and, without cost, the name prefers a-costly.
    private static FleetBuilder TwoScaleUps() => new FleetBuilder()
        .Cluster("a-costly", c => c.Pool("cpu", "m5.4xlarge", 0, 2))
        .Cluster("b-cheap", c => c.Pool("cpu", "m5.xlarge", 0, 2))
        .Workload("job", w => w.Head(1000, 2));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_default_chain_takes_the_cheaper_cluster(bool explain)
    {
        var plan = Run(TwoScaleUps(), PlacementPipeline.DefaultScorers, explain);

        Assert.Equal("b-cheap", plan.ClusterOf("job"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_chain_without_the_cost_scorer_decides_by_name_in_the_search_and_in_the_explanation(bool explain)
    {
        ImmutableArray<IScorer> noCost = [new StickinessScorer(), new PriorityScorer(), new LaunchTierScorer(), new ClusterNameScorer()];

        var plan = Run(TwoScaleUps(), noCost, explain);

        Assert.Equal("a-costly", plan.ClusterOf("job"));
        if (explain)
        {
            var lost = plan.Placements["job"].Verdicts.Single(v => v.Cluster == "b-cheap");
            Assert.StartsWith("passes, not chosen (name prefers a-costly)", lost.Reason);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_chain_with_cost_before_launch_tier_creates_a_cheaper_cluster_instead_of_scaling_up(bool explain)
    {
        // b-static scales up by one m5.4xlarge ($0.768/h); a-dynamic must be created, its first m5.xlarge $0.192/h.
        var fleet = new FleetBuilder()
            .Cluster("a-dynamic", c => c.Dynamic().Pool("cpu", "m5.xlarge", 0, 2))
            .Cluster("b-static", c => c.Pool("cpu", "m5.4xlarge", 0, 2))
            .Workload("job", w => w.Head(1000, 2));
        ImmutableArray<IScorer> costFirst = [new StickinessScorer(), new PriorityScorer(), new CostScorer(), new LaunchTierScorer(), new ClusterNameScorer()];

        Assert.Equal("b-static", Run(fleet, PlacementPipeline.DefaultScorers, explain).ClusterOf("job"));
        var plan = Run(fleet, costFirst, explain);

        Assert.Equal("a-dynamic", plan.ClusterOf("job"));
        Assert.Equal(LaunchTier.CreateCluster, plan.Placements["job"].Copies[0].Tier);
        if (explain)
        {
            var lost = plan.Placements["job"].Verdicts.Single(v => v.Cluster == "b-static");
            Assert.StartsWith("passes, not chosen (cost prefers a-dynamic)", lost.Reason);
        }
    }

    [Fact]
    public void Many_workloads_of_one_demand_follow_the_chain_through_the_ranking_heap()
    {
        // 20 identical heads with no policy go through the ranking heap. Without the cost scorer each goes to the
        // first cluster by name while it has room: a-costly holds 2 m5.4xlarge × 15 (1 vCPU, 2 GiB) heads = 30.
        var fleet = new FleetBuilder()
            .Cluster("a-costly", c => c.Pool("cpu", "m5.4xlarge", 0, 2))
            .Cluster("b-cheap", c => c.Pool("cpu", "m5.xlarge", 0, 2));
        for (var i = 0; i < 20; i++)
        {
            fleet.Workload($"job-{i:D2}", w => w.Head(1000, 2));
        }

        ImmutableArray<IScorer> noCost = [new StickinessScorer(), new PriorityScorer(), new LaunchTierScorer(), new ClusterNameScorer()];
        var plan = Run(fleet, noCost, explain: false);

        Assert.All(plan.Placements.Values, p => Assert.Equal("a-costly", p.Copies.Single().Cluster));
    }

    private static FleetPlan Run(FleetBuilder fleet, ImmutableArray<IScorer> scorers, bool explain) =>
        new PlanRun(fleet.Build(), null, new PlanOptions(Explain: explain)) { Scorers = scorers }.Run();
}
