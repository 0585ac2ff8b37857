using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Config;

/// <summary>
/// A Kubernetes toleration, matched the way the scheduler matches it (<c>v1.Toleration.ToleratesTaint</c>): an empty key
/// with <c>Exists</c> tolerates every taint; an empty effect matches every effect; <c>Exists</c> ignores the value;
/// <c>Equal</c> (the default) needs the same value.
/// </summary>
/// <param name="Key">Taint key, or null for every key (only with <c>Exists</c>).</param>
/// <param name="Operator"><c>Equal</c> or <c>Exists</c>.</param>
/// <param name="Value">Taint value for <c>Equal</c>; null is the empty value.</param>
/// <param name="Effect"><c>NoSchedule</c>, <c>PreferNoSchedule</c>, <c>NoExecute</c>, or null for every effect.</param>
public sealed record Toleration(string? Key, string Operator, string? Value, string? Effect)
{
    /// <summary>The <c>Equal</c> operator.</summary>
    public const string EqualOperator = "Equal";

    /// <summary>The <c>Exists</c> operator.</summary>
    public const string ExistsOperator = "Exists";

    /// <summary>The toleration of exactly one taint: <c>Equal</c> with its value, or <c>Exists</c> when it has none.</summary>
    /// <param name="taint">The taint.</param>
    /// <returns>The toleration.</returns>
    public static Toleration Of(NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        return string.IsNullOrEmpty(taint.Value)
            ? new Toleration(taint.Key, ExistsOperator, null, taint.Effect)
            : new Toleration(taint.Key, EqualOperator, taint.Value, taint.Effect);
    }

    /// <summary>True when the toleration tolerates the taint.</summary>
    /// <param name="taint">The taint.</param>
    /// <returns>True when tolerated.</returns>
    public bool Tolerates(NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        if (!string.IsNullOrEmpty(Effect) && !string.Equals(Effect, taint.Effect, StringComparison.Ordinal))
        {
            return false;
        }

        if (string.IsNullOrEmpty(Key))
        {
            return string.Equals(Operator, ExistsOperator, StringComparison.Ordinal);
        }

        return string.Equals(Key, taint.Key, StringComparison.Ordinal) &&
            (string.Equals(Operator, ExistsOperator, StringComparison.Ordinal) || string.Equals(Value ?? "", taint.Value ?? "", StringComparison.Ordinal));
    }

    /// <summary>True when any of <paramref name="tolerations"/> tolerates the taint.</summary>
    /// <param name="tolerations">Tolerations.</param>
    /// <param name="taint">The taint.</param>
    /// <returns>True when tolerated.</returns>
    public static bool AnyTolerates(IEnumerable<Toleration> tolerations, NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(tolerations);
        return tolerations.Any(t => t.Tolerates(taint));
    }

    /// <summary>The toleration as a pod spec entry (keys sorted, as written by the renderer).</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Effect is not null)
        {
            o["effect"] = Effect;
        }

        if (Key is not null)
        {
            o["key"] = Key;
        }

        o["operator"] = Operator;
        if (Value is not null)
        {
            o["value"] = Value;
        }

        return o;
    }

    /// <summary>
    /// Reads the tolerations of a pod spec as written (<c>spec.tolerations</c> of a pod template), leaving out entries
    /// that are not mappings or whose fields are not strings (the built-in model reports those).
    /// </summary>
    /// <param name="tolerations">The list, or null.</param>
    /// <returns>The tolerations.</returns>
    public static ImmutableArray<Toleration> FromJson(JsonNode? tolerations)
    {
        if (tolerations is not JsonArray list)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<Toleration>();
        foreach (var item in list)
        {
            if (item is not JsonObject o)
            {
                continue;
            }

            static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            result.Add(new Toleration(Text(o["key"]), Text(o["operator"]) ?? EqualOperator, Text(o["value"]), Text(o["effect"])));
        }

        return result.ToImmutable();
    }
}
