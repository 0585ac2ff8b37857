using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.KubeRay.Api;

/// <summary>
/// KubeRay <c>RayClusterSpec</c> (<c>ray.io/v1</c>): the spec of a RayCluster, and the cluster part of a RayJob
/// (<c>rayClusterSpec</c>) and a RayService (<c>rayClusterConfig</c>). Pod templates stay JSON.
/// </summary>
/// <param name="RayVersion">Ray version of the images.</param>
/// <param name="EnableInTreeAutoscaling">Runs the Ray autoscaler sidecar, or null (off).</param>
/// <param name="AutoscalerOptions">Autoscaler settings, or null.</param>
/// <param name="HeadGroupSpec">The head group (required).</param>
/// <param name="WorkerGroupSpecs">Worker groups in spec order.</param>
/// <param name="Suspend">Suspends the whole cluster, or null.</param>
/// <param name="UpgradeStrategyType">Recreate or None, or null.</param>
public sealed record RayClusterSpec(
    string? RayVersion,
    bool? EnableInTreeAutoscaling,
    AutoscalerOptions? AutoscalerOptions,
    HeadGroupSpec HeadGroupSpec,
    ImmutableArray<WorkerGroupSpec> WorkerGroupSpecs,
    bool? Suspend = null,
    string? UpgradeStrategyType = null)
{
    /// <summary>Values of <c>managedBy</c> KubeRay accepts.</summary>
    public static IReadOnlyList<string> ManagedByValues { get; } = ["ray.io/kuberay-operator", "kueue.x-k8s.io/multikueue"];

    /// <summary>Reads and checks a cluster spec.</summary>
    /// <param name="obj">The spec object.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The spec, or null when a required part is missing or unreadable.</returns>
    public static RayClusterSpec? Read(JsonObject obj, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var r = new FieldReader(obj, path, diagnostics);
        var rayVersion = r.String("rayVersion");
        var autoscaling = r.Bool("enableInTreeAutoscaling");
        var autoscalerObj = r.Object("autoscalerOptions");
        var autoscaler = autoscalerObj is null ? null : AutoscalerOptions.Read(autoscalerObj, r.At("autoscalerOptions"), diagnostics);
        var headObj = r.Object("headGroupSpec", required: true);
        var head = headObj is null ? null : HeadGroupSpec.Read(headObj, r.At("headGroupSpec"), diagnostics);
        var workers = ImmutableArray.CreateBuilder<WorkerGroupSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (r.Array("workerGroupSpecs") is { } array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var itemPath = ConfigPath.Index(r.At("workerGroupSpecs"), i);
                if (array[i] is not JsonObject item)
                {
                    diagnostics.Error(itemPath, $"a worker group must be a mapping, found {FieldReader.Describe(array[i])}");
                    continue;
                }

                var worker = WorkerGroupSpec.Read(item, itemPath, diagnostics);
                if (worker is null)
                {
                    continue;
                }

                if (!names.Add(worker.GroupName))
                {
                    diagnostics.Error(itemPath + ".groupName", $"worker group name '{worker.GroupName}' is used twice", "give every worker group its own groupName");
                }

                if (worker.Suspend == true && autoscaling == true)
                {
                    diagnostics.Error(itemPath + ".suspend", $"worker group {worker.GroupName} cannot be suspended with the autoscaler enabled", "turn off enableInTreeAutoscaling or remove suspend");
                }

                workers.Add(worker);
            }
        }

        var suspend = r.Bool("suspend");
        string? upgradeType = null;
        if (r.Object("upgradeStrategy") is { } upgrade)
        {
            var u = new FieldReader(upgrade, r.At("upgradeStrategy"), diagnostics);
            upgradeType = u.Enum("type", KubeRayValues.RayClusterUpgradeTypes);
            u.WarnUnknown();
        }

        r.Enum("managedBy", ManagedByValues);
        r.Known("authOptions", "gcsFaultToleranceOptions", "headServiceAnnotations", "historyServerOptions", "networkPolicy", "tlsOptions");
        r.WarnUnknown();
        if (autoscaler?.IdleTimeoutSeconds < 0)
        {
            diagnostics.Error(r.At("autoscalerOptions") + ".idleTimeoutSeconds", "idleTimeoutSeconds must not be negative");
        }

        return head is null ? null : new RayClusterSpec(rayVersion, autoscaling, autoscaler, head, workers.ToImmutable(), suspend, upgradeType);
    }

    /// <summary>The spec as KubeRay JSON, keys in a fixed order.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson() => ToJson(cloneTemplates: true);

    // cloneTemplates false: the group pod templates go into the result as they are (see HeadGroupSpec.ToJson(bool)).
    internal JsonObject ToJson(bool cloneTemplates)
    {
        var o = new JsonObject();
        if (AutoscalerOptions is not null)
        {
            o["autoscalerOptions"] = AutoscalerOptions.ToJson();
        }

        if (EnableInTreeAutoscaling is not null)
        {
            o["enableInTreeAutoscaling"] = EnableInTreeAutoscaling;
        }

        o["headGroupSpec"] = HeadGroupSpec.ToJson(cloneTemplates);
        if (RayVersion is not null)
        {
            o["rayVersion"] = RayVersion;
        }

        if (Suspend is not null)
        {
            o["suspend"] = Suspend;
        }

        if (UpgradeStrategyType is not null)
        {
            o["upgradeStrategy"] = new JsonObject { ["type"] = UpgradeStrategyType };
        }

        var workers = new JsonArray();
        foreach (var worker in WorkerGroupSpecs)
        {
            workers.Add(worker.ToJson(cloneTemplates));
        }

        o["workerGroupSpecs"] = workers;
        return o;
    }
}
