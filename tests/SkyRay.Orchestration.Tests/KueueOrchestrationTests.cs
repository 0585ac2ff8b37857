using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.Orchestration.Manifests;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Queues;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Releases;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

/// <summary>Kueue through the run: its release after the operator, its objects after the releases, Ray objects after their queue,
/// and a sleeping cluster that keeps what it had (or waits for its first node).</summary>
public sealed class KueueOrchestrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private const string Shared = """
        kueue: {priorityClasses: {high: {value: 100}}}
        clusters:
          shared:
            provider: aws
            region: us-east-1
            kubernetesVersion: "1.35"
            nodePools:
              - {name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 3}
          sleeper:
            provider: gcp
            region: us-central1
            kubernetesVersion: "1.35"
            standby: {mode: suspend}
            nodePools:
              - {name: cpu, instanceType: n2-standard-8, minNodes: 1, maxNodes: 2}
        policies:
          on-shared: {clusterSelector: {matchLabels: {kubernetes.io/metadata.name: shared}}}
        workloads:
          train-a: {kind: RayJob, namespace: team-a, queue: research, priorityClass: high, policy: on-shared, entrypoint: python a.py, workerGroups: [{name: w, cpu: 2, memory: 8Gi}]}
          train-b: {kind: RayJob, namespace: team-b, policy: on-shared, entrypoint: python b.py, workerGroups: [{name: w, cpu: 2, memory: 8Gi}]}
        """;

    internal static FleetSpec Load(string yaml)
    {
        var bag = new DiagnosticBag();
        var root = (JsonObject)YamlJson.ParseSingle(yaml, "test", bag)!;
        var result = FleetLoading.FromValues("test", root.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal), Path.GetTempPath());
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        return result.Value!;
    }

    private static RunPlan Run(FleetSpec spec, FleetOutputs? previous = null) =>
        RunPlanner.Plan(new RunRequest(spec, previous is null ? PreviousRun.None : new PreviousRun(TestRun.ThroughStackOutputs(previous), null, 2), Now));

    private static RecordedCall Call(RecordingPorts recorder, string id) => recorder.Calls.Single(c => c.Id == id);

    [Fact]
    public void Kueue_is_installed_after_the_kuberay_operator_and_waits_exactly_where_the_operator_does()
    {
        var spec = Load(Shared);
        var plan = Run(spec).Plan;

        var releases = ClusterReleases.For(spec, spec.Clusters["shared"], plan.Clusters["shared"]);

        Assert.Equal<string>(["kuberay", "kueue"], releases.Select(r => r.Key));
        Assert.Equal<string>(["kuberay"], releases[1].After);
        Assert.True(releases[1].Wait);
        Assert.Equal(releases[0].Wait, releases[1].Wait);
        Assert.Single(ClusterReleases.For(spec, spec.Clusters["shared"] with { Kueue = KueueSettings.Disabled }, plan.Clusters["shared"]));
    }

    [Fact]
    public void Queue_objects_follow_both_releases_and_a_queued_ray_object_follows_its_local_queue()
    {
        var recorder = RecordingPorts.Record(Run(Load(Shared)));

        Assert.Equal<string>(["connection/shared", "helm/kuberay@shared", "helm/kueue@shared"], Call(recorder, "ClusterQueue/skyray@shared").DependsOn);
        Assert.Equal<string>(["connection/shared", "helm/kuberay@shared", "helm/kueue@shared"], Call(recorder, "ResourceFlavor/skyray-cpu@shared").DependsOn);
        Assert.Equal<string>(["connection/shared", "helm/kuberay@shared", "helm/kueue@shared"], Call(recorder, "WorkloadPriorityClass/high@shared").DependsOn);
        Assert.Equal<string>(
            ["connection/shared", "helm/kuberay@shared", "helm/kueue@shared", "Namespace/team-a@shared"],
            Call(recorder, "LocalQueue/team-a/research@shared").DependsOn);
        Assert.Equal<string>(
            ["connection/shared", "helm/kuberay@shared", "helm/kueue@shared", "Namespace/team-a@shared", "LocalQueue/team-a/research@shared", "NetworkPolicy/team-a/skyray-train-a@shared"],
            Call(recorder, "RayJob/team-a/train-a@shared").DependsOn);
        Assert.Equal<string>(
            ["connection/shared", "helm/kuberay@shared", "helm/kueue@shared", "Namespace/team-b@shared", "LocalQueue/team-b/default@shared", "NetworkPolicy/team-b/skyray-train-b@shared"],
            Call(recorder, "RayJob/team-b/train-b@shared").DependsOn);
    }

    [Fact]
    public void The_preview_lists_the_kueue_release_and_its_objects()
    {
        var lines = RecordingPorts.Record(Run(Load(Shared))).PreviewLines();

        Assert.Contains("+ helm kueue 0.19.2 → shared", lines);
        Assert.Contains("+ ClusterQueue skyray → shared", lines);
        Assert.Contains("+ LocalQueue team-a/research → shared", lines);
        Assert.Contains("+ ResourceFlavor skyray-cpu → shared", lines);
    }

    [Fact]
    public void Render_writes_the_kueue_release_with_its_oci_helm_command_and_the_queues_before_the_ray_objects()
    {
        var rendered = RenderAdapter.Render(Run(Load(Shared)));

        var release = rendered.Files.Single(f => f.Path == "shared/helm/kueue.yaml").Content;
        Assert.Contains(
            "#   helm upgrade --install kueue oci://registry.k8s.io/kueue/charts/kueue --version 0.19.2 --namespace kueue-system --create-namespace --values kueue.values.yaml\n",
            release,
            StringComparison.Ordinal);
        Assert.DoesNotContain("repository:", release, StringComparison.Ordinal);
        Assert.Contains("chart: oci://registry.k8s.io/kueue/charts/kueue\n", release, StringComparison.Ordinal);
        Assert.Contains("ray.io/rayjob", rendered.Files.Single(f => f.Path == "shared/helm/kueue.values.yaml").Content, StringComparison.Ordinal);

        var bag = new DiagnosticBag();
        var documents = YamlJson.ParseDocuments(rendered.Files.Single(f => f.Path == "shared/workloads.yaml").Content, "workloads.yaml", bag);
        Assert.False(bag.HasErrors);
        var kinds = documents.Select(d => d!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(
            // Each Ray object comes after its own NetworkPolicy.
            ["Namespace", "Namespace", "WorkloadPriorityClass", "ResourceFlavor", "ClusterQueue", "LocalQueue", "LocalQueue", "NetworkPolicy", "RayJob", "NetworkPolicy", "RayJob"],
            kinds);
        var job = documents.Single(d => d!["metadata"]!["name"]!.GetValue<string>() == "train-a")!;
        Assert.Equal("research", job["metadata"]!["labels"]!["kueue.x-k8s.io/queue-name"]!.GetValue<string>());
        Assert.Equal("high", job["metadata"]!["labels"]!["kueue.x-k8s.io/priority-class"]!.GetValue<string>());
    }

    [Fact]
    public void A_cluster_that_has_never_had_a_node_for_kueue_gets_it_with_its_first_node()
    {
        var spec = Load(Shared);
        var first = Run(spec);

        Assert.Equal(ClusterState.Standby, first.Plan.Clusters["sleeper"].State);
        Assert.Equal(KueueAction.Deferred, first.Kueue.Decisions["sleeper"].Action);
        Assert.Equal(KueueAction.Declared, first.Kueue.Decisions["shared"].Action);
        Assert.False(first.Spec.Clusters["sleeper"].Kueue.Enabled);
        Assert.Contains(first.StepLines(), l => l.StartsWith("~ kueue sleeper: Kueue and its queues wait until the cluster has a node", StringComparison.Ordinal));
        var recorder = RecordingPorts.Record(first);
        Assert.DoesNotContain(recorder.Calls, c => c.Cluster == "sleeper" && (c.Id.StartsWith("helm/kueue", StringComparison.Ordinal) || c.Kind == RecordedKind.KubeObject));
        Assert.Equal<string>(["shared"], first.Outputs.Queues!.Keys);
    }

    [Fact]
    public void A_cluster_going_to_standby_keeps_its_kueue_release_and_queue_objects_unawaited()
    {
        // The sleeper was active last run with Kueue declared; now it sleeps.
        var spec = Load(Shared);
        var previous = Run(spec).Outputs with
        {
            Queues = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["shared"] = "skyray", ["sleeper"] = "skyray" }),
        };

        var run = Run(spec, previous);

        Assert.Equal(ClusterState.Standby, run.Plan.Clusters["sleeper"].State);
        Assert.Equal(KueueAction.Kept, run.Kueue.Decisions["sleeper"].Action);
        var release = ClusterReleases.For(run.Spec, run.Spec.Clusters["sleeper"], run.Plan.Clusters["sleeper"]).Single(r => r.Key == "kueue");
        Assert.False(release.Wait);
        var recorder = RecordingPorts.Record(run);
        Assert.Equal(
            ["WorkloadPriorityClass/high@sleeper", "ResourceFlavor/skyray-cpu@sleeper", "ClusterQueue/skyray@sleeper"],
            recorder.Calls.Where(c => c.Cluster == "sleeper" && c.Kind == RecordedKind.KubeObject).Select(c => c.Id));
        Assert.Equal<string>(["shared", "sleeper"], run.Outputs.Queues!.Keys);
    }

    [Fact]
    public void The_queues_fingerprint_does_not_depend_on_what_is_placed_so_standby_changes_no_queue_object()
    {
        var spec = Load(Shared);
        var run = Run(spec);
        var cluster = spec.Clusters["shared"];
        var idle = run.Plan.Clusters["shared"] with { State = ClusterState.Standby, Workloads = [], Pools = [.. run.Plan.Clusters["shared"].Pools.Select(p => p with { MinNodes = 0, DesiredNodes = 0 })] };

        Assert.Equal(KueueRollout.Fingerprint(spec, cluster, run.Plan.Clusters["shared"]), KueueRollout.Fingerprint(spec, cluster, idle));
        Assert.Matches("^[0-9a-f]{16}$", run.Outputs.Queues!["shared"]);
        var biggerPlan = idle with { Pools = [.. idle.Pools.Select(p => p with { MaxNodes = p.MaxNodes + 1 })] };
        Assert.NotEqual(KueueRollout.Fingerprint(spec, cluster, idle), KueueRollout.Fingerprint(spec, cluster, biggerPlan));
        var relabelled = cluster with { NodePools = [.. cluster.NodePools.Select(p => p with { Labels = p.Labels.Add("tier", "a") })] };
        Assert.NotEqual(KueueRollout.Fingerprint(spec, cluster, idle), KueueRollout.Fingerprint(spec, relabelled, idle));
    }

    [Fact]
    public void A_sleeping_cluster_whose_queue_objects_change_is_warned_about_and_one_that_stays_is_not()
    {
        var spec = Load(Shared);
        var declaredAwake = spec.Clusters["sleeper"];
        var awakePlan = Run(spec).Plan.Clusters["sleeper"] with { State = ClusterState.Active };
        var previous = Run(spec).Outputs with
        {
            Queues = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["sleeper"] = KueueRollout.Fingerprint(spec, declaredAwake, awakePlan),
            }),
        };

        var unchanged = Run(spec, previous);
        Assert.Equal(KueueAction.Kept, unchanged.Kueue.Decisions["sleeper"].Action);
        Assert.DoesNotContain(unchanged.Diagnostics, d => d.Path == "skyray:clusters.sleeper.kueue");

        var grown = spec with { Clusters = spec.Clusters.SetItem("sleeper", declaredAwake with { NodePools = [.. declaredAwake.NodePools.Select(p => p with { MaxNodes = 4 })] }) };
        var changed = Run(grown, previous);
        var warning = Assert.Single(changed.Diagnostics, d => d.Path == "skyray:clusters.sleeper.kueue");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("change (its node pools or Kueue settings changed) while it has no node for Kueue's controller", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_previous_queues_output_is_unreadable_a_cluster_that_was_live_keeps_kueue()
    {
        var spec = Load(Shared);
        var written = StackOutputs.Write(Run(spec).Outputs with
        {
            Clusters = Run(spec).Outputs.Clusters.SetItem("sleeper", new ClusterOutput("gcp", "1.31", "static", "standby")),
        });
        written["queues"] = "not a map";
        var reading = StackOutputs.Read(written);
        Assert.Null(reading.Run!.Outputs!.Queues);

        var run = RunPlanner.Plan(new RunRequest(spec, reading.Run, Now));

        Assert.Equal(KueueAction.Kept, run.Kueue.Decisions["sleeper"].Action);
    }

    [Fact]
    public void An_existing_cluster_always_has_a_node_for_kueue()
    {
        var spec = Load("""
            kueue: {}
            clusters:
              lab:
                provider: existing
                kubernetesVersion: "1.35"
                existing: {context: lab, cloud: aws}
                nodePools: [{name: workers, instanceType: m6i.2xlarge, minNodes: 2, maxNodes: 2, labels: {pool: workers}}]
            """);

        var run = Run(spec);

        Assert.Equal(KueueAction.Declared, run.Kueue.Decisions["lab"].Action);
        Assert.True(ClusterReleases.For(run.Spec, run.Spec.Clusters["lab"], run.Plan.Clusters["lab"]).Single(r => r.Key == "kueue").Wait);
    }
}
