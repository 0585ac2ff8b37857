using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Orchestration.Ports;

namespace SkyRay.Orchestration.Upgrades;

/// <summary>
/// The <c>upgrades</c> stack output: upgrade states as JSON text (configured cluster → cluster, clone, from, to, phase,
/// serving, traffic), written every run and read back on the next one.
/// </summary>
public static class UpgradeJson
{
    /// <summary>The stack output holding the upgrades.</summary>
    public const string Output = "upgrades";

    /// <summary>The stack output holding the traffic targets (record → clusters).</summary>
    public const string TrafficOutput = "traffic";

    /// <summary>Writes upgrade states, keys sorted.</summary>
    /// <param name="upgrades">States by configured cluster name.</param>
    /// <returns>Compact JSON.</returns>
    public static string Write(IReadOnlyDictionary<string, UpgradeState> upgrades)
    {
        ArgumentNullException.ThrowIfNull(upgrades);
        var root = new JsonObject();
        foreach (var (name, state) in upgrades.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            root[name] = new JsonObject
            {
                ["cluster"] = state.Cluster,
                ["clone"] = state.CloneCluster,
                ["from"] = state.FromVersion,
                ["to"] = state.ToVersion,
                ["phase"] = state.Phase.ToString().ToLowerInvariant(),
                ["serving"] = new JsonArray([.. state.ServingWorkloads.Select(w => (JsonNode)w)]),
                ["traffic"] = new JsonArray([.. state.TrafficTargets.Select(w => (JsonNode)w)]),
            };
        }

        return root.ToJsonString();
    }

    /// <summary>Reads what <see cref="Write"/> wrote; unreadable entries are dropped (the next run then starts afresh).</summary>
    /// <param name="json">The output's text, or null.</param>
    /// <returns>States by configured cluster name.</returns>
    public static ImmutableSortedDictionary<string, UpgradeState> Read(string? json)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, UpgradeState>(StringComparer.Ordinal);
        JsonObject? root;
        try
        {
            root = string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }

        foreach (var (name, node) in root ?? [])
        {
            if (node is JsonObject o
                && Text(o, "cluster") is { } cluster && Text(o, "clone") is { } clone && Text(o, "from") is { } from && Text(o, "to") is { } to
                && Enum.TryParse<UpgradePhase>(Text(o, "phase"), ignoreCase: true, out var phase) && Enum.IsDefined(phase))
            {
                result[name] = new UpgradeState(cluster, clone, from, to, phase, Texts(o, "serving"), Texts(o, "traffic"));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The previous outputs with <see cref="FleetOutputs.Upgrades"/> and <see cref="FleetOutputs.Traffic"/> filled from the raw
    /// outputs (<c>upgrades</c>: the JSON text; <c>traffic</c>: record → list of clusters). For adapters that read the other
    /// outputs themselves.
    /// </summary>
    /// <param name="previous">The previous outputs read so far, or null.</param>
    /// <param name="raw">The raw stack outputs, or null.</param>
    /// <returns>The completed outputs, or <paramref name="previous"/> when there is nothing to add.</returns>
    public static FleetOutputs? Complete(FleetOutputs? previous, JsonObject? raw)
    {
        if (raw is null)
        {
            return previous;
        }

        var upgrades = Read(raw[Output] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null);
        var traffic = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        if (raw[TrafficOutput] is JsonObject records)
        {
            foreach (var (name, node) in records)
            {
                if (node is JsonArray)
                {
                    traffic[name] = Texts(records, name);
                }
            }
        }

        if (upgrades.IsEmpty && traffic.Count == 0)
        {
            return previous;
        }

        var baseOutputs = previous ?? new FleetOutputs(
            ImmutableSortedDictionary.Create<string, ClusterOutput>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
            [],
            string.Empty);
        return baseOutputs with { Upgrades = upgrades, Traffic = traffic.ToImmutable() };
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static ImmutableArray<string> Texts(JsonObject o, string key) =>
        o[key] is JsonArray a
            ? [.. a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [];
}
