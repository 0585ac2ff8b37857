using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Validation;
using SkyRay.Placement.Labels;
using SkyRay.Placement.Planning;
using SkyRay.Testing;

namespace SkyRay.KubeRay.Tests.Support;

/// <summary>Stacks written as the skyray:* part of a stack file, loaded with the real loader and built-in catalog; cluster plans by hand.</summary>
public static class KueueFleet
{
    private static readonly Lazy<(CrdSchemaSet Set, IReadOnlyList<Diagnostic> Diagnostics)> Crds = new(() =>
    {
        var bag = new DiagnosticBag();
        var set = CrdSchemaSet.LoadDirectory(SharedMaterial.KueueCrds!, bag);
        return (set, bag.Items);
    });

    /// <summary>Loads keys (without the skyray: prefix) written as YAML.</summary>
    public static FleetSpec Load(string yaml)
    {
        var bag = new DiagnosticBag();
        var root = (JsonObject)YamlJson.ParseSingle(yaml, "test", bag)!;
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        var values = root.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
        var result = StackLoader.FromValues("test", values, Path.GetTempPath());
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        return result.Value!;
    }

    /// <summary>An active (or other state) plan of a cluster with its configured pool sizes and the given workloads.</summary>
    public static ClusterPlan Plan(ClusterSpec cluster, ClusterState state = ClusterState.Active, params string[] workloads) =>
        new(
            cluster.Name,
            state,
            ClusterLabels.For(cluster),
            [.. cluster.NodePools.Select(p => new NodePoolPlan(p.Name, p.InstanceType, state == ClusterState.Standby ? 0 : p.MinNodes, p.MaxNodes, state == ClusterState.Standby ? 0 : p.MinNodes, 0m))],
            [.. workloads.Order(StringComparer.Ordinal)],
            0m,
            "test");

    /// <summary>The Kueue v0.19.2 CRDs from shared/ (skips the test where they are absent).</summary>
    public static CrdSchemaSet KueueCrds()
    {
        SharedMaterial.Require(SharedMaterial.KueueCrds);
        Assert.Empty(Crds.Value.Diagnostics);
        return Crds.Value.Set;
    }

    public static ImmutableArray<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];
}
