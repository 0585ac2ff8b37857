using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.KubeRay.Security;

/// <summary>
/// The NetworkPolicy of one workload copy (<c>networking.k8s.io/v1</c>, ingress only): the workload's pods accept
/// <list type="bullet">
/// <item>anything from the workload's own pods (Ray's head, workers and job submitter talk on many ports: GCS,
/// raylets, object managers, worker ports);</item>
/// <item>the dashboard port (8265) and, for a RayService, the serve port (8000) from the KubeRay operator's pods in
/// its namespace: the operator polls jobs and Serve applications through the dashboard and checks the serve proxy's
/// health on the serve port;</item>
/// <item>for a RayCluster, the dashboard port from RayJob submitter pods of the same namespace (a RayJob with a
/// <c>clusterSelector</c> submits to an existing RayCluster; it still needs the token);</item>
/// <item>for an exposed RayService, the serve port from the exposure's source ranges (the serve Service keeps the
/// client address with <c>externalTrafficPolicy: Local</c>, so the ranges mean the same at the load balancer and
/// here).</item>
/// </list>
/// Everything else (the dashboard, GCS and client ports from other pods, other namespaces or outside) is refused.
/// NetworkPolicies add up, so a user allows more (a Prometheus scraper, an in-cluster client) with a policy of their
/// own without touching this one. Egress stays open: Ray pulls packages and data.
/// </summary>
public static class WorkloadNetworkPolicy
{
    /// <summary>The API version of the rendered policy.</summary>
    public const string ApiVersion = "networking.k8s.io/v1";

    /// <summary>The kind of the rendered policy.</summary>
    public const string Kind = "NetworkPolicy";

    /// <summary>The label SkyRay puts on every Ray pod template of a workload, the policy's pod selector.</summary>
    public const string PodLabel = RenderLabels.Workload;

    /// <summary>KubeRay's label naming the custom resource a pod comes from (its RayJob submitter pods carry it).</summary>
    public const string OriginatedFromName = "ray.io/originated-from-cr-name";

    /// <summary>KubeRay's label naming the kind of custom resource a pod comes from.</summary>
    public const string OriginatedFromKind = "ray.io/originated-from-crd";

    /// <summary>The label every namespace carries with its own name (Kubernetes sets it).</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The operator pods' name label (the chart's <c>app.kubernetes.io/name</c>).</summary>
    public const string OperatorNameLabel = "app.kubernetes.io/name";

    /// <summary>Ray's dashboard port when the head container names none.</summary>
    public const int DefaultDashboardPort = 8265;

    /// <summary>Ray Serve's port when the head container names none.</summary>
    public const int DefaultServePort = 8000;

    /// <summary>The policy's name for a workload: <c>skyray-&lt;workload&gt;</c>.</summary>
    /// <param name="workload">The workload name.</param>
    /// <returns>The name.</returns>
    public static string Name(string workload) => "skyray-" + workload;

    /// <summary>Builds the policy of a rendered copy, or null when the workload opted out.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The cluster of the copy (labels the policy).</param>
    /// <param name="rendered">The rendered Ray object (its head container's port names give the ports).</param>
    /// <param name="release">The cluster's operator release (its namespace and name label).</param>
    /// <param name="exposure">The copy's serve exposure, or null when the serve port is not exposed.</param>
    /// <returns>The NetworkPolicy, or null.</returns>
    public static KubeObject? Build(WorkloadSpec workload, string cluster, KubeObject rendered, HelmRelease release, ServeExposureSpec? exposure)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Build(workload, cluster, rendered, release.Namespace, OperatorName(release), exposure);
    }

    /// <summary>Builds the policy of a rendered copy from the operator's namespace and name label, or null when the workload opted out.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The cluster of the copy (labels the policy).</param>
    /// <param name="rendered">The rendered Ray object (its head container's port names give the ports).</param>
    /// <param name="operatorNamespace">The namespace of the cluster's operator release.</param>
    /// <param name="operatorName">The operator pods' <c>app.kubernetes.io/name</c> (<see cref="OperatorName(HelmRelease)"/>).</param>
    /// <param name="exposure">The copy's serve exposure, or null when the serve port is not exposed.</param>
    /// <returns>The NetworkPolicy, or null.</returns>
    public static KubeObject? Build(WorkloadSpec workload, string cluster, KubeObject rendered, string operatorNamespace, string operatorName, ServeExposureSpec? exposure)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(operatorNamespace);
        ArgumentNullException.ThrowIfNull(operatorName);
        if (!workload.Security.NetworkPolicy)
        {
            return null;
        }

        var spec = rendered.Manifest["spec"] as JsonObject ?? [];
        // The head template RayPodTemplates.Of would list first, found without listing the others.
        var head = RayPodTemplates.ClusterPart(workload.Kind, spec) is { } clusterPart && clusterPart["headGroupSpec"] is JsonObject headGroup &&
            headGroup["template"] is JsonObject headTemplate ? headTemplate : null;
        var dashboard = Port(head, "dashboard", DefaultDashboardPort);
        var serve = Port(head, "serve", DefaultServePort);
        var serving = workload.Kind == RayKind.RayService;

        var own = new JsonArray(Pods(new JsonObject { [PodLabel] = workload.Name }));
        if (workload.Kind == RayKind.RayJob)
        {
            // KubeRay's own submitter pod (when the job has no submitterPodTemplate SkyRay could label).
            own.Add(Pods(new JsonObject { [OriginatedFromKind] = "RayJob", [OriginatedFromName] = workload.Name }));
        }

        var ingress = new JsonArray
        {
            new JsonObject { ["from"] = own },
            new JsonObject
            {
                ["from"] = new JsonArray(new JsonObject
                {
                    ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [NamespaceNameLabel] = operatorNamespace } },
                    ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [OperatorNameLabel] = operatorName } },
                }),
                ["ports"] = serving ? Ports(dashboard, serve) : Ports(dashboard),
            },
        };
        if (workload.Kind == RayKind.RayCluster)
        {
            ingress.Add(new JsonObject
            {
                ["from"] = new JsonArray(Pods(new JsonObject { [OriginatedFromKind] = "RayJob" })),
                ["ports"] = Ports(dashboard),
            });
        }

        if (serving && exposure is not null)
        {
            ingress.Add(new JsonObject
            {
                ["from"] = new JsonArray([.. exposure.SourceRanges.Select(r => (JsonNode)new JsonObject { ["ipBlock"] = new JsonObject { ["cidr"] = r } })]),
                ["ports"] = Ports(serve),
            });
        }

        var manifest = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject
                {
                    [RenderLabels.ManagedBy] = RenderLabels.ManagedByValue,
                    [RenderLabels.Cluster] = cluster,
                    [RenderLabels.Workload] = workload.Name,
                },
                ["name"] = Name(workload.Name),
                ["namespace"] = workload.Namespace,
            },
            ["spec"] = new JsonObject
            {
                ["ingress"] = ingress,
                ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [PodLabel] = workload.Name } },
                ["policyTypes"] = new JsonArray("Ingress"),
            },
        };
        return new KubeObject(ApiVersion, Kind, Name(workload.Name), workload.Namespace, manifest);
    }

    /// <summary>The operator pods' <c>app.kubernetes.io/name</c>: the chart's <c>nameOverride</c> (default <c>kuberay-operator</c>).</summary>
    /// <param name="release">The operator release.</param>
    /// <returns>The label value.</returns>
    public static string OperatorName(HelmRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return NameOverride(release.Values) ?? release.Chart;
    }

    /// <summary>
    /// The operator pods' <c>app.kubernetes.io/name</c> on every cluster of a stack, from its settings alone: the same as
    /// <see cref="OperatorName(HelmRelease)"/> of <see cref="OperatorReleaseBuilder.Build(KubeRaySettings, ClusterSpec)"/>,
    /// whose values are SkyRay's defaults (which set no <c>nameOverride</c>) with the user's merged over them, so the
    /// merged <c>nameOverride</c> is the user's. Spares building (and deep-cloning) the release once per workload copy.
    /// </summary>
    /// <param name="settings">The stack's operator settings.</param>
    /// <returns>The label value.</returns>
    public static string OperatorName(KubeRaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return NameOverride(settings.Values) ?? OperatorReleaseBuilder.ChartName;
    }

    private static string? NameOverride(JsonObject values) =>
        values["nameOverride"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } name ? name : null;

    private static JsonObject Pods(JsonObject matchLabels) => new() { ["podSelector"] = new JsonObject { ["matchLabels"] = matchLabels } };

    private static JsonArray Ports(int port) => new(PortEntry(port));

    private static JsonArray Ports(int first, int second) => first == second ? Ports(first) : new(PortEntry(first), PortEntry(second));

    private static JsonObject PortEntry(int port) => new() { ["port"] = port, ["protocol"] = "TCP" };

    /// <summary>The port the head's Ray container (the first) names <paramref name="name"/>, else KubeRay's default for it.</summary>
    private static int Port(JsonObject? template, string name, int fallback)
    {
        if (template?["spec"]?["containers"] is JsonArray { Count: > 0 } containers && containers[0]?["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                if (port["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String && n.GetValue<string>() == name &&
                    port["containerPort"] is JsonValue p && p.GetValueKind() == JsonValueKind.Number && (p.TryGetValue<int>(out var number) || (p.TryGetValue<long>(out var wide) && wide is > 0 and <= 65535 && (number = (int)wide) > 0)))
                {
                    return number;
                }
            }
        }

        return fallback;
    }
}
