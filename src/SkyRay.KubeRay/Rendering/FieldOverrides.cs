using System.Text;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Applies Nova <c>overrides</c> (<c>fieldPath</c> + <c>value.staticValue</c>) to a rendered object. A field path
/// is dotted names with list indices and quoted map keys: <c>spec.workerGroupSpecs[0].replicas</c>,
/// <c>metadata.labels['team']</c>, <c>metadata.annotations["a/b"]</c>. Missing mappings on the way are created;
/// list items must exist.
/// </summary>
public static class FieldOverrides
{
    /// <summary>Applies overrides in order.</summary>
    /// <param name="target">The object to change (changed in place).</param>
    /// <param name="overrides">The overrides.</param>
    /// <param name="path">Where the overrides come from, for diagnostics (e.g. <c>policy gpu, cluster aws-1</c>).</param>
    /// <param name="diagnostics">Where unappliable overrides are reported.</param>
    public static void Apply(JsonObject target, IEnumerable<FieldOverride> overrides, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var o in overrides)
        {
            var where = $"{path}: override '{o.FieldPath}'";
            var segments = Parse(o.FieldPath, out var error);
            if (segments is null)
            {
                diagnostics.Error(where, $"the field path cannot be read: {error}", "write it like spec.workerGroupSpecs[0].replicas or metadata.labels['key']");
                continue;
            }

            Set(target, segments, o.StaticValue?.DeepClone(), where, diagnostics);
        }
    }

    /// <summary>Splits a field path into names (string) and indices (int).</summary>
    /// <param name="fieldPath">The path.</param>
    /// <param name="error">Why it cannot be read, when it cannot.</param>
    /// <returns>The segments, or null.</returns>
    public static IReadOnlyList<object>? Parse(string fieldPath, out string? error)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        var segments = new List<object>();
        var i = 0;
        var name = new StringBuilder();
        error = null;
        while (i < fieldPath.Length)
        {
            var ch = fieldPath[i];
            if (ch == '.')
            {
                if (name.Length == 0 && (segments.Count == 0 || fieldPath[i - 1] != ']'))
                {
                    error = $"empty name at position {i}";
                    return null;
                }

                Flush(name, segments);
                i++;
            }
            else if (ch == '[')
            {
                Flush(name, segments);
                var close = fieldPath.IndexOf(']', i);
                if (close < 0)
                {
                    error = "'[' is not closed";
                    return null;
                }

                var inner = fieldPath[(i + 1)..close];
                if (inner.Length >= 2 && (inner[0] is '\'' or '"') && inner[^1] == inner[0])
                {
                    segments.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    error = $"'[{inner}]' is neither a list index nor a quoted key";
                    return null;
                }

                i = close + 1;
            }
            else
            {
                name.Append(ch);
                i++;
            }
        }

        Flush(name, segments);
        if (segments.Count == 0)
        {
            error = "the path is empty";
            return null;
        }

        return segments;
    }

    private static void Flush(StringBuilder name, List<object> segments)
    {
        if (name.Length > 0)
        {
            segments.Add(name.ToString());
            name.Clear();
        }
    }

    private static void Set(JsonObject root, IReadOnlyList<object> segments, JsonNode? value, string where, DiagnosticBag diagnostics)
    {
        JsonNode current = root;
        for (var s = 0; s < segments.Count; s++)
        {
            var last = s == segments.Count - 1;
            switch (segments[s], current)
            {
                case (string key, JsonObject obj):
                    if (last)
                    {
                        obj[key] = value;
                        return;
                    }

                    if (obj[key] is null)
                    {
                        obj[key] = segments[s + 1] is int ? new JsonArray() : new JsonObject();
                    }

                    current = obj[key]!;
                    break;
                case (int index, JsonArray array):
                    if (index >= array.Count)
                    {
                        diagnostics.Error(where, $"list item [{index}] does not exist (the list has {array.Count})", "check the index against the workload's spec");
                        return;
                    }

                    if (last)
                    {
                        array[index] = value;
                        return;
                    }

                    current = array[index] ?? (array[index] = new JsonObject())!;
                    break;
                default:
                    diagnostics.Error(where, $"segment '{segments[s]}' does not fit the object (found {(current is JsonArray ? "a list" : current is JsonObject ? "a mapping" : "a value")})", "check the path against the workload's spec");
                    return;
            }
        }
    }
}
