using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.KubeRay.Kueue;

/// <summary>
/// The Kueue controller's configuration (<c>config.kueue.x-k8s.io/v1beta2</c> <c>Configuration</c>) SkyRay installs through the chart's
/// <c>managerConfig.controllerManagerConfigYaml</c> value. The chart keeps the whole configuration in that one string, so SkyRay writes
/// it whole: the chart 0.19.2 defaults (health and metrics addresses, webhook port, leader election, controller concurrency, client
/// rates), then SkyRay's choices:
/// <list type="bullet">
/// <item><c>integrations.frameworks</c>: only <c>ray.io/rayjob</c>, <c>ray.io/raycluster</c> and <c>ray.io/rayservice</c>. The chart's
/// default list also enables <c>pod</c>, <c>deployment</c> and <c>statefulset</c>, which turns their admission webhooks to
/// <c>failurePolicy: Fail</c>: while Kueue's controller is not running (a cluster waking from zero nodes) no pod could be created in any
/// namespace but <c>kube-system</c> and Kueue's own. With the Ray integrations alone, only Ray objects wait for Kueue.</item>
/// <item><c>resources.quotaCheckStrategy: IgnoreUndeclared</c>: the ClusterQueue covers CPU, memory and <c>nvidia.com/gpu</c>, the
/// resources the planner counts; a request of anything else (ephemeral storage, another accelerator) would otherwise make a workload
/// inadmissible forever (Kueue's default is <c>BlockUndeclared</c>; the strategy is beta and on by default since 0.19).</item>
/// <item><c>fairSharing</c> (preemption strategies <c>LessThanOrEqualToFinalShare</c>, <c>LessThanInitialShare</c>, Kueue's documented
/// pair) when the cluster's fair sharing is on, and <c>admissionFairSharing</c> (usage half-life 168h, sampled every 5m, the chart's
/// example) when admission fair sharing is on.</item>
/// </list>
/// </summary>
public static class KueueConfiguration
{
    /// <summary>The frameworks SkyRay enables: KubeRay's three kinds.</summary>
    public static IReadOnlyList<string> Frameworks { get; } = ["ray.io/rayjob", "ray.io/raycluster", "ray.io/rayservice"];

    /// <summary>The configuration as a tree.</summary>
    /// <param name="queueing">The cluster's queueing options.</param>
    /// <returns>A new tree.</returns>
    public static JsonObject Build(KueueQueueing queueing)
    {
        ArgumentNullException.ThrowIfNull(queueing);
        var config = new JsonObject
        {
            ["apiVersion"] = "config.kueue.x-k8s.io/v1beta2",
            ["kind"] = "Configuration",
            ["health"] = new JsonObject { ["healthProbeBindAddress"] = ":8081" },
            ["metrics"] = new JsonObject { ["bindAddress"] = ":8443" },
            ["webhook"] = new JsonObject { ["port"] = 9443 },
            ["leaderElection"] = new JsonObject { ["leaderElect"] = true, ["resourceName"] = "c1f6bfd2.kueue.x-k8s.io" },
            ["controller"] = new JsonObject
            {
                ["groupKindConcurrency"] = new JsonObject
                {
                    ["ClusterQueue.kueue.x-k8s.io"] = 5,
                    ["Job.batch"] = 5,
                    ["LocalQueue.kueue.x-k8s.io"] = 5,
                    ["Pod"] = 5,
                    ["ResourceFlavor.kueue.x-k8s.io"] = 1,
                    ["Workload.kueue.x-k8s.io"] = 10,
                },
            },
            ["clientConnection"] = new JsonObject { ["qps"] = 300, ["burst"] = 500 },
            ["integrations"] = new JsonObject { ["frameworks"] = new JsonArray([.. Frameworks.Select(f => (JsonNode)JsonValue.Create(f))]) },
            ["resources"] = new JsonObject { ["quotaCheckStrategy"] = "IgnoreUndeclared" },
        };
        if (queueing.FairSharing)
        {
            config["fairSharing"] = new JsonObject { ["preemptionStrategies"] = new JsonArray("LessThanOrEqualToFinalShare", "LessThanInitialShare") };
        }

        if (queueing.AdmissionFairSharing)
        {
            config["admissionFairSharing"] = new JsonObject { ["usageHalfLifeTime"] = "168h", ["usageSamplingInterval"] = "5m" };
        }

        return config;
    }

    /// <summary>The configuration as the YAML text the chart value holds (deterministic: keys sorted).</summary>
    /// <param name="queueing">The cluster's queueing options.</param>
    /// <returns>YAML text.</returns>
    public static string Yaml(KueueQueueing queueing) => ManifestYaml.WriteOne(Build(queueing));
}
