using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Config;

/// <summary>Helm's rules for layering values trees: the chart's defaults, SkyRay's, a fleet's, a cluster's.</summary>
public static class HelmValues
{
    /// <summary>
    /// Helm's merge of <paramref name="overlay"/> over <paramref name="baseValues"/>, both left unchanged: mappings merge key by
    /// key, everything else (lists, scalars) is replaced, and an overlay value of <c>null</c> removes the key.
    /// </summary>
    /// <param name="baseValues">The values underneath.</param>
    /// <param name="overlay">The values on top.</param>
    /// <returns>A new merged tree.</returns>
    public static JsonObject Merge(JsonObject baseValues, JsonObject overlay)
    {
        ArgumentNullException.ThrowIfNull(baseValues);
        ArgumentNullException.ThrowIfNull(overlay);
        var result = (JsonObject)baseValues.DeepClone();
        foreach (var (key, value) in overlay)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject o && result[key] is JsonObject existing)
            {
                result[key] = Merge(existing, o);
            }
            else
            {
                result[key] = value.DeepClone();
            }
        }

        return result;
    }
}
