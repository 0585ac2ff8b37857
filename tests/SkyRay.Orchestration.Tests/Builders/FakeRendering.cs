using System.Text.Json.Nodes;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>
/// Stand-ins for the KubeRay renderer and YAML writer, so the walk is pinned independently of how manifests look.
/// The rendered object carries the target cluster and the copy's worker count so tests can see what went where.
/// </summary>
public static class FakeRendering
{
    public const string Placements = "{\"fake\":\"placements\"}";

    public static FleetRendering Instance { get; } = new(
        (settings, cluster) => new OperatorRelease(
            "kuberay-operator", "kuberay-operator", settings.ChartVersion, OperatorReleaseBuilder.Repository, settings.Namespace, new JsonObject { ["for"] = cluster.Name }),
        (workload, cluster, copy, policy) => new KubeObject(
            "ray.io/v1",
            workload.Kind.ToString(),
            workload.Name,
            workload.Namespace,
            new JsonObject
            {
                ["apiVersion"] = "ray.io/v1",
                ["kind"] = workload.Kind.ToString(),
                ["metadata"] = new JsonObject { ["name"] = workload.Name, ["namespace"] = workload.Namespace },
                ["spec"] = new JsonObject
                {
                    ["cluster"] = cluster.Name,
                    ["workers"] = copy.WorkerReplicas.Values.Sum(),
                    ["policy"] = policy,
                },
            }),
        _ => Placements,
        nodes => string.Concat(nodes.Select(n => "---\n" + n.ToJsonString() + "\n")));
}
