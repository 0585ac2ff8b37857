using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.KubeRay.Api;

/// <summary>KubeRay <c>HeadGroupSpec</c>: the head pod of a Ray cluster.</summary>
/// <param name="RayStartParams">Parameters of <c>ray start</c> (all strings).</param>
/// <param name="Template">The head pod's PodTemplateSpec, kept as JSON.</param>
/// <param name="ServiceType">Kubernetes Service type of the head service, or null (ClusterIP).</param>
/// <param name="Labels">Ray node labels, or null.</param>
/// <param name="Resources">Ray logical resources, or null.</param>
public sealed record HeadGroupSpec(
    ImmutableSortedDictionary<string, string> RayStartParams,
    JsonObject Template,
    string? ServiceType = null,
    ImmutableSortedDictionary<string, string>? Labels = null,
    ImmutableSortedDictionary<string, string>? Resources = null)
{
    internal static HeadGroupSpec? Read(JsonObject obj, string path, DiagnosticBag diagnostics)
    {
        var r = new FieldReader(obj, path, diagnostics);
        var rayStartParams = r.StringMap("rayStartParams") ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        var template = r.Object("template", required: true);
        var serviceType = r.String("serviceType");
        var labels = r.StringMap("labels");
        var resources = r.StringMap("resources");
        r.Bool("enableIngress");
        r.Object("headService");
        r.Object("ingressOptions");
        r.WarnUnknown();
        GroupChecks.Check("head", rayStartParams, labels, resources, template, path, diagnostics);
        return template is null ? null : new HeadGroupSpec(rayStartParams, template, serviceType, labels, resources);
    }

    /// <summary>The spec as KubeRay JSON.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson() => ToJson(cloneTemplates: true);

    // cloneTemplates false: the pod template itself goes into the result (it gets a parent, so at most once); for a spec
    // built for one rendering, whose template nothing else holds, so it is not built twice.
    internal JsonObject ToJson(bool cloneTemplates)
    {
        var o = new JsonObject();
        if (ServiceType is not null)
        {
            o["serviceType"] = ServiceType;
        }

        GroupChecks.WriteMap(o, "labels", Labels);
        o["rayStartParams"] = GroupChecks.Map(RayStartParams);
        GroupChecks.WriteMap(o, "resources", Resources);
        o["template"] = cloneTemplates ? Template.DeepClone() : Template;
        return o;
    }
}

/// <summary>KubeRay <c>WorkerGroupSpec</c>: one group of identical worker pods.</summary>
/// <param name="GroupName">Group name, unique within the cluster.</param>
/// <param name="Replicas">Desired replicas (KubeRay clamps to [min, max]).</param>
/// <param name="MinReplicas">Autoscaling minimum.</param>
/// <param name="MaxReplicas">Autoscaling maximum.</param>
/// <param name="NumOfHosts">Pods per replica (multi-host, e.g. TPU slices); default 1.</param>
/// <param name="RayStartParams">Parameters of <c>ray start</c> (all strings).</param>
/// <param name="Template">The worker pod's PodTemplateSpec, kept as JSON.</param>
/// <param name="Suspend">Suspends the group (no pods), or null.</param>
/// <param name="IdleTimeoutSeconds">Autoscaler v2 idle timeout, or null.</param>
/// <param name="Labels">Ray node labels, or null.</param>
/// <param name="Resources">Ray logical resources, or null.</param>
public sealed record WorkerGroupSpec(
    string GroupName,
    int? Replicas,
    int? MinReplicas,
    int? MaxReplicas,
    int? NumOfHosts,
    ImmutableSortedDictionary<string, string> RayStartParams,
    JsonObject Template,
    bool? Suspend = null,
    int? IdleTimeoutSeconds = null,
    ImmutableSortedDictionary<string, string>? Labels = null,
    ImmutableSortedDictionary<string, string>? Resources = null)
{
    internal static WorkerGroupSpec? Read(JsonObject obj, string path, DiagnosticBag diagnostics)
    {
        var r = new FieldReader(obj, path, diagnostics);
        var groupName = r.String("groupName", required: true);
        var replicas = r.Int32("replicas");
        var min = r.Int32("minReplicas", min: 0);
        var max = r.Int32("maxReplicas", min: 0);
        var hosts = r.Int32("numOfHosts", min: 1);
        var rayStartParams = r.StringMap("rayStartParams") ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        var template = r.Object("template", required: true);
        var suspend = r.Bool("suspend");
        var idle = r.Int32("idleTimeoutSeconds", min: 0);
        var labels = r.StringMap("labels");
        var resources = r.StringMap("resources");
        r.Int32("priority");
        r.Object("scaleStrategy");
        r.WarnUnknown();
        if (min is not null && max is not null && min > max)
        {
            diagnostics.Error(r.At("minReplicas"), $"minReplicas {min} is greater than maxReplicas {max}", "make minReplicas <= maxReplicas");
        }

        GroupChecks.Check(groupName ?? "worker", rayStartParams, labels, resources, template, path, diagnostics);
        return groupName is null || template is null
            ? null
            : new WorkerGroupSpec(groupName, replicas, min, max, hosts, rayStartParams, template, suspend, idle, labels, resources);
    }

    /// <summary>The spec as KubeRay JSON.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson() => ToJson(cloneTemplates: true);

    // cloneTemplates false: the pod template itself goes into the result (it gets a parent, so at most once); for a spec
    // built for one rendering, whose template nothing else holds, so it is not built twice.
    internal JsonObject ToJson(bool cloneTemplates)
    {
        var o = new JsonObject { ["groupName"] = GroupName };
        if (IdleTimeoutSeconds is not null)
        {
            o["idleTimeoutSeconds"] = IdleTimeoutSeconds;
        }

        GroupChecks.WriteMap(o, "labels", Labels);
        if (MaxReplicas is not null)
        {
            o["maxReplicas"] = MaxReplicas;
        }

        if (MinReplicas is not null)
        {
            o["minReplicas"] = MinReplicas;
        }

        if (NumOfHosts is not null)
        {
            o["numOfHosts"] = NumOfHosts;
        }

        o["rayStartParams"] = GroupChecks.Map(RayStartParams);
        if (Replicas is not null)
        {
            o["replicas"] = Replicas;
        }

        GroupChecks.WriteMap(o, "resources", Resources);
        if (Suspend is not null)
        {
            o["suspend"] = Suspend;
        }

        o["template"] = cloneTemplates ? Template.DeepClone() : Template;
        return o;
    }
}

/// <summary>Checks shared by head and worker groups (KubeRay's validation rules for a group).</summary>
internal static class GroupChecks
{
    private static readonly ImmutableArray<string> RayStartResourceParams = ["num-cpus", "num-gpus", "memory", "resources"];

    public static void Check(
        string group,
        ImmutableSortedDictionary<string, string> rayStartParams,
        ImmutableSortedDictionary<string, string>? labels,
        ImmutableSortedDictionary<string, string>? resources,
        JsonObject? template,
        string path,
        DiagnosticBag diagnostics)
    {
        // 'as JsonObject': a template.spec that is not a map must be reported, not thrown on.
        if (template is not null && ((template["spec"] as JsonObject)?["containers"] as JsonArray ?? []).Count == 0)
        {
            diagnostics.Error(path + ".template.spec.containers", $"the {group} pod template has no containers", "add the Ray container (image rayproject/ray:<version>)");
        }

        if (resources is { Count: > 0 } && RayStartResourceParams.Any(p => rayStartParams.ContainsKey(p)))
        {
            diagnostics.Error(path + ".resources", $"the {group} group sets Ray resources both in rayStartParams and in resources", "use only one of them");
        }

        if (rayStartParams.ContainsKey("labels"))
        {
            diagnostics.Error(ConfigPath.Key(path + ".rayStartParams", "labels"), "rayStartParams['labels'] is not supported", "use the group's top-level labels field");
        }

        _ = labels;
    }

    public static JsonObject Map(ImmutableSortedDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map)
        {
            o[k] = v;
        }

        return o;
    }

    public static void WriteMap(JsonObject target, string key, ImmutableSortedDictionary<string, string>? map)
    {
        if (map is not null)
        {
            target[key] = Map(map);
        }
    }
}
