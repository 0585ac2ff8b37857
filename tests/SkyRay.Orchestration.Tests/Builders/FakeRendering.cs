using System.Text.Json.Nodes;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>
/// Stand-ins for the KubeRay renderer and YAML writer, so the walk is pinned independently of how manifests look.
/// The rendered object carries the target cluster and the copy's worker count so tests can see what went where.
/// </summary>
public static class FakeRendering
{
    public static FleetRendering Instance { get; } = FleetRendering.Default with
    {
        // The walk's own order is pinned here; the objects that go with a copy (its NetworkPolicy) have tests of their own.
        Companions = (_, _) => [],
        Releases = (spec, cluster, _) =>
        [
            new HelmRelease(
                OperatorReleaseBuilder.Key, "kuberay-operator", "kuberay-operator", spec.KubeRay.ChartVersion, OperatorReleaseBuilder.Repository, spec.KubeRay.Namespace, new JsonObject { ["for"] = cluster.Name }),
        ],
        Workload = target => new KubeObject(
            "ray.io/v1",
            target.Workload.Kind.ToString(),
            target.Workload.Name,
            target.Workload.Namespace,
            new JsonObject
            {
                ["apiVersion"] = "ray.io/v1",
                ["kind"] = target.Workload.Kind.ToString(),
                ["metadata"] = new JsonObject { ["name"] = target.Workload.Name, ["namespace"] = target.Workload.Namespace },
                ["spec"] = new JsonObject
                {
                    ["cluster"] = target.Cluster.Name,
                    ["workers"] = target.Copy.WorkerReplicas.Values.Sum(),
                    ["policy"] = target.Policy,
                },
            }),
        Yaml = nodes => string.Concat(nodes.Select(n => "---\n" + n.ToJsonString() + "\n")),
    };
}
