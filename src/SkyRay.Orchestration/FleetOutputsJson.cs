using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Upgrades;

namespace SkyRay.Orchestration;

/// <summary>
/// Reads stack outputs as <c>pulumi stack output --json</c> prints them (<c>clusters</c>, <c>placements</c>, <c>upgrades</c>,
/// <c>traffic</c>) back into <see cref="FleetOutputs"/>, for offline tools that replay the next run. Unreadable parts are
/// left empty, the way the Pulumi program degrades.
/// </summary>
public static class FleetOutputsJson
{
    /// <summary>Reads the outputs object.</summary>
    /// <param name="outputs">The stack outputs.</param>
    /// <returns>The outputs the next run would see.</returns>
    public static FleetOutputs Read(JsonObject outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterOutput>(StringComparer.Ordinal);
        foreach (var (name, node) in outputs["clusters"] as JsonObject ?? [])
        {
            if (node is JsonObject c && Text(c, "state") is { } state)
            {
                clusters[name] = new ClusterOutput(Text(c, "provider") ?? "", Text(c, "kubernetesVersion") ?? "", Text(c, "lifecycle") ?? "", state, Text(c, "idleSince"));
            }
        }

        var bare = new FleetOutputs(
            clusters.ToImmutable(),
            ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
            [],
            Text(outputs, "placements") ?? string.Empty);
        return UpgradeJson.Complete(bare, outputs)!;
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
