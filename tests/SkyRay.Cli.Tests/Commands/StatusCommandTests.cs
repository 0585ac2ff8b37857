using System.Text.Json.Nodes;
using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// <c>skyray status</c> against a loopback API server (through the real KubernetesClient) and against snapshots, and
/// <c>skyray plan --observed</c> / <c>--check-changes</c> on what it wrote.
/// </summary>
public sealed class StatusCommandTests : IDisposable
{
    private const string Stack = """
        config:
          skyray:clusters:
            gpu:
              provider: gcp
              region: us-central1
              kubernetesVersion: "1.35"
              lifecycle: dynamic
              standby: {mode: suspend, idleAfter: 30m}
              nodePools:
                - {name: cpu, instanceType: e2-standard-4, minNodes: 0, maxNodes: 2}
                - {name: gpu, instanceType: g2-standard-8, minNodes: 0, maxNodes: 4, zones: [us-central1-a, us-central1-b]}
            lab:
              provider: existing
              kubernetesVersion: "1.35"
              existing: {context: lab-context-that-does-not-exist}
          skyray:workloads:
            train:
              kind: RayJob
              namespace: ml
              entrypoint: python train.py
              head: {cpu: 1, memory: 4Gi}
              workerGroups:
                - {name: w, cpu: 4, memory: 16Gi, gpu: 1, gpuType: L4, replicas: 1}
              policy: on-gpu
          skyray:policies:
            on-gpu:
              clusterSelector:
                matchLabels: {kubernetes.io/metadata.name: gpu}
        """;

    private readonly TempProject _project = new("skyray-status-");

    public StatusCommandTests() => _project.WriteStack("burst", Stack);

    public void Dispose() => _project.Dispose();

    private static string Node(string name) => $$$"""{"metadata":{"name":"{{{name}}}","labels":{"cloud.google.com/gke-nodepool":"gpu"}},"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"ok","lastHeartbeatTime":"2026-12-04T09:59:00Z","lastTransitionTime":"2026-12-04T08:00:00Z"}]}}""";

    private const string FinishedJob = """
        {"apiVersion":"ray.io/v1","kind":"RayJob","metadata":{"name":"train","namespace":"ml","labels":{"app.kubernetes.io/managed-by":"skyray","skyray.io/workload":"train"}},
         "spec":{"entrypoint":"python train.py"},
         "status":{"jobDeploymentStatus":"Complete","jobStatus":"SUCCEEDED","rayClusterName":"train-raycluster-abcde","startTime":"2026-12-04T08:00:00Z","endTime":"2026-12-04T09:20:00Z","observedGeneration":1}}
        """;

    private static LoopbackApiServer GpuCluster() => new LoopbackApiServer()
        .Json("/version", """{"major":"1","minor":"35","gitVersion":"v1.35.4-gke.1256000","platform":"linux/amd64"}""")
        .Json("/api/v1/nodes", LoopbackApiServer.List("v1", "NodeList", Node("n1"), Node("n2")))
        .Json("/apis/ray.io/v1/rayjobs", LoopbackApiServer.List("ray.io/v1", "RayJobList", FinishedJob))
        .Json("/apis/ray.io/v1/rayservices", LoopbackApiServer.List("ray.io/v1", "RayServiceList"))
        .Json("/apis/ray.io/v1/rayclusters", LoopbackApiServer.List("ray.io/v1", "RayClusterList"));

    private string Kubeconfigs(LoopbackApiServer server)
    {
        var path = Path.Combine(_project.Directory, "kubeconfigs.json");
        File.WriteAllText(path, new JsonObject { ["gpu"] = server.Kubeconfig }.ToJsonString());
        return path;
    }

    [Fact]
    public void Status_reads_every_cluster_in_parallel_and_an_unreachable_one_is_a_row_not_a_failure()
    {
        using var server = GpuCluster();

        var run = _project.Run("status", "--stack", "burst", "--kubeconfigs", Kubeconfigs(server), "--timeout", "20s");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("train (RayJob): Complete/SUCCEEDED at", run.Out, StringComparison.Ordinal);
        Assert.Contains("2026-12-04T09:20:00Z", run.Out, StringComparison.Ordinal);
        Assert.Contains("gpu 2/4", run.Out, StringComparison.Ordinal);
        // Two g2-standard-8 nodes at the catalog's $0.85414 per hour.
        Assert.Contains("$1.7083", run.Out, StringComparison.Ordinal);
        Assert.Contains("lab: unreachable: no credentials", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 of 2 cluster(s) answered", run.Out, StringComparison.Ordinal);
        Assert.Contains("[1/2]", run.Error, StringComparison.Ordinal);
        Assert.Contains("[2/2]", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-token", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_json_is_a_snapshot_that_status_and_plan_read_back()
    {
        using var server = GpuCluster();
        var live = _project.Run("status", "--stack", "burst", "--kubeconfigs", Kubeconfigs(server), "--output", "json");
        Assert.True(live.ExitCode == ExitCodes.Ok, live.ToString());
        var snapshot = Path.Combine(_project.Directory, "observed.json");
        File.WriteAllText(snapshot, live.Out);

        var again = _project.Run("status", "--stack", "burst", "--observed", snapshot);

        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Contains("train (RayJob): Complete/SUCCEEDED", again.Out, StringComparison.Ordinal);
        Assert.Contains("lab: unreachable: no credentials", again.Out, StringComparison.Ordinal);
        Assert.Equal(1, JsonNode.Parse(live.Out)!["observationFormat"]!.GetValue<int>());
        Assert.Equal("reachable", JsonNode.Parse(live.Out)!["clusters"]!["gpu"]!["summary"]!["status"]!.GetValue<string>());
    }

    /// <summary>The stack's outputs after a run that placed train on gpu at 09:00.</summary>
    private string PreviousOutputs()
    {
        var placements = _project.Run("plan", "--stack", "burst", "--output", "json");
        Assert.True(placements.ExitCode == ExitCodes.Ok, placements.ToString());
        var outputs = new JsonObject
        {
            ["outputsFormat"] = 3,
            ["clusters"] = new JsonObject
            {
                ["gpu"] = new JsonObject { ["provider"] = "gcp", ["kubernetesVersion"] = "1.35", ["lifecycle"] = "dynamic", ["state"] = "active" },
                ["lab"] = new JsonObject { ["provider"] = "existing", ["kubernetesVersion"] = "1.35", ["lifecycle"] = "static", ["state"] = "active" },
            },
            ["placements"] = placements.Out.Trim(),
        };
        var path = Path.Combine(_project.Directory, "outputs.json");
        File.WriteAllText(path, outputs.ToJsonString());
        return path;
    }

    private string Observed(string job)
    {
        var path = Path.Combine(_project.Directory, "observed.json");
        File.WriteAllText(path, """
            {"observationFormat": 1, "observedAt": "2026-12-04T10:00:00Z", "clusters": {
              "gpu": {"reachable": true, "observedAt": "2026-12-04T10:00:00Z", "nodes": {"gpu": 1},
                      "rayObjects": [{"kind": "RayJob", "namespace": "ml", "name": "train", "workload": "train", "status": JOB}]},
              "lab": {"reachable": true, "observedAt": "2026-12-04T10:00:00Z", "nodes": {}, "rayObjects": []}}}
            """.Replace("JOB", job, StringComparison.Ordinal));
        return path;
    }

    [Fact]
    public void Plan_with_an_observation_retires_a_finished_job_and_starts_the_idle_clock_at_its_end()
    {
        var run = _project.Run("plan", "--stack", "burst", "--previous-outputs", PreviousOutputs(),
            "--observed", Observed("""{"jobDeploymentStatus": "Complete", "jobStatus": "SUCCEEDED", "endTime": "2026-12-04T09:20:00Z"}"""),
            "--at", "2026-12-04T10:00:00Z");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("✓ job train finished on gpu (Complete, SUCCEEDED at 2026-12-04T09:20:00Z): not run again", run.Out, StringComparison.Ordinal);
        // Idle since the job's end (09:20), 40 minutes before this run: past idleAfter (30m).
        Assert.Contains("~ standby gpu: idle since 2026-12-04T09:20:00.0000000+00:00 for at least 00:30:00; goes to standby (suspend)", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("assumed (no observation)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_changes_exits_3_when_the_next_pulumi_up_would_change_something()
    {
        var run = _project.Run("plan", "--stack", "burst", "--previous-outputs", PreviousOutputs(),
            "--observed", Observed("""{"jobDeploymentStatus": "Complete", "jobStatus": "SUCCEEDED", "endTime": "2026-12-04T09:20:00Z"}"""),
            "--at", "2026-12-04T10:00:00Z", "--check-changes");

        Assert.True(run.ExitCode == ExitCodes.Changes, run.ToString());
        Assert.Contains("changes: output jobs", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_changes_exits_0_when_the_stack_already_has_what_the_next_run_would_write()
    {
        // The outputs two pulumi ups wrote (the core's writer, with the fingerprint the program exports), train running: the
        // first creates the cluster, the second settles what only a second run knows (the cluster now runs, the autoscaler owns
        // its node count).
        var observedPath = Observed("""{"jobDeploymentStatus": "Running", "jobStatus": "RUNNING"}""");
        var spec = Orchestration.FleetLoading.LoadFile(Path.Combine(_project.Directory, "Pulumi.burst.yaml")).Value!;
        var observed = Orchestration.Observations.ObservationJson.Read(File.ReadAllText(observedPath), "test").Value;
        var previous = Orchestration.Outputs.PreviousRun.None;
        var text = string.Empty;
        foreach (var at in new[] { "2026-12-04T10:00:00Z", "2026-12-04T10:05:00Z" })
        {
            var deployed = Orchestration.Runs.RunPlanner.Plan(new Orchestration.Runs.RunRequest(spec, previous, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)) { Observed = observed });
            text = Orchestration.Outputs.StackOutputs.Write(deployed.Outputs with { Fingerprint = Orchestration.Runs.RunFingerprint.Of(deployed) }).ToJsonString();
            previous = Orchestration.Outputs.StackOutputs.ReadText(text, "test").Run!;
        }

        var outputs = Path.Combine(_project.Directory, "deployed.json");
        File.WriteAllText(outputs, text);

        var run = _project.Run("plan", "--stack", "burst", "--previous-outputs", outputs, "--observed", observedPath, "--at", "2026-12-04T10:15:00Z", "--check-changes");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("no change: the next pulumi up would declare the same resources and outputs", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_changes_without_previous_outputs_is_invalid_input()
    {
        var run = _project.Run("plan", "--stack", "burst", "--check-changes");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("--check-changes: needs the stack's outputs", run.Error, StringComparison.Ordinal);
    }
}
