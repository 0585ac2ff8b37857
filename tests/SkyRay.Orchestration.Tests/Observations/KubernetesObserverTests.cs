using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Observations.Kubernetes;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Testing;

namespace SkyRay.Orchestration.Tests.Observations;

/// <summary>
/// The KubernetesClient adapter against a real HTTP server on loopback that answers like an API server (status fields as in
/// KubeRay v1.7.0's CRDs, list envelopes, Status errors, 404 for an API group that is not installed), through the real client.
/// </summary>
public sealed class KubernetesObserverTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly ClusterSpec Gpu = ClusterBuilder.Gcp("gke-gpu").Pool("gpu", "g2-standard-8", 0, 4).Build();

    private const string Version = """{"major":"1","minor":"31","gitVersion":"v1.31.4-gke.1256000","gitCommit":"4b1e","gitTreeState":"clean","buildDate":"2026-11-20T09:12:00Z","goVersion":"go1.23.4","compiler":"gc","platform":"linux/amd64"}""";

    private static string Node(string name, string pool, bool ready) => Fill("""
        {"metadata":{"name":"NAME","uid":"u-NAME","resourceVersion":"901","labels":{"cloud.google.com/gke-nodepool":"POOL","kubernetes.io/hostname":"NAME"}},
         "spec":{"providerID":"gce://p/us-central1-a/NAME"},
         "status":{"conditions":[{"type":"MemoryPressure","status":"False","lastHeartbeatTime":"2026-12-04T09:59:00Z","lastTransitionTime":"2026-12-04T08:00:00Z","reason":"KubeletHasSufficientMemory","message":"ok"},
                                 {"type":"Ready","status":"READY","lastHeartbeatTime":"2026-12-04T09:59:00Z","lastTransitionTime":"2026-12-04T08:00:00Z","reason":"KubeletReady","message":"kubelet is posting ready status"}]}}
        """, ("NAME", name), ("POOL", pool), ("READY", ready ? "True" : "False"));

    private static string RayJob(string name, string deploymentStatus, string jobStatus, string? endTime) => Fill("""
        {"apiVersion":"ray.io/v1","kind":"RayJob","metadata":{"name":"NAME","namespace":"ml","uid":"j-NAME","generation":1,
          "labels":{"app.kubernetes.io/managed-by":"skyray","skyray.io/workload":"NAME","skyray.io/cluster":"gke-gpu"}},
         "spec":{"entrypoint":"python train.py","shutdownAfterJobFinishes":true},
         "status":{"jobId":"NAME-x7k2p","rayClusterName":"NAME-raycluster-9xq2v","dashboardURL":"NAME-head-svc.ml.svc.cluster.local:8265",
          "jobStatus":"JOBSTATUS","jobDeploymentStatus":"DEPLOYMENT","startTime":"2026-12-04T08:00:00Z"ENDTIME,
          "succeeded":0,"failed":0,"observedGeneration":1,"rayClusterStatus":{"state":"ready","desiredWorkerReplicas":2}}}
        """, ("NAME", name), ("DEPLOYMENT", deploymentStatus), ("JOBSTATUS", jobStatus), ("ENDTIME", endTime is null ? "" : $",\"endTime\":\"{endTime}\""));

    private const string RayService = """
        {"apiVersion":"ray.io/v1","kind":"RayService","metadata":{"name":"llm","namespace":"serving","generation":3,
          "labels":{"app.kubernetes.io/managed-by":"skyray","skyray.io/workload":"llm"},"annotations":{"pulumi.com/waitFor":"condition=Ready"}},
         "spec":{"serveConfigV2":"applications: []"},
         "status":{"serviceStatus":"Running","numServeEndpoints":2,"observedGeneration":3,
          "activeServiceStatus":{"rayClusterName":"llm-raycluster-q8f4d","applicationStatuses":{"app":{"status":"RUNNING"}}},
          "conditions":[{"type":"Ready","status":"True","reason":"NonZeroServeEndpoints","message":"Number of serve endpoints is greater than 0","lastTransitionTime":"2026-12-04T09:30:00Z","observedGeneration":3},
                        {"type":"UpgradeInProgress","status":"False","reason":"NoPendingCluster","message":"No pending cluster exists","lastTransitionTime":"2026-12-04T09:30:00Z","observedGeneration":3}]}}
        """;

    private static string RayClusterOf(string name, string owner, string state) => Fill("""
        {"apiVersion":"ray.io/v1","kind":"RayCluster","metadata":{"name":"NAME","namespace":"NAMESPACE",
          "labels":{"app.kubernetes.io/managed-by":"skyray","skyray.io/workload":"OWNER","ray.io/originated-from-cr-name":"OWNER","ray.io/originated-from-crd":"RayService"}},
         "status":{"state":"STATE","readyWorkerReplicas":2,"availableWorkerReplicas":2,"desiredWorkerReplicas":2,"minWorkerReplicas":1,"maxWorkerReplicas":4,
          "head":{"podIP":"10.4.0.7","serviceIP":"10.8.0.12"},"conditions":[{"type":"HeadPodReady","status":"True","reason":"HeadPodRunningAndReady","lastTransitionTime":"2026-12-04T09:20:00Z","message":""}]}}
        """, ("NAME", name), ("NAMESPACE", owner == "llm" ? "serving" : "ml"), ("OWNER", owner), ("STATE", state));

    private const string ServeService = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"llm-serve-svc","namespace":"serving"},
         "spec":{"type":"LoadBalancer","ports":[{"name":"serve","port":8000,"protocol":"TCP","targetPort":8000}],"selector":{"ray.io/serve":"true"}},
         "status":{"loadBalancer":{"ingress":[{"ip":"34.118.20.7","ipMode":"VIP"}]}}}
        """;

    private static string Pod(string name) => Fill("""{"metadata":{"name":"NAME","namespace":"serving","labels":{"ray.io/serve":"true","ray.io/cluster":"llm-raycluster-q8f4d"}},"status":{"phase":"Running"}}""", ("NAME", name));

    private static string Metrics(string ongoing) => Fill("""
        # HELP ray_serve_num_ongoing_http_requests The number of ongoing requests in this HTTP Proxy.
        # TYPE ray_serve_num_ongoing_http_requests gauge
        ray_serve_num_ongoing_http_requests{Component="core_worker",NodeAddress="10.4.0.7",SessionName="session_2026",Version="2.52.0",application="app"} ONGOING
        ray_serve_num_http_requests_total{application="app",method="POST",route="/"} 1800
        """, ("ONGOING", ongoing));

    private static string QueueWorkload(string name, string? admitted, string? finished)
    {
        var conditions = new List<string>();
        if (admitted is not null)
        {
            conditions.Add(Fill("""{"type":"QuotaReserved","status":"S","reason":"QuotaReserved","message":"Quota reserved in ClusterQueue gpu","lastTransitionTime":"2026-12-04T09:00:00Z"}""", ("S", admitted)));
            conditions.Add(Fill("""{"type":"Admitted","status":"S","reason":"Admitted","message":"The workload is admitted","lastTransitionTime":"2026-12-04T09:00:00Z"}""", ("S", admitted)));
        }

        if (finished is not null)
        {
            conditions.Add(Fill("""{"type":"Finished","status":"S","reason":"Succeeded","message":"Job finished successfully","lastTransitionTime":"2026-12-04T09:40:00Z"}""", ("S", finished)));
        }

        return Fill("""
            {"apiVersion":"kueue.x-k8s.io/v1beta1","kind":"Workload","metadata":{"name":"NAME","namespace":"ml"},
             "spec":{"queueName":"team-a","podSets":[{"name":"head","count":1}]},
             "status":{"conditions":[CONDITIONS]}}
            """, ("NAME", name), ("CONDITIONS", string.Join(",", conditions)));
    }

    private static string Fill(string template, params (string Key, string Value)[] values) =>
        values.OrderByDescending(v => v.Key.Length).Aggregate(template, (text, v) => text.Replace(v.Key, v.Value, StringComparison.Ordinal));

    /// <summary>A GKE cluster running a finished and a running job, a serving RayService and three Kueue workloads.</summary>
    private static LoopbackApiServer BusyCluster() => new LoopbackApiServer()
        .Json("/version", Version)
        .Json("/api/v1/nodes", LoopbackApiServer.List("v1", "NodeList", Node("n1", "gpu", true), Node("n2", "gpu", true), Node("n3", "gpu", false), Node("s1", "default-pool", true)))
        .Json("/apis/ray.io/v1/rayjobs", LoopbackApiServer.List("ray.io/v1", "RayJobList",
            RayJob("train-a", "Complete", "SUCCEEDED", "2026-12-04T09:41:07Z"),
            RayJob("train-b", "Running", "RUNNING", null)))
        .Json("/apis/ray.io/v1/rayservices", LoopbackApiServer.List("ray.io/v1", "RayServiceList", RayService))
        .Json("/apis/ray.io/v1/rayclusters", LoopbackApiServer.List("ray.io/v1", "RayClusterList", RayClusterOf("llm-raycluster-q8f4d", "llm", "ready")))
        .Json("/api/v1/namespaces/serving/services/llm-serve-svc", ServeService)
        .Json("/api/v1/namespaces/serving/pods", LoopbackApiServer.List("v1", "PodList", Pod("llm-head-abcde"), Pod("llm-worker-fghij")))
        .Route("/api/v1/namespaces/serving/pods/llm-head-abcde:8080/proxy/metrics", _ => Task.FromResult(new LoopbackApiServer.Answer(200, "text/plain; version=0.0.4", Metrics("3"))))
        .Route("/api/v1/namespaces/serving/pods/llm-worker-fghij:8080/proxy/metrics", _ => Task.FromResult(new LoopbackApiServer.Answer(200, "text/plain; version=0.0.4", Metrics("2"))))
        .Json("/apis/kueue.x-k8s.io/v1beta1/workloads", LoopbackApiServer.List("kueue.x-k8s.io/v1beta1", "WorkloadList",
            QueueWorkload("rayjob-train-c-1a2b3", null, null),
            QueueWorkload("rayjob-train-b-4c5d6", "True", null),
            QueueWorkload("rayjob-train-a-7e8f9", "True", "True")));

    private static KubernetesObserver Observer(LoopbackApiServer server) =>
        new(Kubeconfigs.Credentials(new Dictionary<string, string> { ["gke-gpu"] = server.Kubeconfig }, null), () => Now);

    [Fact]
    public async Task A_busy_cluster_is_read_whole_through_the_real_client()
    {
        using var server = BusyCluster();

        var seen = await Observer(server).ObserveAsync(Gpu, CancellationToken.None);

        Assert.True(seen.Reachability == Reachability.Reachable, seen.Problem);
        Assert.Equal("v1.31.4-gke.1256000", seen.ServerVersion);
        Assert.Empty(seen.Unread);
        // Three gpu nodes, one not Ready; the GKE system node counts under its own pool.
        Assert.Equal(new Dictionary<string, int> { ["default-pool"] = 1, ["gpu"] = 2 }, seen.Nodes);
        var byName = seen.RayObjects.ToDictionary(o => o.Name);
        Assert.Equal(["llm-raycluster-q8f4d", "train-a", "train-b", "llm"], seen.RayObjects.Select(o => o.Name));
        Assert.Equal(Activity.Finished, RayActivity.Of(byName["train-a"], out _));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 9, 41, 7, TimeSpan.Zero), byName["train-a"].EndTime);
        Assert.True(RayActivity.Succeeded(byName["train-a"]));
        Assert.Equal(Activity.Running, RayActivity.Of(byName["train-b"], out _));
        Assert.True(RayActivity.Serving(byName["llm"]));
        Assert.Equal(2, byName["llm"].ServeEndpoints);
        Assert.Equal<string>(["34.118.20.7"], byName["llm"].ServeAddresses);
        Assert.Equal(5, byName["llm"].OngoingRequests); // 3 on the head's proxy + 2 on the worker's
        Assert.Equal("llm", byName["llm-raycluster-q8f4d"].OriginatedFrom);
        // The finished Kueue workload is left out; the pending and the admitted one are work on this cluster.
        Assert.Equal(
            [("rayjob-train-b-4c5d6", QueueState.Admitted), ("rayjob-train-c-1a2b3", QueueState.Pending)],
            seen.QueueWorkloads.Select(w => (w.Name, w.State)));
        Assert.All(seen.QueueWorkloads, w => Assert.Equal("team-a", w.Queue));
        // Only SkyRay's objects were asked for, and the serving pods of the RayService's own Ray cluster.
        Assert.Contains(server.Requests, r => r.StartsWith("/apis/ray.io/v1/rayjobs?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dskyray", StringComparison.Ordinal));
        Assert.Contains(server.Requests, r => r.StartsWith("/api/v1/namespaces/serving/pods?labelSelector=ray.io%2Fserve%3Dtrue%2Cray.io%2Fcluster%20in%20%28llm-raycluster-q8f4d%29", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forbidden_list_leaves_that_kind_unknown_with_a_warning_and_the_rest_read()
    {
        using var server = BusyCluster().Json(
            "/apis/ray.io/v1/rayjobs",
            LoopbackApiServer.StatusBody(403, "Forbidden", "rayjobs.ray.io is forbidden: User \\\"observer\\\" cannot list resource \\\"rayjobs\\\" in API group \\\"ray.io\\\" at the cluster scope"),
            403);

        var seen = await Observer(server).ObserveAsync(Gpu, CancellationToken.None);

        Assert.Equal(Reachability.Reachable, seen.Reachability);
        Assert.Equal(["rayjobs"], seen.Unread);
        Assert.False(seen.RayObjectsComplete);
        Assert.Contains(seen.Warnings, w => w.Contains("403", StringComparison.Ordinal) && w.Contains("grant the identity 'list' on rayjobs", StringComparison.Ordinal));
        Assert.DoesNotContain(seen.RayObjects, o => o.Kind == RayKind.RayJob);
        Assert.Contains(seen.RayObjects, o => o.Kind == RayKind.RayService);
    }

    [Fact]
    public async Task Without_Kueue_installed_the_cluster_has_no_queued_work_and_nothing_is_unknown()
    {
        using var server = BusyCluster();
        server.Route("/apis/kueue.x-k8s.io/v1beta1/workloads", _ => Task.FromResult(new LoopbackApiServer.Answer(404, "text/plain; charset=utf-8", "404 page not found\n")));

        var seen = await Observer(server).ObserveAsync(Gpu, CancellationToken.None);

        Assert.Empty(seen.QueueWorkloads);
        Assert.True(seen.QueuesComplete);
        Assert.Contains(server.Requests, r => r.StartsWith("/apis/kueue.x-k8s.io/v1beta2/workloads", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Kueue_that_serves_only_v1beta2_is_read_there()
    {
        using var server = BusyCluster();
        server.Route("/apis/kueue.x-k8s.io/v1beta1/workloads", _ => Task.FromResult(new LoopbackApiServer.Answer(404, "text/plain; charset=utf-8", "404 page not found\n")));
        server.Json("/apis/kueue.x-k8s.io/v1beta2/workloads", LoopbackApiServer.List("kueue.x-k8s.io/v1beta2", "WorkloadList", QueueWorkload("rayjob-x-1", null, null)));

        var seen = await Observer(server).ObserveAsync(Gpu, CancellationToken.None);

        Assert.Equal(["rayjob-x-1"], seen.QueueWorkloads.Select(w => w.Name));
    }

    [Fact]
    public async Task A_status_value_SkyRay_does_not_know_is_unknown_with_a_warning_never_finished()
    {
        using var server = BusyCluster().Json("/apis/ray.io/v1/rayjobs", LoopbackApiServer.List("ray.io/v1", "RayJobList", RayJob("train-a", "Archived", "SUCCEEDED", "2026-12-04T09:41:07Z")));

        var seen = await Observer(server).ObserveAsync(Gpu, CancellationToken.None);

        var job = seen.RayObjects.Single(o => o.Kind == RayKind.RayJob);
        Assert.Equal(Activity.Unknown, RayActivity.Of(job, out var warning));
        Assert.Contains("'Archived'", warning, StringComparison.Ordinal);
        Assert.Contains(seen.Warnings, w => w.Contains("'Archived'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_credentials_make_the_cluster_unreachable_with_the_answer_and_no_kubeconfig_in_the_message()
    {
        using var server = new LoopbackApiServer().Json("/version", LoopbackApiServer.StatusBody(401, "Unauthorized", "Unauthorized"), 401);

        var seen = await Observer(server).ObserveAsync(Gpu, CancellationToken.None);

        Assert.Equal(Reachability.Unreachable, seen.Reachability);
        Assert.Equal("the API server answered 401 Unauthorized to /version", seen.Problem);
        Assert.DoesNotContain("not-a-real-token", seen.Problem!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_an_unreachable_row_not_a_failure_of_the_others()
    {
        using var release = new SemaphoreSlim(0);
        using var slow = new LoopbackApiServer().Route("/version", async _ =>
        {
            await release.WaitAsync(TimeSpan.FromSeconds(30));
            return new LoopbackApiServer.Answer(200, "application/json", Version);
        });
        using var fast = BusyCluster();
        var other = ClusterBuilder.Aws("eks-main").Pool("cpu", "m6i.2xlarge", 1, 3).Build();
        var observer = new KubernetesObserver(
            Kubeconfigs.Credentials(new Dictionary<string, string> { ["gke-gpu"] = slow.Kubeconfig, ["eks-main"] = fast.Kubeconfig }, null), () => Now);
        var progress = new List<string>();

        var fleet = await FleetObserving.ObserveAsync(observer, [Gpu, other], TimeSpan.FromSeconds(5), () => Now, (done, total, name) => progress.Add($"{done}/{total} {name}"));
        release.Release(10);

        Assert.Equal(Reachability.Unreachable, fleet.Clusters["gke-gpu"].Reachability);
        Assert.Equal("no answer within 5s", fleet.Clusters["gke-gpu"].Problem);
        Assert.True(fleet.Clusters["eks-main"].Reachability == Reachability.Reachable, fleet.Clusters["eks-main"].Problem);
        // One progress line per cluster as it answers (in whatever order they answer).
        Assert.Equal(["1/2", "2/2"], progress.Select(p => p.Split(' ')[0]));
        Assert.Equal(["eks-main", "gke-gpu"], progress.Select(p => p.Split(' ')[1]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_cluster_without_credentials_is_unreachable_and_says_where_credentials_come_from()
    {
        var observer = new KubernetesObserver(Kubeconfigs.Credentials(ImmutableDictionary<string, string>.Empty, null), () => Now);

        var seen = await observer.ObserveAsync(Gpu, CancellationToken.None);

        Assert.Equal(Reachability.Unreachable, seen.Reachability);
        Assert.StartsWith("no credentials", seen.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_on_the_port_is_unreachable()
    {
        int port;
        using (var server = new LoopbackApiServer())
        {
            port = server.Port;
        }

        var kubeconfig = new LoopbackApiServer.KubeconfigFor(port);
        var observer = new KubernetesObserver(Kubeconfigs.Credentials(new Dictionary<string, string> { ["gke-gpu"] = kubeconfig.Text }, null), () => Now);

        var seen = await observer.ObserveAsync(Gpu, CancellationToken.None);

        Assert.Equal(Reachability.Unreachable, seen.Reachability);
        Assert.StartsWith("the API server cannot be reached", seen.Problem, StringComparison.Ordinal);
    }
}
