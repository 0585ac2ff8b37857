using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Api;

namespace SkyRay.KubeRay.Validation;

/// <summary>
/// The API server's handling of a custom resource against a structural schema, in its order:
/// (1) prune fields the schema does not know (unless <c>x-kubernetes-preserve-unknown-fields</c>), keeping
/// <c>apiVersion</c>/<c>kind</c>/<c>metadata</c> at the root and in <c>x-kubernetes-embedded-resource</c> objects;
/// (2) apply <c>default</c>s, also where a non-nullable field is null; drop the remaining nulls of non-nullable
/// fields; (3) validate the result. Pruning and null-dropping are warnings (the server does them silently);
/// validation failures are errors (the server rejects the object).
/// </summary>
internal sealed class StructuralValidator
{
    private static readonly FrozenSet<string> ObjectMetaFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "annotations", "creationTimestamp", "deletionGracePeriodSeconds", "deletionTimestamp", "finalizers", "generateName",
        "generation", "labels", "managedFields", "name", "namespace", "ownerReferences", "resourceVersion", "selfLink", "uid");

    private readonly ConcurrentDictionary<string, Regex?> _patterns = new(StringComparer.Ordinal);

    public JsonNode? Run(JsonNode node, JsonObject schema, string path, bool root, DiagnosticBag diagnostics)
    {
        var copy = node.DeepClone();
        Prune(copy, schema, path, root, diagnostics);
        Default(copy, schema, path, diagnostics);
        Validate(copy, schema, path, root, diagnostics);
        return copy;
    }

    private static void Prune(JsonNode? node, JsonObject schema, string path, bool resourceRoot, DiagnosticBag diagnostics)
    {
        switch (node)
        {
            case JsonObject obj:
                var props = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                var preserve = Flag(schema, "x-kubernetes-preserve-unknown-fields");
                var embedded = resourceRoot || Flag(schema, "x-kubernetes-embedded-resource");
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var at = ConfigPath.Key(path, key);
                    if (embedded && key is "apiVersion" or "kind")
                    {
                        continue;
                    }

                    if (embedded && key == "metadata" && props?[key]?["properties"] is null)
                    {
                        PruneObjectMeta(obj[key], at, diagnostics);
                        continue;
                    }

                    if (props?[key] is JsonObject propertySchema)
                    {
                        Prune(obj[key], propertySchema, at, false, diagnostics);
                    }
                    else if (additional is JsonObject valueSchema)
                    {
                        Prune(obj[key], valueSchema, at, false, diagnostics);
                    }
                    else if (!preserve && !(additional is JsonValue allow && allow.GetValueKind() == JsonValueKind.True))
                    {
                        diagnostics.Warning(
                            at,
                            $"unknown field '{key}': the API server would silently drop it",
                            props is { Count: > 0 } ? "check the spelling; known fields here: " + string.Join(", ", props.Select(p => p.Key).Take(12)) : "remove it");
                        obj.Remove(key);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], itemSchema, ConfigPath.Index(path, i), false, diagnostics);
                }

                break;
        }
    }

    private static void PruneObjectMeta(JsonNode? metadata, string path, DiagnosticBag diagnostics)
    {
        if (metadata is not JsonObject obj)
        {
            return;
        }

        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (!ObjectMetaFields.Contains(key))
            {
                diagnostics.Warning(ConfigPath.Key(path, key), $"unknown metadata field '{key}': the API server would silently drop it", "use labels or annotations");
                obj.Remove(key);
            }
        }
    }

    private static void Default(JsonNode? node, JsonObject schema, string path, DiagnosticBag diagnostics)
    {
        switch (node)
        {
            case JsonObject obj:
                var props = schema["properties"] as JsonObject;
                if (props is not null)
                {
                    foreach (var (name, ps) in props)
                    {
                        if (ps is JsonObject propertySchema && propertySchema.ContainsKey("default") &&
                            (!obj.ContainsKey(name) || (obj[name] is null && !Flag(propertySchema, "nullable"))))
                        {
                            obj[name] = propertySchema["default"]?.DeepClone();
                        }
                    }
                }

                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var childSchema = props?[key] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (childSchema is null)
                    {
                        continue;
                    }

                    var at = ConfigPath.Key(path, key);
                    if (obj[key] is null)
                    {
                        if (!Flag(childSchema, "nullable"))
                        {
                            diagnostics.Warning(at, $"'{key}' is empty (null); the API server drops it", "give it a value or remove the key");
                            obj.Remove(key);
                        }

                        continue;
                    }

                    Default(obj[key], childSchema, at, diagnostics);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    Default(array[i], itemSchema, ConfigPath.Index(path, i), diagnostics);
                }

                break;
        }
    }

    private void Validate(JsonNode? node, JsonObject schema, string path, bool resourceRoot, DiagnosticBag diagnostics)
    {
        if (node is null)
        {
            if (!Flag(schema, "nullable"))
            {
                diagnostics.Error(path, "must not be null", "give it a value or remove it");
            }

            return;
        }

        if (!CheckType(node, schema, path, diagnostics))
        {
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            diagnostics.Error(path, $"{Show(node)} is not an allowed value", "use one of: " + string.Join(", ", allowed.Select(Show)));
        }

        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, resourceRoot, diagnostics);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, diagnostics);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                ValidateString(value.GetValue<string>(), schema, path, diagnostics);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(value, schema, path, diagnostics);
                break;
        }
    }

    private static bool CheckType(JsonNode node, JsonObject schema, string path, DiagnosticBag diagnostics)
    {
        if (Flag(schema, "x-kubernetes-int-or-string"))
        {
            if (IsInteger(node) || IsKind(node, JsonValueKind.String))
            {
                return true;
            }

            diagnostics.Error(path, $"must be an integer or a string, found {FieldReader.Describe(node)}");
            return false;
        }

        var type = schema["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        var ok = type switch
        {
            null => true,
            "object" => node is JsonObject,
            "array" => node is JsonArray,
            "string" => IsKind(node, JsonValueKind.String),
            "integer" => IsInteger(node),
            "number" => IsKind(node, JsonValueKind.Number),
            "boolean" => IsKind(node, JsonValueKind.True) || IsKind(node, JsonValueKind.False),
            _ => true,
        };
        if (ok)
        {
            return true;
        }

        var found = FieldReader.Describe(node);
        var hint = (type, node) switch
        {
            ("integer" or "number" or "boolean", JsonValue v) when v.GetValueKind() == JsonValueKind.String =>
                "remove the quotes: in YAML a quoted value is a string",
            ("string", JsonValue v) when v.GetValueKind() != JsonValueKind.String => $"quote it: \"{v.ToJsonString()}\"",
            ("integer", _) => "write a whole number",
            _ => null,
        };
        diagnostics.Error(path, $"must be {Article(type!)}, found {found}", hint);
        return false;
    }

    private void ValidateObject(JsonObject obj, JsonObject schema, string path, bool resourceRoot, DiagnosticBag diagnostics)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.ToString()).OfType<string>())
            {
                if (!obj.ContainsKey(name))
                {
                    diagnostics.Error(ConfigPath.Key(path, name), $"required field '{name}' is missing");
                }
            }
        }

        CheckCount(obj.Count, schema, "minProperties", "maxProperties", "fields", path, diagnostics);
        var props = schema["properties"] as JsonObject;
        var embedded = resourceRoot || Flag(schema, "x-kubernetes-embedded-resource");
        foreach (var (key, value) in obj)
        {
            var at = ConfigPath.Key(path, key);
            if (embedded && key == "metadata" && props?[key]?["properties"] is null)
            {
                ValidateObjectMeta(value, at, resourceRoot, diagnostics);
                continue;
            }

            if (props?[key] is JsonObject propertySchema)
            {
                Validate(value, propertySchema, at, false, diagnostics);
            }
            else if (schema["additionalProperties"] is JsonObject valueSchema)
            {
                Validate(value, valueSchema, at, false, diagnostics);
            }
        }

        if (embedded && !resourceRoot)
        {
            foreach (var key in (string[])["apiVersion", "kind"])
            {
                if (obj[key] is not JsonValue v || !v.TryGetValue<string>(out var text) || text.Length == 0)
                {
                    diagnostics.Error(ConfigPath.Key(path, key), $"an embedded resource needs '{key}'");
                }
            }
        }
    }

    private static void ValidateObjectMeta(JsonNode? metadata, string path, bool resourceRoot, DiagnosticBag diagnostics)
    {
        if (metadata is not JsonObject obj)
        {
            diagnostics.Error(path, $"metadata must be a mapping, found {FieldReader.Describe(metadata)}");
            return;
        }

        if (resourceRoot && obj["name"] is null && obj["generateName"] is null)
        {
            diagnostics.Error(ConfigPath.Key(path, "name"), "metadata.name (or generateName) is required");
        }

        foreach (var key in (string[])["name", "generateName", "namespace"])
        {
            if (obj[key] is { } v && !IsKind(v, JsonValueKind.String))
            {
                diagnostics.Error(ConfigPath.Key(path, key), $"must be a string, found {FieldReader.Describe(v)}");
            }
        }

        foreach (var map in (string[])["labels", "annotations"])
        {
            if (obj[map] is null)
            {
                continue;
            }

            if (obj[map] is not JsonObject entries)
            {
                diagnostics.Error(ConfigPath.Key(path, map), $"must be a mapping, found {FieldReader.Describe(obj[map])}");
                continue;
            }

            foreach (var (k, v) in entries)
            {
                if (v is null || !IsKind(v, JsonValueKind.String))
                {
                    diagnostics.Error(ConfigPath.Key(ConfigPath.Key(path, map), k), $"{map} values must be strings, found {FieldReader.Describe(v)}", "quote the value");
                }
            }
        }
    }

    private void ValidateArray(JsonArray array, JsonObject schema, string path, DiagnosticBag diagnostics)
    {
        CheckCount(array.Count, schema, "minItems", "maxItems", "items", path, diagnostics);
        if (schema["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], itemSchema, ConfigPath.Index(path, i), false, diagnostics);
            }
        }

        var listType = schema["x-kubernetes-list-type"]?.ToString();
        if (listType == "set")
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
                {
                    diagnostics.Error(ConfigPath.Index(path, i), $"duplicate entry {Show(array[i])} in a set", "remove the repeated value");
                }
            }
        }
        else if (listType == "map" && schema["x-kubernetes-list-map-keys"] is JsonArray keyNames)
        {
            var names = keyNames.Select(k => k?.ToString()).OfType<string>().ToList();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                var key = string.Join(", ", names.Select(n => $"{n}={(array[i]?[n] is { } v ? Show(v) : "(unset)")}"));
                if (!seen.Add(key))
                {
                    diagnostics.Error(ConfigPath.Index(path, i), $"duplicate entry with {key}", "list entries must be unique by " + string.Join(" and ", names));
                }
            }
        }
    }

    private void ValidateString(string value, JsonObject schema, string path, DiagnosticBag diagnostics)
    {
        var length = value.EnumerateRunes().Count();
        if (Int(schema, "minLength") is { } min && length < min)
        {
            diagnostics.Error(path, $"must be at least {min} characters long");
        }

        if (Int(schema, "maxLength") is { } max && length > max)
        {
            diagnostics.Error(path, $"must be at most {max} characters long, found {length}");
        }

        if (schema["pattern"] is JsonValue p && p.TryGetValue<string>(out var pattern))
        {
            var regex = _patterns.GetOrAdd(pattern, Compile);
            if (regex is not null && !regex.IsMatch(value))
            {
                diagnostics.Error(path, $"\"{value}\" does not match the pattern {pattern}");
            }
        }

        if (schema["format"]?.ToString() == "date-time" && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            diagnostics.Error(path, $"\"{value}\" is not an RFC 3339 date-time");
        }
    }

    private static void ValidateNumber(JsonValue value, JsonObject schema, string path, DiagnosticBag diagnostics)
    {
        if (!double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        var format = schema["format"]?.ToString();
        if (format == "int32" && number is < int.MinValue or > int.MaxValue)
        {
            diagnostics.Error(path, $"{value.ToJsonString()} does not fit in a 32-bit integer");
        }

        if (schema["minimum"] is JsonValue minNode && double.TryParse(minNode.ToJsonString(), CultureInfo.InvariantCulture, out var min) &&
            (number < min || (Flag(schema, "exclusiveMinimum") && number <= min)))
        {
            diagnostics.Error(path, $"must be {(Flag(schema, "exclusiveMinimum") ? "greater than" : "at least")} {minNode.ToJsonString()}, found {value.ToJsonString()}");
        }

        if (schema["maximum"] is JsonValue maxNode && double.TryParse(maxNode.ToJsonString(), CultureInfo.InvariantCulture, out var max) &&
            (number > max || (Flag(schema, "exclusiveMaximum") && number >= max)))
        {
            diagnostics.Error(path, $"must be {(Flag(schema, "exclusiveMaximum") ? "less than" : "at most")} {maxNode.ToJsonString()}, found {value.ToJsonString()}");
        }
    }

    private static void CheckCount(int count, JsonObject schema, string minKey, string maxKey, string what, string path, DiagnosticBag diagnostics)
    {
        if (Int(schema, minKey) is { } min && count < min)
        {
            diagnostics.Error(path, $"needs at least {min} {what}, found {count}");
        }

        if (Int(schema, maxKey) is { } max && count > max)
        {
            diagnostics.Error(path, $"allows at most {max} {what}, found {count}");
        }
    }

    private static Regex? Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // A pattern .NET cannot read (RE2-only syntax) is skipped rather than failing every object.
            return null;
        }
    }

    private static bool IsKind(JsonNode node, JsonValueKind kind) => node is JsonValue v && v.GetValueKind() == kind;

    // Like the API server (go-openapi), a JSON number with no fractional part is an integer, whatever its spelling.
    private static bool IsInteger(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
        decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d);

    private static bool Flag(JsonObject schema, string key) => schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static int? Int(JsonObject schema, string key) =>
        schema[key] is JsonValue v && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? (int)Math.Clamp(l, int.MinValue, int.MaxValue) : null;

    private static string Show(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? $"'{v.GetValue<string>()}'" : node?.ToJsonString() ?? "null";

    private static string Article(string type) => type switch
    {
        "object" => "a mapping (object)",
        "array" => "a list",
        "integer" => "an integer",
        _ => "a " + type,
    };
}
