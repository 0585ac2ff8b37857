using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Orchestration.Tests;

/// <summary><c>validate</c>'s Kueue checks: a workload's queue and priority class against the clusters its policy allows, and what
/// Kueue's webhooks and CRDs would reject there.</summary>
public sealed class KueueChecksTests
{
    private const string Fleet = """
        clusters:
          queued:
            provider: aws
            region: us-east-1
            kubernetesVersion: "1.35"
            labels: {tier: shared}
            kueue: {priorityClasses: {high: {value: 1000}, low: {value: 1}}}
            nodePools: [{name: cpu, instanceType: m6i.2xlarge, maxNodes: 3}]
          plain:
            provider: gcp
            region: us-central1
            kubernetesVersion: "1.35"
            labels: {tier: burst}
            nodePools: [{name: cpu, instanceType: n2-standard-8, maxNodes: 3}]
        policies:
          shared-only: {clusterSelector: {matchLabels: {tier: shared}}}
          burst-only: {clusterSelector: {matchLabels: {tier: burst}}}
        """;

    private static Result<FleetSpec> Load(string workloads, string fleet = Fleet)
    {
        var bag = new DiagnosticBag();
        var root = (JsonObject)YamlJson.ParseSingle(fleet + "\n" + workloads, "test", bag)!;
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        return FleetLoading.FromValues("test", root.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal), Path.GetTempPath());
    }

    private static Diagnostic Has(Result<FleetSpec> result, Severity severity, string path, string part)
    {
        var found = result.Diagnostics.FirstOrDefault(d => d.Severity == severity && d.Path == path && d.Message.Contains(part, StringComparison.Ordinal));
        Assert.True(found is not null, $"expected {severity} at {path} containing '{part}', got:\n{string.Join("\n", result.Diagnostics)}");
        return found!;
    }

    [Fact]
    public void A_queue_on_a_workload_whose_policy_allows_no_kueue_cluster_is_an_error_naming_the_clusters()
    {
        var result = Load("""
            workloads:
              job: {kind: RayJob, policy: burst-only, queue: team-a, entrypoint: python x.py}
            """);

        var error = Has(result, Severity.Error, "skyray:workloads.job.queue", "none of the clusters its policy allows (plain) runs Kueue");
        Assert.Equal("enable Kueue on one of them (skyray:clusters.plain.kueue: {}, or skyray:kueue for the fleet), or remove queue", error.Hint);
    }

    [Fact]
    public void A_queue_on_a_workload_that_may_also_go_to_a_cluster_without_kueue_is_a_warning()
    {
        var result = Load("""
            workloads:
              job: {kind: RayJob, queue: team-a, entrypoint: python x.py}
            """);

        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        Has(result, Severity.Warning, "skyray:workloads.job.queue", "applies only on the clusters that run Kueue (queued); on plain the workload starts without queueing");
    }

    [Fact]
    public void An_unknown_priority_class_is_an_error_with_did_you_mean_from_the_cluster_it_may_land_on()
    {
        var result = Load("""
            workloads:
              job: {kind: RayJob, policy: shared-only, priorityClass: hihg, entrypoint: python x.py}
            """);

        var error = Has(result, Severity.Error, "skyray:workloads.job.priorityClass", "priority class 'hihg' is not declared on queued");
        Assert.Equal("did you mean 'high'?", error.Hint);
    }

    [Fact]
    public void A_declared_priority_class_and_queue_on_a_kueue_only_policy_are_fine()
    {
        var result = Load("""
            workloads:
              job: {kind: RayJob, namespace: team-a, policy: shared-only, queue: team-a, priorityClass: high, entrypoint: python x.py}
            """);

        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Path.StartsWith("skyray:workloads.job", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rayjob_that_keeps_its_cluster_is_rejected_where_kueue_may_get_it()
    {
        var result = Load("""
            workloads:
              keeps: {kind: RayJob, policy: shared-only, shutdownAfterJobFinishes: false, entrypoint: python x.py}
              elsewhere: {kind: RayJob, policy: burst-only, shutdownAfterJobFinishes: false, entrypoint: python x.py}
            """);

        Has(result, Severity.Error, "skyray:workloads.keeps.shutdownAfterJobFinishes", "Kueue rejects a RayJob that keeps its Ray cluster");
        Assert.DoesNotContain(result.Diagnostics, d => d.Path.StartsWith("skyray:workloads.elsewhere", StringComparison.Ordinal) && d.Severity == Severity.Error);
    }

    [Fact]
    public void A_raw_rayjob_without_shutdown_is_rejected_and_a_raw_suspend_is_a_warning()
    {
        var result = Load("""
            workloads:
              raw:
                kind: RayJob
                policy: shared-only
                spec:
                  entrypoint: python x.py
                  suspend: true
                  rayClusterSpec:
                    rayVersion: "2.52.0"
                    headGroupSpec:
                      rayStartParams: {}
                      template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0", resources: {requests: {cpu: "1", memory: 4Gi}}}]}}
            """);

        Has(result, Severity.Error, "skyray:workloads.raw.spec.shutdownAfterJobFinishes", "Kueue rejects a RayJob that keeps its Ray cluster");
        Has(result, Severity.Warning, "skyray:workloads.raw.spec.suspend", "Kueue controls spec.suspend");
    }

    [Fact]
    public void A_workload_in_a_namespace_kueue_skips_is_an_error()
    {
        var result = Load("""
            workloads:
              sys: {kind: RayCluster, policy: shared-only, namespace: kueue-system}
            """);

        Has(result, Severity.Error, "skyray:workloads.sys.namespace", "Kueue's admission webhooks skip namespace 'kueue-system'");
    }

    [Fact]
    public void Hand_written_queue_labels_are_errors_that_point_at_queue()
    {
        var result = Load("""
            workloads:
              job: {kind: RayJob, policy: shared-only, labels: {kueue.x-k8s.io/queue-name: team-a}, entrypoint: python x.py}
            """);

        Assert.Equal("write queue: NAME instead", Has(result, Severity.Error, "skyray:workloads.job.labels[\"kueue.x-k8s.io/queue-name\"]", "is set by SkyRay").Hint);
    }

    [Fact]
    public void Too_many_pod_sets_for_a_kueue_workload_count_the_rayjob_submitter()
    {
        // 16 worker groups + head + submitter = 18 pod sets: accepted; 17 + head + submitter = 19: rejected.
        string Job(string name, int groups) =>
            $"  {name}: {{kind: RayJob, policy: shared-only, entrypoint: python x.py, workerGroups: [{string.Join(", ", Enumerable.Range(0, groups).Select(i => $"{{name: g{i}, cpu: 1, memory: 1Gi}}"))}]}}\n";
        var result = Load("workloads:\n" + Job("fits", 16) + Job("too-big", 17));

        Has(result, Severity.Error, "skyray:workloads.too-big.workerGroups", "becomes a Kueue workload of 19 pod sets (head, worker groups, submitter); Kueue accepts at most 18");
        Assert.DoesNotContain(result.Diagnostics, d => d.Path.StartsWith("skyray:workloads.fits", StringComparison.Ordinal) && d.Severity == Severity.Error);
    }

    [Fact]
    public void A_pool_whose_flavor_would_exceed_kueues_label_limit_is_an_error()
    {
        var labels = string.Join(", ", Enumerable.Range(0, 8).Select(i => $"l{i}: v"));
        var result = Load("workloads: {}\n", Fleet.Replace(
            "nodePools: [{name: cpu, instanceType: m6i.2xlarge, maxNodes: 3}]",
            $"nodePools: [{{name: cpu, instanceType: m6i.2xlarge, maxNodes: 3, labels: {{{labels}}}}}]",
            StringComparison.Ordinal));

        Has(result, Severity.Error, "skyray:clusters.queued.nodePools[0].labels", "has 9 node labels with the one the cloud sets");
    }

    [Fact]
    public void Existing_cluster_pools_that_kueue_cannot_tell_apart_are_a_warning()
    {
        var result = Load("workloads: {}\n", """
            clusters:
              lab:
                provider: existing
                kubernetesVersion: "1.35"
                existing: {context: lab, cloud: aws}
                kueue: {}
                nodePools:
                  - {name: a, instanceType: m6i.2xlarge, maxNodes: 2}
                  - {name: b, instanceType: m6i.4xlarge, maxNodes: 2}
            """);

        Has(result, Severity.Warning, "skyray:clusters.lab.nodePools[1].labels", "pools 'a' and 'b' have the same node labels");
    }
}
