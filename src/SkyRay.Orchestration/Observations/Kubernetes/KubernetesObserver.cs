using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using K8sClient = k8s.Kubernetes;

namespace SkyRay.Orchestration.Observations.Kubernetes;

/// <summary>
/// The observation port on the Kubernetes API (KubernetesClient): per cluster it asks <c>/version</c> (does the API server
/// answer?), lists nodes (ready nodes per pool), the SkyRay-managed RayJobs, RayServices and RayClusters
/// (<c>ray.io/v1</c>, label <c>app.kubernetes.io/managed-by=skyray</c>, which KubeRay copies onto the RayClusters it makes for them),
/// each RayService's serve Service (its load balancer address) and Serve requests in flight (the
/// <c>ray_serve_num_ongoing_http_requests</c> gauge of each serving pod, through the API server's pod proxy), and Kueue's
/// workloads (<c>kueue.x-k8s.io/v1beta1</c>). A part the API refuses (403) or lacks (404 for a CRD that is not installed) is
/// unread or empty, never a failure of the whole cluster.
/// </summary>
/// <param name="credentials">The client configuration of a cluster (its kubeconfig), or null when there is none; never printed.</param>
/// <param name="clock">The clock observations are stamped with.</param>
public sealed class KubernetesObserver(Func<ClusterSpec, KubernetesClientConfiguration?> credentials, Func<DateTimeOffset> clock) : IFleetObserver
{
    /// <summary>The label selector of the objects SkyRay renders.</summary>
    public const string ManagedSelector = RenderLabels.ManagedBy + "=" + RenderLabels.ManagedByValue;

    /// <summary>Kueue's API group.</summary>
    public const string KueueGroup = "kueue.x-k8s.io";

    /// <summary>The node labels the clouds put the pool name in (EKS, AKS, GKE).</summary>
    public static ImmutableArray<string> PoolLabels { get; } = ["eks.amazonaws.com/nodegroup", "kubernetes.azure.com/agentpool", "cloud.google.com/gke-nodepool"];

    /// <inheritdoc />
    public async Task<ClusterObservation> ObserveAsync(ClusterSpec cluster, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        KubernetesClientConfiguration? config;
        try
        {
            config = credentials(cluster);
        }
#pragma warning disable CA1031 // A kubeconfig that cannot be read makes the cluster unreachable, with the reason (never its content).
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Unreachable(cluster, $"its kubeconfig cannot be used ({e.GetType().Name})");
        }

        if (config is null)
        {
            return Unreachable(cluster, "no credentials: give the stack's kubeconfigs (pulumi stack output kubeconfigs --show-secrets --json) or an existing.context");
        }

        using var client = new K8sClient(config);
        string? version;
        try
        {
            version = (await client.Version.GetCodeAsync(cancellation).ConfigureAwait(false)).GitVersion;
        }
        catch (HttpOperationException e)
        {
            return Unreachable(cluster, $"the API server answered {Status(e)} to /version");
        }
        catch (HttpRequestException e)
        {
            return Unreachable(cluster, $"the API server cannot be reached ({e.HttpRequestError})");
        }

        var reading = new Reading(cluster.Name);
        var nodes = await reading.Part(ObservationParts.Nodes, () => client.CoreV1.ListNodeAsync(cancellationToken: cancellation)).ConfigureAwait(false);
        var objects = new List<ObservedRayObject>();
        foreach (var (plural, kind) in new[] { ("rayclusters", RayKind.RayCluster), ("rayjobs", RayKind.RayJob), ("rayservices", RayKind.RayService) })
        {
            var list = await reading.Part(
                ObservationParts.Of(kind),
                () => client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>("ray.io", "v1", plural, labelSelector: ManagedSelector, cancellationToken: cancellation),
                missingIsEmpty: true).ConfigureAwait(false);
            foreach (var item in Items(list))
            {
                objects.Add(KubeRayStatus.Read(kind, item));
            }
        }

        for (var i = 0; i < objects.Count; i++)
        {
            if (objects[i].Kind == RayKind.RayService)
            {
                var service = objects[i];
                var rayClusters = objects
                    .Where(o => o.Kind == RayKind.RayCluster && o.Namespace == service.Namespace && o.OriginatedFrom == service.Name)
                    .Select(o => o.Name)
                    .ToList();
                objects[i] = await ServeDetailsAsync(client, service, rayClusters, reading, cancellation).ConfigureAwait(false);
            }
        }

        var queues = await ReadQueuesAsync(client, reading, cancellation).ConfigureAwait(false);
        return new ClusterObservation(cluster.Name, Reachability.Reachable, clock())
        {
            ServerVersion = version,
            Nodes = nodes is null ? ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal) : CountNodes(cluster, nodes),
            RayObjects = [.. objects.Where(o => o.Workload is not null || o.OriginatedFrom is not null).OrderBy(o => o.Kind).ThenBy(o => o.Namespace, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal)],
            QueueWorkloads = queues,
            Unread = reading.Unread.ToImmutable(),
            Warnings = [.. reading.Warnings, .. objects.Select(o => { RayActivity.Of(o, out var w); return w; }).OfType<string>()],
        };
    }

    private static async Task<ImmutableArray<ObservedQueueWorkload>> ReadQueuesAsync(K8sClient client, Reading reading, CancellationToken cancellation)
    {
        // Kueue 0.19 serves v1beta1 and v1beta2; a later Kueue may serve only v1beta2. Not installed (404 for both): no queues.
        var list = await reading.Part(
            ObservationParts.QueueWorkloads,
            () => client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(KueueGroup, "v1beta1", "workloads", cancellationToken: cancellation),
            missingIsEmpty: true,
            fallback: () => client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(KueueGroup, "v1beta2", "workloads", cancellationToken: cancellation)).ConfigureAwait(false);
        return [.. Items(list).Select(KubeRayStatus.ReadQueueWorkload).Where(w => w.State != QueueState.Finished)
            .OrderBy(w => w.Namespace, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal)];
    }

    private static async Task<ObservedRayObject> ServeDetailsAsync(
        K8sClient client, ObservedRayObject service, IReadOnlyList<string> rayClusters, Reading reading, CancellationToken cancellation)
    {
        var addresses = ImmutableArray<string>.Empty;
        var svc = await reading.Optional(() => client.CoreV1.ReadNamespacedServiceAsync(service.Name + "-serve-svc", service.Namespace, cancellationToken: cancellation), $"serve Service of {service.Namespace}/{service.Name}").ConfigureAwait(false);
        if (svc?.Status?.LoadBalancer?.Ingress is { } ingress)
        {
            addresses = [.. ingress.Select(i => string.IsNullOrEmpty(i.Hostname) ? i.Ip : i.Hostname).Where(a => !string.IsNullOrEmpty(a)).Order(StringComparer.Ordinal)];
        }

        return service with { ServeAddresses = addresses, OngoingRequests = await OngoingRequestsAsync(client, service, rayClusters, reading, cancellation).ConfigureAwait(false) };
    }

    /// <summary>
    /// Sums Ray Serve's in-flight HTTP request gauge over the pods behind the serve Service (KubeRay labels them
    /// <c>ray.io/serve=true</c>) of the RayService's Ray clusters; null when any of it cannot be read.
    /// </summary>
    private static async Task<int?> OngoingRequestsAsync(
        K8sClient client, ObservedRayObject service, IReadOnlyList<string> rayClusters, Reading reading, CancellationToken cancellation)
    {
        if (rayClusters.Count == 0)
        {
            return null;
        }

        var selector = $"ray.io/serve=true,ray.io/cluster in ({string.Join(",", rayClusters)})";
        var pods = await reading.Optional(
            () => client.CoreV1.ListNamespacedPodAsync(service.Namespace, labelSelector: selector, cancellationToken: cancellation),
            $"serving pods of {service.Namespace}/{service.Name}").ConfigureAwait(false);
        if (pods is null)
        {
            return null;
        }

        var total = 0.0;
        foreach (var pod in pods.Items)
        {
            var stream = await reading.Optional(
                () => client.CoreV1.ConnectGetNamespacedPodProxyWithPathAsync(pod.Metadata.Name + ":" + RayMetricsPort, service.Namespace, "metrics", cancellationToken: cancellation),
                $"Serve metrics of pod {service.Namespace}/{pod.Metadata.Name}").ConfigureAwait(false);
            if (stream is null)
            {
                return null;
            }

            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync(cancellation).ConfigureAwait(false);
            if (ServeMetrics.OngoingRequests(text) is not { } value)
            {
                return null;
            }

            total += value;
        }

        return (int)Math.Round(total);
    }

    /// <summary>The port Ray exports Prometheus metrics on in KubeRay's pods (<c>metrics</c>, 8080).</summary>
    public const int RayMetricsPort = 8080;

    private static ImmutableSortedDictionary<string, int> CountNodes(ClusterSpec cluster, k8s.Models.V1NodeList nodes)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes.Items)
        {
            var ready = node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;
            var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
            var pool = PoolLabels.Select(l => labels.TryGetValue(l, out var v) ? v : null).FirstOrDefault(v => v is not null)
                ?? cluster.NodePools.FirstOrDefault(p => !p.Labels.IsEmpty && p.Labels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value))?.Name
                ?? "(other)";
            counts[pool] = counts.GetValueOrDefault(pool) + (ready ? 1 : 0);
        }

        return counts.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    private static IEnumerable<JsonElement> Items(JsonElement? list) =>
        list is { ValueKind: JsonValueKind.Object } l && l.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
            : [];

    private ClusterObservation Unreachable(ClusterSpec cluster, string problem) =>
        new(cluster.Name, Reachability.Unreachable, clock()) { Problem = problem };

    private static string Status(HttpOperationException e) =>
        e.Response is { } r ? ((int)r.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + r.StatusCode : "an error";

    /// <summary>The parts read so far, what could not be read, and the warnings; one per cluster.</summary>
    private sealed class Reading(string cluster)
    {
        public ImmutableSortedSet<string>.Builder Unread { get; } = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);

        public List<string> Warnings { get; } = [];

        /// <summary>Reads a part; a refusal marks it unread (unknown), a missing CRD (404) is an empty part when allowed.</summary>
        public async Task<T?> Part<T>(string part, Func<Task<T>> read, bool missingIsEmpty = false, Func<Task<T>>? fallback = null)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound && fallback is not null)
            {
                return await Part(part, fallback, missingIsEmpty).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound && missingIsEmpty)
            {
                return default;
            }
            catch (HttpOperationException e)
            {
                Unread.Add(part);
                Warnings.Add($"{part} of {cluster} cannot be read: the API server answered {Status(e)}" +
                    (e.Response?.StatusCode == HttpStatusCode.Forbidden ? $"; grant the identity 'list' on {part}" : string.Empty));
                return default;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                Unread.Add(part);
                Warnings.Add($"{part} of {cluster} cannot be read ({e.GetType().Name})");
                return default;
            }
        }

        /// <summary>Reads a detail; anything but an answer leaves it unknown (null), with a warning unless it does not exist yet.</summary>
        public async Task<T?> Optional<T>(Func<Task<T>> read, string what)
            where T : class
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            catch (HttpOperationException e)
            {
                Warnings.Add($"the {what} on {cluster} cannot be read: the API server answered {Status(e)}");
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                Warnings.Add($"the {what} on {cluster} cannot be read ({e.GetType().Name})");
                return null;
            }
        }
    }
}
