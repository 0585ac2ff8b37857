using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Api;
using SkyRay.KubeRay.Tests.Demand;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Api;

public class RawSpecChecksTests
{
    private const string Path = "skyray:workloads.w.spec";

    private const string Cluster = """
        headGroupSpec:
          rayStartParams: {}
          template:
            spec:
              containers: [{name: ray-head, image: rayproject/ray:2.52.0}]
        workerGroupSpecs:
        - groupName: small
          replicas: 1
          minReplicas: 0
          maxReplicas: 3
          rayStartParams: {}
          template:
            spec:
              containers: [{name: ray-worker, image: rayproject/ray:2.52.0}]
        """;

    private static DiagnosticBag Check(RayKind kind, string yaml)
    {
        var bag = new DiagnosticBag();
        RawSpecChecks.Check(kind, RawSpecDemandTests.Spec(yaml), Path, bag);
        return bag;
    }

    private static string Indent(string yaml) => string.Join('\n', yaml.Split('\n').Select(l => "  " + l));

    [Fact]
    public void A_well_formed_cluster_spec_passes()
    {
        Assert.Empty(Check(RayKind.RayCluster, Cluster).Items);
    }

    [Fact]
    public void Missing_head_group_is_an_error_at_its_path()
    {
        var bag = Check(RayKind.RayCluster, "rayVersion: '2.52.0'");
        Assert.Equal(Path + ".headGroupSpec", Assert.Single(bag.Items).Path);
    }

    [Fact]
    public void Quoted_replicas_is_a_type_error()
    {
        var bag = Check(RayKind.RayCluster, Cluster.Replace("replicas: 1", "replicas: \"1\"", StringComparison.Ordinal));
        var error = Assert.Single(bag.Items);
        Assert.Equal((Severity.Error, Path + ".workerGroupSpecs[0].replicas"), (error.Severity, error.Path));
    }

    [Fact]
    public void Ray_start_params_must_be_strings()
    {
        var bag = Check(RayKind.RayCluster, "headGroupSpec:\n  rayStartParams: {num-cpus: 0}\n  template: {spec: {containers: [{name: ray-head}]}}");
        var error = Assert.Single(bag.Items);
        Assert.Equal(Path + ".headGroupSpec.rayStartParams.num-cpus", error.Path);
        Assert.Contains("quote", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Min_above_max_is_an_error()
    {
        var bag = Check(RayKind.RayCluster, Cluster.Replace("minReplicas: 0", "minReplicas: 5", StringComparison.Ordinal));
        Assert.Equal(Path + ".workerGroupSpecs[0].minReplicas", Assert.Single(bag.Items).Path);
    }

    [Fact]
    public void Typo_in_a_field_name_is_a_warning_with_a_suggestion()
    {
        var bag = Check(RayKind.RayCluster, Cluster.Replace("maxReplicas: 3", "maxReplica: 3", StringComparison.Ordinal));
        var warning = Assert.Single(bag.Items);
        Assert.Equal((Severity.Warning, Path + ".workerGroupSpecs[0].maxReplica"), (warning.Severity, warning.Path));
        Assert.Contains("maxReplicas", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_group_names_are_an_error()
    {
        var twice = Cluster + "\n" + Cluster[Cluster.IndexOf("- groupName", StringComparison.Ordinal)..];
        var bag = Check(RayKind.RayCluster, twice);
        Assert.Equal(Path + ".workerGroupSpecs[1].groupName", Assert.Single(bag.Items).Path);
    }

    [Fact]
    public void Unknown_submission_mode_is_an_error_listing_the_valid_ones()
    {
        var bag = Check(RayKind.RayJob, "entrypoint: x\nsubmissionMode: K8sMode\nrayClusterSpec:\n" + Indent(Cluster));
        var error = Assert.Single(bag.Items);
        Assert.Equal(Path + ".submissionMode", error.Path);
        Assert.Contains("K8sJobMode", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Job_without_cluster_or_selector_is_an_error()
    {
        var bag = Check(RayKind.RayJob, "entrypoint: x");
        Assert.Equal(Path + ".rayClusterSpec", Assert.Single(bag.Items).Path);
    }

    [Fact]
    public void Sidecar_mode_rejects_a_submitter_template()
    {
        var bag = Check(RayKind.RayJob, "entrypoint: x\nsubmissionMode: SidecarMode\nsubmitterPodTemplate: {spec: {containers: []}}\nrayClusterSpec:\n" + Indent(Cluster));
        Assert.Equal(Path + ".submitterPodTemplate", Assert.Single(bag.Items).Path);
    }

    [Fact]
    public void Service_upgrade_type_is_checked()
    {
        var bag = Check(RayKind.RayService, "upgradeStrategy: {type: BlueGreen}\nrayClusterConfig:\n" + Indent(Cluster));
        Assert.Equal(Path + ".upgradeStrategy.type", Assert.Single(bag.Items).Path);
    }

    [Fact]
    public void An_error_already_reported_by_demand_is_not_repeated()
    {
        var spec = RawSpecDemandTests.Spec(Cluster.Replace("replicas: 1", "replicas: \"1\"", StringComparison.Ordinal));
        var bag = new DiagnosticBag();
        RawSpecDemand.Compute(RayKind.RayCluster, spec, Path, bag);
        RawSpecChecks.Check(RayKind.RayCluster, spec, Path, bag);
        Assert.Single(bag.Items);
    }

    [SkippableFact]
    public void Every_official_sample_passes_the_built_in_model()
    {
        var samples = KubeRaySamples.LoadAll();
        Assert.Equal(
            (46, 19, 15),
            (samples.Count(s => s.Kind == RayKind.RayCluster), samples.Count(s => s.Kind == RayKind.RayJob), samples.Count(s => s.Kind == RayKind.RayService)));
        var problems = new List<string>();
        foreach (var sample in samples)
        {
            var bag = new DiagnosticBag();
            RawSpecChecks.Check(sample.Kind, sample.Spec, sample.ToString(), bag);
            problems.AddRange(bag.Items.Select(d => d.ToString()));
        }

        Assert.Empty(problems);
    }
}
