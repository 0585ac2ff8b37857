using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Workloads;

/// <summary>One pod template of a KubeRay spec.</summary>
/// <param name="Group"><c>head</c>, a worker group's name (<c>worker[i]</c> when it has none), or <c>submitter</c>.</param>
/// <param name="Template">The template (a PodTemplateSpec: <c>metadata</c>, <c>spec</c>); the live node, not a copy.</param>
/// <param name="Path">Its path under the spec's path, e.g. <c>….spec.workerGroupSpecs[0].template</c>.</param>
public sealed record RayPodTemplate(string Group, JsonObject Template, string Path);

/// <summary>Finds the pod templates of a RayCluster, RayJob or RayService spec, in spec order.</summary>
public static class RayPodTemplates
{
    /// <summary>The Ray cluster part of a spec: the spec itself, <c>rayClusterSpec</c> or <c>rayClusterConfig</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="spec">The spec.</param>
    /// <returns>The cluster spec, or null when there is none (a RayJob that runs on an existing cluster).</returns>
    public static JsonObject? ClusterPart(RayKind kind, JsonObject spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return kind switch
        {
            RayKind.RayJob => spec["rayClusterSpec"] as JsonObject,
            RayKind.RayService => spec["rayClusterConfig"] as JsonObject,
            _ => spec,
        };
    }

    /// <summary>The path of the cluster part under <paramref name="specPath"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="specPath">The spec's path.</param>
    /// <returns>The path.</returns>
    public static string ClusterPartPath(RayKind kind, string specPath) => kind switch
    {
        RayKind.RayJob => specPath + ".rayClusterSpec",
        RayKind.RayService => specPath + ".rayClusterConfig",
        _ => specPath,
    };

    /// <summary>
    /// Every pod template of the spec: the head, each worker group, and a RayJob's <c>submitterPodTemplate</c> when
    /// written. Entries that are not mappings are skipped (the model reports them).
    /// </summary>
    /// <param name="kind">The kind.</param>
    /// <param name="spec">The spec.</param>
    /// <param name="specPath">The spec's path, for <see cref="RayPodTemplate.Path"/>.</param>
    /// <returns>The templates.</returns>
    public static ImmutableArray<RayPodTemplate> Of(RayKind kind, JsonObject spec, string specPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = ImmutableArray.CreateBuilder<RayPodTemplate>();
        var clusterPath = ClusterPartPath(kind, specPath);
        if (ClusterPart(kind, spec) is { } cluster)
        {
            if (cluster["headGroupSpec"] is JsonObject head && head["template"] is JsonObject headTemplate)
            {
                result.Add(new RayPodTemplate(RawSpecDemand.HeadGroup, headTemplate, clusterPath + ".headGroupSpec.template"));
            }

            if (cluster["workerGroupSpecs"] is JsonArray workers)
            {
                for (var i = 0; i < workers.Count; i++)
                {
                    if (workers[i] is JsonObject worker && worker["template"] is JsonObject template)
                    {
                        var index = i.ToString(CultureInfo.InvariantCulture);
                        var name = worker["groupName"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : $"worker[{index}]";
                        result.Add(new RayPodTemplate(name, template, $"{clusterPath}.workerGroupSpecs[{index}].template"));
                    }
                }
            }
        }

        if (kind == RayKind.RayJob && spec["submitterPodTemplate"] is JsonObject submitter)
        {
            result.Add(new RayPodTemplate(RawSpecDemand.SubmitterGroup, submitter, specPath + ".submitterPodTemplate"));
        }

        return result.ToImmutable();
    }

    /// <summary>The containers of a pod spec of every list (<c>containers</c>, <c>initContainers</c>, <c>ephemeralContainers</c>) with their paths.</summary>
    /// <param name="podSpec">A pod spec.</param>
    /// <param name="podSpecPath">Its path.</param>
    /// <returns>The containers that are mappings, in list order.</returns>
    public static ImmutableArray<(JsonObject Container, string Path)> Containers(JsonObject podSpec, string podSpecPath)
    {
        ArgumentNullException.ThrowIfNull(podSpec);
        var result = ImmutableArray.CreateBuilder<(JsonObject, string)>();
        foreach (var list in ContainerLists)
        {
            if (podSpec[list] is not JsonArray containers)
            {
                continue;
            }

            for (var i = 0; i < containers.Count; i++)
            {
                if (containers[i] is JsonObject container)
                {
                    result.Add((container, $"{podSpecPath}.{list}[{i.ToString(CultureInfo.InvariantCulture)}]"));
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The pod templates <see cref="Of"/> lists, in its order, without their group names and paths: for callers that change
    /// templates on every rendered copy and write no message.
    /// </summary>
    /// <param name="kind">The kind.</param>
    /// <param name="spec">The spec.</param>
    /// <returns>The templates.</returns>
    public static IEnumerable<JsonObject> TemplatesOf(RayKind kind, JsonObject spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (ClusterPart(kind, spec) is { } cluster)
        {
            if (cluster["headGroupSpec"] is JsonObject head && head["template"] is JsonObject headTemplate)
            {
                yield return headTemplate;
            }

            if (cluster["workerGroupSpecs"] is JsonArray workers)
            {
                foreach (var worker in workers)
                {
                    if (worker is JsonObject group && group["template"] is JsonObject template)
                    {
                        yield return template;
                    }
                }
            }
        }

        if (kind == RayKind.RayJob && spec["submitterPodTemplate"] is JsonObject submitter)
        {
            yield return submitter;
        }
    }

    /// <summary>The containers <see cref="Containers"/> lists, in its order, without their paths.</summary>
    /// <param name="podSpec">A pod spec.</param>
    /// <returns>The containers that are mappings, in list order.</returns>
    public static IEnumerable<JsonObject> ContainersOf(JsonObject podSpec)
    {
        ArgumentNullException.ThrowIfNull(podSpec);
        foreach (var list in ContainerLists)
        {
            if (podSpec[list] is JsonArray containers)
            {
                foreach (var container in containers)
                {
                    if (container is JsonObject c)
                    {
                        yield return c;
                    }
                }
            }
        }
    }

    /// <summary>The container lists of a pod spec.</summary>
    public static ImmutableArray<string> ContainerLists { get; } = ["containers", "initContainers", "ephemeralContainers"];
}
