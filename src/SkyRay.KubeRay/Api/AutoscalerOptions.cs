using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.KubeRay.Api;

/// <summary>KubeRay <c>AutoscalerOptions</c>: the Ray autoscaler sidecar of the head pod.</summary>
/// <param name="Version">Autoscaler version, <c>v1</c> or <c>v2</c>, or null.</param>
/// <param name="UpscalingMode">Default, Aggressive or Conservative, or null.</param>
/// <param name="IdleTimeoutSeconds">Seconds before an idle worker is removed, or null.</param>
/// <param name="Image">Autoscaler image, or null for the head's image.</param>
/// <param name="Resources">Container resources of the sidecar, or null for KubeRay's default (500m / 512Mi).</param>
public sealed record AutoscalerOptions(string? Version, string? UpscalingMode, int? IdleTimeoutSeconds, string? Image, JsonObject? Resources)
{
    internal static AutoscalerOptions Read(JsonObject obj, string path, DiagnosticBag diagnostics)
    {
        var r = new FieldReader(obj, path, diagnostics);
        var options = new AutoscalerOptions(
            r.Enum("version", KubeRayValues.AutoscalerVersions),
            r.Enum("upscalingMode", KubeRayValues.UpscalingModes),
            r.Int32("idleTimeoutSeconds", min: 0),
            r.String("image"),
            r.Object("resources"));
        r.String("imagePullPolicy");
        r.Array("args");
        r.Array("command");
        r.Array("env");
        r.Array("envFrom");
        r.Object("securityContext");
        r.Array("volumeMounts");
        r.WarnUnknown();
        return options;
    }

    /// <summary>The options as KubeRay JSON.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (IdleTimeoutSeconds is not null)
        {
            o["idleTimeoutSeconds"] = IdleTimeoutSeconds;
        }

        if (Image is not null)
        {
            o["image"] = Image;
        }

        if (Resources is not null)
        {
            o["resources"] = Resources.DeepClone();
        }

        if (UpscalingMode is not null)
        {
            o["upscalingMode"] = UpscalingMode;
        }

        if (Version is not null)
        {
            o["version"] = Version;
        }

        return o;
    }
}
