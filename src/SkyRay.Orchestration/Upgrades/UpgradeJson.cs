using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkyRay.Orchestration.Upgrades;

/// <summary>
/// The <c>upgrades</c> stack output: upgrade states as JSON text (configured cluster → cluster, clone, from, to, phase,
/// serving, traffic), written every run and read back on the next one.
/// </summary>
public static class UpgradeJson
{
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
            if (state.SwappedAt is { } swappedAt)
            {
                ((JsonObject)root[name]!)["swappedAt"] = Observations.ObservationJson.Time(swappedAt);
            }
        }

        return root.ToJsonString();
    }

    /// <summary>Reads what <see cref="Write"/> wrote; unreadable entries are dropped (that upgrade then starts afresh).</summary>
    /// <param name="json">The output's text, or null.</param>
    /// <param name="problem">What could not be read, or null when everything was.</param>
    /// <returns>States by configured cluster name.</returns>
    public static ImmutableSortedDictionary<string, UpgradeState> Read(string? json, out string? problem)
    {
        problem = null;
        var result = ImmutableSortedDictionary.CreateBuilder<string, UpgradeState>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return result.ToImmutable();
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException e)
        {
            problem = $"it is not JSON ({e.Message})";
            return result.ToImmutable();
        }

        if (root is null)
        {
            problem = "it is not a JSON object of upgrades";
            return result.ToImmutable();
        }

        var unreadable = new List<string>();
        foreach (var (name, node) in root)
        {
            if (node is JsonObject o
                && Text(o, "cluster") is { } cluster && Text(o, "clone") is { } clone && Text(o, "from") is { } from && Text(o, "to") is { } to
                && Enum.TryParse<UpgradePhase>(Text(o, "phase"), ignoreCase: true, out var phase) && Enum.IsDefined(phase))
            {
                result[name] = new UpgradeState(cluster, clone, from, to, phase, Texts(o, "serving"), Texts(o, "traffic"))
                {
                    SwappedAt = Text(o, "swappedAt") is { } at
                        && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t)
                        ? t
                        : null,
                };
            }
            else
            {
                unreadable.Add(name);
            }
        }

        if (unreadable.Count > 0)
        {
            problem = $"the upgrade of {string.Join(", ", unreadable)} lacks cluster, clone, from, to or a known phase";
        }

        return result.ToImmutable();
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static ImmutableArray<string> Texts(JsonObject o, string key) =>
        o[key] is JsonArray a
            ? [.. a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [];
}
