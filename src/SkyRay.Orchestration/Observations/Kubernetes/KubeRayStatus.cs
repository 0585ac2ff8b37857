using System.Globalization;
using System.Text.Json;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.Orchestration.Observations.Kubernetes;

/// <summary>
/// Reads the objects the API server returns (KubeRay v1.7.0 <c>ray.io/v1</c> status fields, Kueue Workload conditions) into
/// observations. Fields SkyRay does not use are ignored; values it does not know are kept as written, for
/// <see cref="RayActivity"/> to report.
/// </summary>
public static class KubeRayStatus
{
    /// <summary>The label KubeRay puts on the RayClusters it creates for a RayJob or RayService: that object's name.</summary>
    public const string OriginatedFromLabel = "ray.io/originated-from-cr-name";

    /// <summary>Reads one Ray object.</summary>
    /// <param name="kind">Its kind.</param>
    /// <param name="item">The object as the API returned it.</param>
    /// <returns>The observation.</returns>
    public static ObservedRayObject Read(RayKind kind, JsonElement item)
    {
        var metadata = Object(item, "metadata");
        var labels = metadata is { } m ? Object(m, "labels") : null;
        var result = new ObservedRayObject(kind, Text(metadata, "namespace") ?? string.Empty, Text(metadata, "name") ?? string.Empty)
        {
            Workload = Text(labels, RenderLabels.Workload),
            OriginatedFrom = Text(labels, OriginatedFromLabel),
        };
        if (Object(item, "status") is not { } status)
        {
            return result;
        }

        result = result with { HasStatus = true };
        return kind switch
        {
            RayKind.RayJob => result with
            {
                DeploymentStatus = Text(status, "jobDeploymentStatus") ?? string.Empty,
                JobStatus = Text(status, "jobStatus"),
                RayClusterName = Text(status, "rayClusterName"),
                StartTime = Time(status, "startTime"),
                EndTime = Time(status, "endTime"),
            },
            RayKind.RayCluster => result with { State = Text(status, "state") ?? string.Empty },
            _ => ReadService(result, status),
        };
    }

    /// <summary>Reads one Kueue workload: admitted or finished from its conditions, pending otherwise.</summary>
    /// <param name="item">The Workload as the API returned it.</param>
    /// <returns>The observation.</returns>
    public static ObservedQueueWorkload ReadQueueWorkload(JsonElement item)
    {
        var metadata = Object(item, "metadata");
        var spec = Object(item, "spec");
        var status = Object(item, "status");
        var state = Condition(status, "Finished") == "True" ? QueueState.Finished
            : Condition(status, "Admitted") == "True" ? QueueState.Admitted
            : QueueState.Pending;
        return new ObservedQueueWorkload(Text(metadata, "namespace") ?? string.Empty, Text(metadata, "name") ?? string.Empty, Text(spec, "queueName"), state);
    }

    private static ObservedRayObject ReadService(ObservedRayObject result, JsonElement status)
    {
        var ready = Condition(status, "Ready");
        var since = ConditionTime(status, "Ready");
        if (ready is null && Text(status, "serviceStatus") is { } serviceStatus)
        {
            // Before KubeRay 1.3 serviceStatus "Running" was what the Ready condition now says.
            ready = serviceStatus == "Running" ? "True" : "False";
        }

        return result with
        {
            ReadyCondition = ready,
            StartTime = ready == "True" ? since : null,
            ServeEndpoints = status.TryGetProperty("numServeEndpoints", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) ? count : null,
        };
    }

    private static string? Condition(JsonElement? status, string type) =>
        Conditions(status).Where(c => Text(c, "type") == type).Select(c => Text(c, "status")).FirstOrDefault();

    private static DateTimeOffset? ConditionTime(JsonElement? status, string type) =>
        Conditions(status).Where(c => Text(c, "type") == type).Select(c => Time(c, "lastTransitionTime")).FirstOrDefault();

    private static IEnumerable<JsonElement> Conditions(JsonElement? status) =>
        status is { } s && s.TryGetProperty("conditions", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static JsonElement? Object(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Text(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Time(JsonElement? parent, string name) =>
        Text(parent, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
