using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.KubeRay.Api;

/// <summary>KubeRay <c>RayServiceSpec</c> (<c>ray.io/v1</c>): Ray Serve applications and the cluster serving them.</summary>
/// <param name="ServeConfigV2">Ray Serve config as YAML text, or null.</param>
/// <param name="RayClusterConfig">The serving cluster (required).</param>
/// <param name="UpgradeStrategyType">NewCluster, NewClusterWithIncrementalUpgrade or None, or null.</param>
/// <param name="RayClusterDeletionDelaySeconds">Delay before an old cluster is deleted after an upgrade, or null.</param>
public sealed record RayServiceSpec(string? ServeConfigV2, RayClusterSpec RayClusterConfig, string? UpgradeStrategyType = null, int? RayClusterDeletionDelaySeconds = null)
{
    /// <summary>Reads and checks a RayService spec.</summary>
    /// <param name="obj">The spec object.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The spec, or null when a required part is missing or unreadable.</returns>
    public static RayServiceSpec? Read(JsonObject obj, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var r = new FieldReader(obj, path, diagnostics);
        var serve = r.String("serveConfigV2");
        var clusterObj = r.Object("rayClusterConfig", required: true);
        var cluster = clusterObj is null ? null : RayClusterSpec.Read(clusterObj, r.At("rayClusterConfig"), diagnostics);
        string? upgradeType = null;
        if (r.Object("upgradeStrategy") is { } upgrade)
        {
            var u = new FieldReader(upgrade, r.At("upgradeStrategy"), diagnostics);
            upgradeType = u.Enum("type", KubeRayValues.RayServiceUpgradeTypes);
            var options = u.Object("clusterUpgradeOptions");
            u.WarnUnknown();
            if (upgradeType == "NewClusterWithIncrementalUpgrade")
            {
                if (options is null)
                {
                    diagnostics.Error(u.At("clusterUpgradeOptions"), "NewClusterWithIncrementalUpgrade needs clusterUpgradeOptions", "set gatewayClassName, stepSizePercent and intervalSeconds");
                }

                if (cluster?.EnableInTreeAutoscaling != true)
                {
                    diagnostics.Error(u.At("type"), "NewClusterWithIncrementalUpgrade needs the Ray autoscaler", "set rayClusterConfig.enableInTreeAutoscaling: true");
                }
            }
        }

        var delay = r.Int32("rayClusterDeletionDelaySeconds", min: 0);
        r.Bool("excludeHeadPodFromServeSvc");
        r.Object("serveService");
        r.Int32("serviceUnhealthySecondThreshold");
        r.Int32("deploymentUnhealthySecondThreshold");
        r.Bool("suspend");
        r.Enum("managedBy", RayClusterSpec.ManagedByValues);
        r.WarnUnknown();

        // 'as JsonObject' at each step: a string or list where a map belongs is reported elsewhere, not thrown here.
        if (((((clusterObj?["headGroupSpec"] as JsonObject)?["headService"] as JsonObject)?["metadata"]) as JsonObject)?["name"] is not null)
        {
            diagnostics.Error(r.At("rayClusterConfig") + ".headGroupSpec.headService.metadata.name", "a RayService names its head service itself", "remove headService.metadata.name");
        }

        if (serve is not null)
        {
            var bag = new DiagnosticBag();
            var parsed = YamlJson.ParseSingle(serve, r.At("serveConfigV2"), bag);
            diagnostics.AddRange(bag.Items);
            if (!bag.HasErrors && parsed is not null and not JsonObject)
            {
                diagnostics.Error(r.At("serveConfigV2"), "serveConfigV2 must be a YAML mapping with 'applications'");
            }
        }

        return cluster is null ? null : new RayServiceSpec(serve, cluster, upgradeType, delay);
    }

    /// <summary>The spec as KubeRay JSON, keys in a fixed order.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson() => ToJson(cloneTemplates: true);

    // cloneTemplates false: the group pod templates go into the result as they are (see HeadGroupSpec.ToJson(bool)).
    internal JsonObject ToJson(bool cloneTemplates)
    {
        var o = new JsonObject { ["rayClusterConfig"] = RayClusterConfig.ToJson(cloneTemplates) };
        if (RayClusterDeletionDelaySeconds is not null)
        {
            o["rayClusterDeletionDelaySeconds"] = RayClusterDeletionDelaySeconds;
        }

        if (ServeConfigV2 is not null)
        {
            o["serveConfigV2"] = ServeConfigV2;
        }

        if (UpgradeStrategyType is not null)
        {
            o["upgradeStrategy"] = new JsonObject { ["type"] = UpgradeStrategyType };
        }

        return o;
    }
}
