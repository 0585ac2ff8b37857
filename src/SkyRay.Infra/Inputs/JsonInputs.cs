using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;

namespace SkyRay.Infra.Inputs;

/// <summary>
/// Turns the core's JSON trees (Helm values, Ray specs) into values the Pulumi serializer takes: string-keyed
/// dictionaries, arrays, strings, booleans, <c>int</c> or <c>double</c> numbers and nulls. The serializer rejects
/// <c>long</c>, so whole numbers outside the <c>int</c> range become doubles.
/// </summary>
internal static class JsonInputs
{
    /// <summary>Converts any node; null stays null.</summary>
    public static object? ToValue(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => ToDictionary(map),
        JsonArray list => ToList(list),
        JsonValue value => ToScalar(value),
        _ => throw new ArgumentException($"unsupported JSON node {node.GetType().Name}", nameof(node)),
    };

    /// <summary>Converts an object, keeping key order out of it (the result is keyed, not ordered).</summary>
    public static ImmutableDictionary<string, object?> ToDictionary(JsonObject map)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var (key, child) in map)
        {
            builder[key] = ToValue(child);
        }

        return builder.ToImmutable();
    }

    /// <summary>Converts an array, in order.</summary>
    public static ImmutableArray<object?> ToList(JsonArray list)
    {
        var builder = ImmutableArray.CreateBuilder<object?>(list.Count);
        foreach (var child in list)
        {
            builder.Add(ToValue(child));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>
    /// Converts a node for a stack output: maps become ordinal-sorted dictionaries (outputs print in a stable order),
    /// lists of strings string arrays, everything else as <see cref="ToValue"/>.
    /// </summary>
    public static object? ToOutput(JsonNode? node) => node switch
    {
        JsonObject map => map.ToImmutableSortedDictionary(p => p.Key, p => ToOutput(p.Value), StringComparer.Ordinal),
        JsonArray list when list.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String) =>
            list.Select(i => i!.GetValue<string>()).ToImmutableArray(),
        JsonArray list => list.Select(ToOutput).ToImmutableArray(),
        _ => ToValue(node),
    };

    /// <summary>
    /// Converts a top-level object into the <c>InputMap&lt;object&gt;</c> Helm releases take as values. Pulumi's
    /// serializer omits map entries whose value is null, so a null cannot reach Helm (it cannot unset a chart default).
    /// </summary>
    public static InputMap<object> ToInputMap(JsonObject map)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, child) in map)
        {
            values[key] = ToValue(child)!;
        }

        return values;
    }

    /// <summary>Converts an object of string values (labels, annotations); other value kinds are written as JSON text.</summary>
    public static Dictionary<string, string> ToStringMap(JsonObject? map)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map is null)
        {
            return result;
        }

        foreach (var (key, child) in map)
        {
            result[key] = child is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : child?.ToJsonString() ?? string.Empty;
        }

        return result;
    }

    private static object? ToScalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var text = value.ToJsonString();
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return whole;
                }

                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }
}
