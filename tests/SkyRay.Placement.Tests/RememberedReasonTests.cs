using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The reason a spread Duplicate copy is missing is remembered per demand and cluster while the cluster's capacity stays
/// the same; once something is committed there, the next unit of that demand gets words about the capacity left then.
/// </summary>
public sealed class RememberedReasonTests
{
    [Fact]
    public void A_missing_copy_reason_follows_capacity_committed_since_the_last_unit_of_the_same_demand()
    {
        // tiny is one m5.xlarge (4 vCPU, 3.5 after the system reserve), none running. Two 3-CPU workers need two nodes:
        // on the empty pool there is room for one 3-CPU pod on the one node it may open. Once a 1-CPU head is committed
        // there, that node is open and 2.5 CPU is left: room for none.
        var spec = new FleetBuilder()
            .Cluster("tiny", c => c.Pool("cpu", "m5.xlarge", 0, 1))
            .Policy("everywhere", p => p.Duplicate())
            .Workload("dup-a", w => w.Policy("everywhere").Workers("w", 2, 3000, 4))
            .Workload("dup-b", w => w.Policy("everywhere").Workers("w", 2, 3000, 4))
            .Workload("filler", w => w.Head(1000, 2))
            .Build();
        var setup = PlanSetup.Build(spec, null, new Dictionary<(string Cluster, string Pool), int>());
        var units = setup.UnitsFor(new Dictionary<string, string>(StringComparer.Ordinal));
        var pipeline = new PlacementPipeline(setup.Model, PlanOptions.Default);
        var tiny = setup.Model.Clusters.Single(c => c.Name == "tiny");
        PlacementUnit Unit(string name) => units.Single(u => u.Name == name);

        var first = pipeline.DeclaredRejectReason(Unit("dup-a"), tiny);
        var again = pipeline.DeclaredRejectReason(Unit("dup-b"), tiny);
        var filler = Unit("filler");
        Span<int> chosen = stackalloc int[filler.Groups.Length];
        Assert.True(pipeline.Packer.Evaluate(filler, filler.BaseCounts, tiny, keep: true, chosen).Ok);
        pipeline.State.Commit();
        var after = pipeline.DeclaredRejectReason(Unit("dup-b"), tiny);

        Assert.Contains("has room for 1 more (max 1 node(s), 0 open)", first, StringComparison.Ordinal);
        Assert.Same(first, again);
        Assert.Contains("has room for 0 more (max 1 node(s), 1 open)", after, StringComparison.Ordinal);
    }
}
