using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class PolicySelectionTests
{
    private static FleetBuilder TwoClasses() => new FleetBuilder()
        .Cluster("eks-prod", c => c.Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 1, 4))
        .Cluster("eks-dev", c => c.Label("cluster.class", "development").Pool("cpu", "m5.4xlarge", 1, 4));

    [Fact]
    public void Cluster_selector_places_on_the_specified_cluster()
    {
        var plan = TwoClasses()
            .Policy("prod", p => p.Clusters("cluster.class", "production"))
            .Workload("train", w => w.Policy("prod").Workers("worker", 2, 2000, 4))
            .Plan();

        Assert.Equal("eks-prod", plan.ClusterOf("train"));
        Assert.Equal("prod", plan.Placements["train"].Policy);
    }

    [Fact]
    public void Policy_covers_a_workload_by_namespace_and_resource_selector()
    {
        var plan = TwoClasses()
            .Policy("dev", p => p.InNamespace("research").SelectsWorkloads("team", "ml").Clusters("cluster.class", "development"))
            .Workload("covered", w => w.Namespace("research").Label("team", "ml"))
            .Workload("other-namespace", w => w.Namespace("default").Label("team", "ml"))
            .Workload("other-labels", w => w.Namespace("research").Label("team", "web"))
            .Plan();

        Assert.Equal("dev", plan.Placements["covered"].Policy);
        Assert.Equal("eks-dev", plan.ClusterOf("covered"));
        Assert.Null(plan.Placements["other-namespace"].Policy);
        Assert.Null(plan.Placements["other-labels"].Policy);
    }

    [Fact]
    public void Resource_selectors_are_ored()
    {
        var plan = TwoClasses()
            .Policy("dev", p => p.InNamespace("default").SelectsWorkloads("app", "redis").SelectsWorkloads("app", "guestbook").Clusters("cluster.class", "development"))
            .Workload("redis", w => w.Label("app", "redis"))
            .Workload("guestbook", w => w.Label("app", "guestbook"))
            .Plan();

        Assert.Equal("eks-dev", plan.ClusterOf("redis"));
        Assert.Equal("eks-dev", plan.ClusterOf("guestbook"));
    }

    [Fact]
    public void Two_policies_claiming_one_workload_leave_it_unplaced_with_an_error_naming_both()
    {
        var plan = TwoClasses()
            .Policy("alpha", p => p.InNamespace("default").Clusters("cluster.class", "production"))
            .Policy("beta", p => p.InNamespace("default").SelectsWorkloads("app", "x"))
            .Workload("contested", w => w.Label("app", "x"))
            .Plan();

        var placement = plan.Placements["contested"];
        Assert.False(placement.IsPlaced);
        Assert.Contains("'alpha'", placement.UnplacedReason);
        Assert.Contains("'beta'", placement.UnplacedReason);
        Assert.Equal(2, placement.Verdicts.Length);
        var error = Assert.Single(plan.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("skyray:workloads.contested", error.Path);
        Assert.Contains("'alpha' and 'beta'", error.Message);
    }

    [Fact]
    public void A_workload_naming_its_policy_is_not_claimed_by_selector_policies()
    {
        var plan = TwoClasses()
            .Policy("prod", p => p.Clusters("cluster.class", "production"))
            .Policy("everything-dev", p => p.InNamespace("default").Clusters("cluster.class", "development"))
            .Workload("pinned", w => w.Policy("prod"))
            .Workload("free", w => w)
            .Plan();

        Assert.Equal("eks-prod", plan.ClusterOf("pinned"));
        Assert.Equal("eks-dev", plan.ClusterOf("free"));
        Assert.DoesNotContain(plan.Diagnostics, d => d.Severity == Severity.Error);
    }

    [Fact]
    public void A_policy_without_selectors_only_covers_workloads_that_name_it()
    {
        var plan = TwoClasses()
            .Policy("prefer-dev", p => p.Clusters("cluster.class", "development"))
            .Workload("plain", w => w)
            .Plan();

        Assert.Null(plan.Placements["plain"].Policy);
    }

    [Fact]
    public void Cluster_selectors_see_the_labels_skyray_sets()
    {
        var plan = new FleetBuilder()
            .Cluster("aws-a", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("gke-a", c => c.Gcp().Pool("cpu", "n2-standard-8", 1, 2))
            .Cluster("gke-b", c => c.Gcp().Dynamic().Pool("cpu", "n2-standard-8", 0, 2))
            .Policy("gcp-static", p => p.Clusters(WellKnownLabels.Provider, "gcp"))
            .Policy("not-static", p => p.ClusterSelector(PolicyBuilder.Expr(WellKnownLabels.Lifecycle, Fleet.Policies.SelectorOperator.NotIn, "static")))
            .Workload("on-gcp", w => w.Policy("gcp-static"))
            .Workload("on-dynamic", w => w.Policy("not-static"))
            .Plan();

        Assert.Equal("gke-a", plan.ClusterOf("on-gcp"));
        Assert.Equal("gke-b", plan.ClusterOf("on-dynamic"));
        var labels = plan.Clusters["gke-a"].Labels;
        Assert.Equal("gke-a", labels[WellKnownLabels.ClusterName]);
        Assert.Equal("gcp", labels[WellKnownLabels.Provider]);
        Assert.Equal("us-central1", labels[WellKnownLabels.Region]);
        Assert.Equal("1.35", labels[WellKnownLabels.KubernetesVersion]);
        Assert.Equal("static", labels[WellKnownLabels.Lifecycle]);
    }

    [Fact]
    public void A_cluster_spec_asked_again_gets_its_labels_again_and_a_changed_one_its_own()
    {
        // Labels are worked out once per spec object (a simulation plans thousands of runs of the same clusters).
        var spec = new ClusterBuilder("aks-a").Azure().Label("team", "ml").Pool("cpu", "Standard_D8s_v5", 1, 2).Build();
        var first = Labels.ClusterLabels.For(spec);
        Assert.Same(first, Labels.ClusterLabels.For(spec));

        // An equal copy and a changed copy are other objects: each gets labels from its own fields.
        var upgraded = spec with { KubernetesVersion = "1.34", Labels = spec.Labels.SetItem("team", "serving") };
        var labels = Labels.ClusterLabels.For(upgraded);
        Assert.Equal("1.35", first[WellKnownLabels.KubernetesVersion]);
        Assert.Equal("ml", first["team"]);
        Assert.Equal("1.34", labels[WellKnownLabels.KubernetesVersion]);
        Assert.Equal("serving", labels["team"]);
        Assert.Equal("azure", labels[WellKnownLabels.Provider]);
        Assert.Equal("eastus", labels[WellKnownLabels.Region]);
        var copy = Labels.ClusterLabels.For(spec with { });
        Assert.NotSame(first, copy);
        Assert.Equal(first, copy);
    }

    [Fact]
    public void Exists_and_DoesNotExist_select_on_label_presence()
    {
        var plan = new FleetBuilder()
            .Cluster("with-zone", c => c.Label("zone", "a").Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("without-zone", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Policy("zoned", p => p.ClusterSelector(PolicyBuilder.Expr("zone", Fleet.Policies.SelectorOperator.Exists)))
            .Policy("unzoned", p => p.ClusterSelector(PolicyBuilder.Expr("zone", Fleet.Policies.SelectorOperator.DoesNotExist)))
            .Workload("a", w => w.Policy("zoned"))
            .Workload("b", w => w.Policy("unzoned"))
            .Plan();

        Assert.Equal("with-zone", plan.ClusterOf("a"));
        Assert.Equal("without-zone", plan.ClusterOf("b"));
    }

    [Fact]
    public void Cluster_selector_among_several_matches_picks_one_with_capacity()
    {
        var plan = new FleetBuilder()
            .Cluster("prod-a", c => c.Label("cluster.class", "production").Pool("cpu", "m5.xlarge", 1, 1))
            .Cluster("prod-b", c => c.Label("cluster.class", "production").Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("prod", p => p.Clusters("cluster.class", "production"))
            .Workload("first", w => w.Policy("prod").Head(3000, 8))
            .Workload("second", w => w.Policy("prod").Head(3000, 8))
            .Plan();

        Assert.Equal("prod-a", plan.ClusterOf("first"));
        Assert.Equal("prod-b", plan.ClusterOf("second"));
    }

    [Fact]
    public void Priority_policy_spills_to_the_next_provider_when_the_first_is_full()
    {
        var plan = new FleetBuilder()
            .Cluster("aws-1", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("gke-1", c => c.Gcp().Pool("cpu", "n2-standard-8", 1, 1))
            .Policy("gcp-first", p => p.Ordered(WellKnownLabels.Provider, "gcp", "aws"))
            .Workload("a", w => w.Policy("gcp-first").Workers("w", 1, 6000, 8))
            .Workload("b", w => w.Policy("gcp-first").Workers("w", 1, 6000, 8))
            .Plan();

        Assert.Equal("gke-1", plan.ClusterOf("a"));
        Assert.Equal("aws-1", plan.ClusterOf("b"));
    }

    [Fact]
    public void Priority_order_beats_launch_tier()
    {
        // gke-1 has to scale up while aws-1 has running room, but the order of the In values is the preference.
        var plan = new FleetBuilder()
            .Cluster("aws-1", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("gke-1", c => c.Gcp().Pool("cpu", "n2-standard-8", 0, 2))
            .Policy("gcp-first", p => p.Ordered(WellKnownLabels.Provider, "gcp", "aws"))
            .Workload("a", w => w.Policy("gcp-first"))
            .Plan();

        Assert.Equal("gke-1", plan.ClusterOf("a"));
        Assert.Equal(LaunchTier.ScaleUp, plan.Placements["a"].Copies[0].Tier);
    }

    [Fact]
    public void Ordered_selector_by_cluster_name_prefers_the_names_in_order()
    {
        var plan = new FleetBuilder()
            .Cluster("alpha", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("omega", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Policy("omega-first", p => p.Ordered(WellKnownLabels.ClusterName, "omega", "alpha"))
            .Workload("a", w => w.Policy("omega-first"))
            .Plan();

        Assert.Equal("omega", plan.ClusterOf("a"));
    }
}
