using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Kueue;

/// <summary>Ray objects rendered for a cluster that runs Kueue carry its queue labels, and still validate against KubeRay v1.7.0.</summary>
public sealed class KueueLabelsTests
{
    private static ClusterSpec Queued(ClusterSpec cluster) => cluster with { Kueue = KueueSettings.Disabled with { Enabled = true } };

    private static JsonObject Labels(KubeObject o) => o.Manifest["metadata"]!["labels"]!.AsObject();

    [Fact]
    public void A_rayjob_on_a_kueue_cluster_joins_its_queue_with_its_priority_class_and_is_left_for_kueue_to_suspend()
    {
        var job = Build.Structured("train", RayKind.RayJob, Build.Head(), Build.Group("w", replicas: 2, min: 2, max: 2)) with { Queue = "team-a", PriorityClass = "high" };

        var rendered = WorkloadRenderer.Render(job, Queued(Build.Cluster()), Build.Copy("train"), null);

        Assert.Equal("team-a", Labels(rendered)["kueue.x-k8s.io/queue-name"]!.GetValue<string>());
        Assert.Equal("high", Labels(rendered)["kueue.x-k8s.io/priority-class"]!.GetValue<string>());
        Assert.Null(rendered.Manifest["spec"]!["suspend"]);
        Assert.Null(rendered.Manifest["metadata"]!["annotations"]);
    }

    [Fact]
    public void Without_a_queue_the_workload_joins_the_namespaces_default_queue_and_names_no_priority_class()
    {
        var service = Build.Structured("llm", RayKind.RayService, Build.Head(), Build.Group("w"));

        var rendered = WorkloadRenderer.Render(service, Queued(Build.Cluster()), Build.Copy("llm"), null);

        Assert.Equal("default", Labels(rendered)["kueue.x-k8s.io/queue-name"]!.GetValue<string>());
        Assert.False(Labels(rendered).ContainsKey("kueue.x-k8s.io/priority-class"));
    }

    [Fact]
    public void An_autoscaling_workload_is_marked_elastic_so_kueue_admits_its_scale_ups()
    {
        var cluster = Build.Structured("rc", RayKind.RayCluster, Build.Head(), Build.Group("w", replicas: 1, min: 1, max: 4));

        var rendered = WorkloadRenderer.Render(cluster, Queued(Build.Cluster()), Build.Copy("rc"), null);

        Assert.True(rendered.Manifest["spec"]!["enableInTreeAutoscaling"]!.GetValue<bool>());
        Assert.Equal("true", rendered.Manifest["metadata"]!["annotations"]!["kueue.x-k8s.io/elastic-job"]!.GetValue<string>());
    }

    [Fact]
    public void A_cluster_without_kueue_gets_no_queue_labels()
    {
        var job = Build.Structured("train", RayKind.RayJob, Build.Head(), Build.Group("w")) with { Queue = "team-a" };

        var rendered = WorkloadRenderer.Render(job, Build.Cluster(), Build.Copy("train"), null);

        Assert.DoesNotContain(Labels(rendered), l => l.Key.StartsWith("kueue.x-k8s.io/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rayjob_on_an_existing_ray_cluster_is_not_queued_because_kueue_does_not_manage_it()
    {
        var raw = new JsonObject
        {
            ["entrypoint"] = "python x.py",
            ["clusterSelector"] = new JsonObject { ["ray.io/cluster"] = "shared" },
        };
        var job = Build.Raw("attach", RayKind.RayJob, raw);

        var rendered = WorkloadRenderer.Render(job, Queued(Build.Cluster()), Build.Copy("attach"), null);

        Assert.False(Labels(rendered).ContainsKey("kueue.x-k8s.io/queue-name"));
    }

    [Fact]
    public void A_policy_override_of_the_queue_label_still_wins()
    {
        var job = Build.Structured("train", RayKind.RayJob, Build.Head(), Build.Group("w")) with { Queue = "team-a" };
        var copy = Build.Copy("train", overrides: new FieldOverride("metadata.labels['kueue.x-k8s.io/queue-name']", JsonValue.Create("urgent")));

        var rendered = WorkloadRenderer.Render(job, Queued(Build.Cluster()), copy, null);

        Assert.Equal("urgent", Labels(rendered)["kueue.x-k8s.io/queue-name"]!.GetValue<string>());
    }

    [SkippableFact]
    public void Queued_objects_of_every_kind_still_validate_against_the_kuberay_v1_7_0_crds()
    {
        var crds = Crds.Load();
        var head = Build.Head();
        var workloads = new[]
        {
            Build.Structured("job", RayKind.RayJob, head, Build.Group("w", replicas: 1, min: 1, max: 3)) with { Queue = "q", PriorityClass = "high" },
            Build.Structured("svc", RayKind.RayService, head, Build.Group("w")) with { Queue = "q" },
            Build.Structured("rc", RayKind.RayCluster, head, Build.Group("w", replicas: 2, min: 1, max: 4)),
        };
        foreach (var workload in workloads)
        {
            var rendered = WorkloadRenderer.Render(workload, Queued(Build.Cluster()), Build.Copy(workload.Name), null);
            var result = crds.Validate(rendered, workload.Name);
            Assert.True(result.Accepted, string.Join("\n", result.Diagnostics));
            Assert.Empty(result.Diagnostics);
            Assert.True(Labels(rendered).ContainsKey("kueue.x-k8s.io/queue-name"));
        }
    }
}
