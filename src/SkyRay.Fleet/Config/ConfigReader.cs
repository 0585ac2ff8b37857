using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Config;

/// <summary>
/// Typed reading of config trees: every wrong type, unknown key or bad value becomes a diagnostic at its
/// config path and the reader returns null (or a default), so one pass finds every problem.
/// </summary>
internal sealed class ConfigReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>The path of a map entry: <c>a.b</c> for plain keys, <c>a["x/y"]</c> for keys with other characters.</summary>
    public static string Child(string parent, string key) =>
        IsPlainKey(key) ? $"{parent}.{key}" : $"{parent}[\"{KubernetesNames.Shorten(key).Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";

    /// <summary>A key written after a dot in a path: letters, digits, '_' and '-' only (not empty).</summary>
    private static bool IsPlainKey(string key) => key.Length > 0 && !key.AsSpan().ContainsAnyExcept(PlainKeyCharacters);

    private static readonly System.Buffers.SearchValues<char> PlainKeyCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>The path of a list item.</summary>
    public static string Item(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>What a node is, for messages ("a map", "a list", ...). Never shows the value (it may be a secret).</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "nothing (null)",
        JsonObject o when IsSecure(o) => "a secret (secure:) value",
        JsonObject => "a map",
        JsonArray => "a list",
        // YAML 1.2 reads .nan and .inf as floats; JSON cannot hold them, so the tree keeps their text.
        JsonValue v when v.GetValueKind() == JsonValueKind.String && YamlJson.IsSpecialFloat(Text(v)) => $"the float {Text(v)}",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true/false",
            _ => "a value",
        },
    };

    /// <summary>
    /// The text of a string value. Values parsed from YAML or JSON hold a string or a JSON element; a caller of
    /// <c>FromValues</c> may also hand in values created from other .NET types, which only serialization reads safely.
    /// </summary>
    public static string Text(JsonValue value) =>
        value.TryGetValue<string>(out var text) ? text : value.Deserialize<string>() ?? "";

    /// <summary>True for Pulumi's encrypted value form <c>{secure: v1:...}</c>.</summary>
    public static bool IsSecure(JsonNode? node) => node is JsonObject o && o.Count == 1 && o.ContainsKey("secure");

    /// <summary>Reads a map; reports anything else.</summary>
    public JsonObject? Map(JsonNode? node, string path, string what)
    {
        if (node is JsonObject o && !IsSecure(o))
        {
            return o;
        }

        Diagnostics.Error(path, $"expected {what} (a map), found {Describe(node)}", SecretHint(node));
        return null;
    }

    /// <summary>Reads a list; reports anything else.</summary>
    public JsonArray? List(JsonNode? node, string path, string what)
    {
        if (node is JsonArray a)
        {
            return a;
        }

        Diagnostics.Error(path, $"expected {what} (a list), found {Describe(node)}", SecretHint(node));
        return null;
    }

    /// <summary>Reports keys of <paramref name="map"/> that are not in <paramref name="known"/>, with a "did you mean".</summary>
    public void KnownKeys(JsonObject map, string path, IReadOnlyCollection<string> known)
    {
        // Nearly every map has only known keys: checked without sorting them first.
        var unknown = false;
        foreach (var (key, _) in map)
        {
            unknown |= !known.Contains(key);
        }

        if (!unknown)
        {
            return;
        }

        foreach (var key in map.Select(p => p.Key).Order(StringComparer.Ordinal))
        {
            if (!known.Contains(key))
            {
                Diagnostics.Error(Child(path, key), $"unknown key '{KubernetesNames.Shorten(key)}'", Suggestions.Hint(key, known, "keys here"));
            }
        }
    }

    /// <summary>Reads a string value; null when absent or null (reported when required) or of another type (reported).</summary>
    public string? String(JsonObject map, string key, string path, bool required = false, string? example = null)
    {
        // The value's path is built only for a message: most values are fine, and reading them builds no strings.
        var node = map[key];
        if (node is null)
        {
            if (required)
            {
                Missing(map, key, Child(path, key), example);
            }

            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = ConfigReader.Text(v);
            if (text.Length == 0 && required)
            {
                Diagnostics.Error(Child(path, key), "is empty", example is null ? null : $"for example: {key}: {example}");
                return null;
            }

            return text;
        }

        Diagnostics.Error(Child(path, key), $"expected a string, found {Describe(node)}", SecretHint(node) ?? (example is null ? null : $"for example: {key}: {example}"));
        return null;
    }

    /// <summary>Reads a value written as a string or a number (Kubernetes quantities: <c>cpu: 4</c> or <c>cpu: "500m"</c>) as text.</summary>
    public string? ScalarText(JsonObject map, string key, string path, bool required, string example)
    {
        var node = map[key];
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return NumberText(v);
        }

        return String(map, key, path, required, example);
    }

    /// <summary>Reads a whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int? Int(JsonObject map, string key, string path, int min, int max, bool required = false)
    {
        var node = map[key];
        if (IsWhole(node, out var whole) && whole >= min && whole <= max)
        {
            return (int)whole;
        }

        if (node is null)
        {
            if (required)
            {
                Missing(map, key, Child(path, key), min.ToString(CultureInfo.InvariantCulture));
            }

            return null;
        }

        var at = Child(path, key);

        if (node is JsonValue f && f.GetValueKind() == JsonValueKind.String && YamlJson.IsSpecialFloat(Text(f)))
        {
            Diagnostics.Error(at, $"found the float {Text(f)}; an integer is required", $"use a whole number from {min} to {max}");
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            Diagnostics.Error(at, $"expected a whole number, found {Describe(node)}", $"write a number from {min} to {max} without quotes");
            return null;
        }

        var text = v.ToJsonString();
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            // Too large even for decimal: an integer of dozens of digits, or a float such as 1e400.
            Diagnostics.Error(
                at,
                IsFloatText(text) ? $"found the float {KubernetesNames.Shorten(text)}; an integer is required" : $"{KubernetesNames.Shorten(text)} is out of range",
                $"use a whole number from {min} to {max}");
            return null;
        }

        if (number != decimal.Truncate(number))
        {
            Diagnostics.Error(at, $"{KubernetesNames.Shorten(text)} is not a whole number", $"use a whole number from {min} to {max}");
            return null;
        }

        if (number < min || number > max)
        {
            Diagnostics.Error(at, $"{KubernetesNames.Shorten(text)} is out of range", $"use a number from {min} to {max}");
            return null;
        }

        return (int)number;
    }

    /// <summary>Reads true/false.</summary>
    public bool? Bool(JsonObject map, string key, string path)
    {
        var node = map[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValueKind() == JsonValueKind.True;
        }

        var hint = node is JsonValue s && s.GetValueKind() == JsonValueKind.String
            ? "write true or false without quotes (YAML 1.2: yes/no/on/off are strings)"
            : "write true or false";
        Diagnostics.Error(Child(path, key), $"expected true or false, found {Describe(node)}", hint);
        return null;
    }

    /// <summary>Reads one of a fixed set of words, with a "did you mean" for near misses.</summary>
    public T? Enum<T>(JsonObject map, string key, string path, IReadOnlyDictionary<string, T> names, bool required = false)
        where T : struct
    {
        var text = String(map, key, path, required, names.Keys.Order(StringComparer.Ordinal).First());
        if (text is null)
        {
            return null;
        }

        if (names.TryGetValue(text, out var value))
        {
            return value;
        }

        Diagnostics.Error(Child(path, key), $"'{KubernetesNames.Shorten(text)}' is not a valid {key}", Suggestions.Hint(text, [.. names.Keys], "values"));
        return null;
    }

    /// <summary>Reads Kubernetes labels (keys and values checked by Kubernetes rules).</summary>
    public ImmutableSortedDictionary<string, string> Labels(JsonObject map, string key, string path)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (map[key] is null)
        {
            return builder.ToImmutable();
        }

        // Paths are built only for messages: a stack's labels are almost always fine.
        var at = Child(path, key);
        if (Map(map[key], at, "labels") is not { } labels)
        {
            return builder.ToImmutable();
        }

        foreach (var (labelKey, node) in labels)
        {
            if (KubernetesNames.CheckLabelKey(labelKey) is { } keyProblem)
            {
                Diagnostics.Error(Child(at, labelKey), $"label key '{KubernetesNames.Shorten(labelKey)}' {keyProblem}", "label keys look like 'team' or 'example.com/team'");
                continue;
            }

            var value = LabelValueText(node, at, labelKey);
            if (value is null)
            {
                continue;
            }

            if (KubernetesNames.CheckLabelValue(value) is { } valueProblem)
            {
                Diagnostics.Error(Child(at, labelKey), $"label value '{KubernetesNames.Shorten(value)}' {valueProblem}", "label values look like 'production' or 'v1.2'");
                continue;
            }

            builder[labelKey] = value;
        }

        return builder.ToImmutable();
    }

    /// <summary>Reads a map of string values; numbers and true/false are kept as their text (as <c>ray start</c> parameters are).</summary>
    public ImmutableSortedDictionary<string, string> StringMap(JsonObject map, string key, string path) =>
        map[key] is null ? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal) : StringMap(map[key], Child(path, key), key);

    /// <summary>Reads a map of string values at <paramref name="at"/> (null node: empty).</summary>
    public ImmutableSortedDictionary<string, string> StringMap(JsonNode? node, string at, string what)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is null || Map(node, at, what) is not { } entries)
        {
            return builder.ToImmutable();
        }

        foreach (var (entryKey, entry) in entries)
        {
            if (entryKey.Length == 0)
            {
                Diagnostics.Error(Child(at, entryKey), "the key is empty", "remove the entry or give it a name");
                continue;
            }

            if (entry is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                builder[entryKey] = v.GetValueKind() switch
                {
                    JsonValueKind.String => ConfigReader.Text(v),
                    JsonValueKind.Number => NumberText(v),
                    _ => v.ToJsonString(),
                };
            }
            else
            {
                Diagnostics.Error(Child(at, entryKey), $"expected a string, number or true/false, found {Describe(entry)}", "quote the value");
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>A label's value as text; a value of another type is reported at <paramref name="at"/>.<paramref name="key"/> (the path built only then).</summary>
    private string? LabelValueText(JsonNode? node, string at, string key)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return ConfigReader.Text(v);
        }

        if (node is JsonValue n && n.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            Diagnostics.Error(Child(at, key), $"label values are strings, found {Describe(node)}", $"quote it: \"{KubernetesNames.Shorten(n.ToJsonString())}\"");
            return null;
        }

        Diagnostics.Error(Child(at, key), $"label values are strings, found {Describe(node)}", SecretHint(node) ?? "write a string such as 'production'");
        return null;
    }

    private void Missing(JsonObject map, string key, string at, string? example)
    {
        var message = map.ContainsKey(key) ? "is empty" : $"'{key}' is required";
        Diagnostics.Error(at, message, example is null ? null : $"for example: {key}: {example}");
    }

    /// <summary>
    /// The JSON text of a number value. A whole number the YAML reader typed (a CLR long, not a parsed JSON element, whose
    /// text may be written otherwise, e.g. <c>-0</c>) is formatted directly: <c>ToJsonString</c> writes the same digits
    /// through a JSON writer.
    /// </summary>
    public static string NumberText(JsonValue value) =>
        IsWhole(value, out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : value.ToJsonString();

    /// <summary>True for a whole number the YAML reader typed as a CLR long (see <see cref="NumberText"/>).</summary>
    private static bool IsWhole(JsonNode? node, out long whole)
    {
        whole = 0;
        return node is JsonValue v && !v.TryGetValue<JsonElement>(out _) && v.TryGetValue(out whole);
    }

    private static bool IsFloatText(string number) => number.AsSpan().IndexOfAny(".eE") >= 0;

    private static string? SecretHint(JsonNode? node) =>
        IsSecure(node) ? "secrets are not supported here; keep secrets in their own config key" : null;
}
