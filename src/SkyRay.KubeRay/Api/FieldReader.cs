using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Yaml;

namespace SkyRay.KubeRay.Api;

/// <summary>
/// Reads one JSON object of a KubeRay spec field by field, reporting wrong types at their config path.
/// Remembers which keys were read so that the rest can be reported as unknown (KubeRay's API server would
/// silently drop them, and a typo in a pasted spec would vanish without a word).
/// </summary>
internal sealed class FieldReader
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public FieldReader(JsonObject obj, string path, DiagnosticBag diagnostics)
    {
        Target = obj;
        Path = path;
        Diagnostics = diagnostics;
    }

    public JsonObject Target { get; }

    public string Path { get; }

    public DiagnosticBag Diagnostics { get; }

    public string At(string key) => ConfigPath.Key(Path, key);

    public bool Has(string key)
    {
        _read.Add(key);
        return Target[key] is not null;
    }

    public string? String(string key, bool required = false)
    {
        var node = Take(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        Diagnostics.Error(At(key), $"'{key}' must be a string, found {Describe(node)}", "put the value in quotes");
        return null;
    }

    public string? Enum(string key, IReadOnlyList<string> allowed, string? defaultValue = null)
    {
        var value = String(key);
        if (value is not null && !allowed.Contains(value))
        {
            Diagnostics.Error(At(key), $"'{value}' is not a valid {key}", "use one of: " + string.Join(", ", allowed));
            return defaultValue;
        }

        return value ?? defaultValue;
    }

    public bool? Bool(string key)
    {
        var node = Take(key, false);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        Diagnostics.Error(At(key), $"'{key}' must be true or false, found {Describe(node)}", "write true or false without quotes");
        return null;
    }

    public int? Int32(string key, int? min = null)
    {
        var node = Take(key, false);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) && l is >= int.MinValue and <= int.MaxValue)
        {
            if (min is not null && l < min)
            {
                Diagnostics.Error(At(key), $"'{key}' must be at least {min}, found {l}");
            }

            return (int)l;
        }

        Diagnostics.Error(At(key), $"'{key}' must be a whole number (int32), found {Describe(node)}", $"write it without quotes, e.g. '{key}: 1'");
        return null;
    }

    public double? Number(string key)
    {
        var node = Take(key, false);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            var number = double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
            if (double.IsFinite(number))
            {
                return number;
            }

            Diagnostics.Error(At(key), $"'{key}' is out of range, found {Describe(node)}", "write a smaller number");
            return null;
        }

        Diagnostics.Error(At(key), $"'{key}' must be a number, found {Describe(node)}", "write it without quotes");
        return null;
    }

    public JsonObject? Object(string key, bool required = false)
    {
        var node = Take(key, required);
        if (node is null or JsonObject)
        {
            return (JsonObject?)node;
        }

        Diagnostics.Error(At(key), $"'{key}' must be a mapping, found {Describe(node)}");
        return null;
    }

    public JsonArray? Array(string key)
    {
        var node = Take(key, false);
        if (node is null or JsonArray)
        {
            return (JsonArray?)node;
        }

        Diagnostics.Error(At(key), $"'{key}' must be a list, found {Describe(node)}");
        return null;
    }

    /// <summary>A map of strings (rayStartParams, labels): every value must be a string, as in KubeRay's Go types.</summary>
    public ImmutableSortedDictionary<string, string>? StringMap(string key)
    {
        var obj = Object(key);
        if (obj is null)
        {
            return null;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (k, value) in obj)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                builder[k] = v.GetValue<string>();
            }
            else
            {
                Diagnostics.Error(
                    ConfigPath.Key(At(key), k),
                    $"values of '{key}' must be strings, found {Describe(value)}",
                    $"quote the value, e.g. {k}: \"{(value is null ? "" : value.ToJsonString().Trim('"'))}\"");
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Warns about every key that was not read: the API server would prune it.</summary>
    public void WarnUnknown()
    {
        foreach (var (key, _) in Target)
        {
            if (_read.Contains(key))
            {
                continue;
            }

            var suggestion = Suggestions.Closest(key, _read);
            Diagnostics.Warning(
                At(key),
                $"unknown field '{key}': KubeRay does not have it and the API server would silently drop it",
                suggestion is null ? "remove it or check the spelling against the KubeRay API" : $"did you mean '{suggestion}'?");
        }
    }

    /// <summary>Marks keys as known without reading them (fields passed through as they are).</summary>
    public void Known(params string[] keys)
    {
        foreach (var key in keys)
        {
            _read.Add(key);
        }
    }

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String && YamlJson.IsSpecialFloat(v.GetValue<string>()) => $"the float {v.GetValue<string>()}",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the string \"{KubernetesNames.Shorten(v.GetValue<string>())}\"",
        _ => KubernetesNames.Shorten(node.ToJsonString()),
    };

    private JsonNode? Take(string key, bool required)
    {
        _read.Add(key);
        var node = Target[key];
        if (node is null && required)
        {
            Diagnostics.Error(At(key), $"'{key}' is required", null);
        }

        return node;
    }
}
