using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Api;

namespace SkyRay.KubeRay.Validation;

/// <summary>
/// The API server's handling of a custom resource against a structural schema, in its order:
/// (1) prune fields the schema does not know (unless <c>x-kubernetes-preserve-unknown-fields</c>), keeping
/// <c>apiVersion</c>/<c>kind</c>/<c>metadata</c> at the root and in <c>x-kubernetes-embedded-resource</c> objects;
/// (2) apply <c>default</c>s, also where a non-nullable field is null; drop the remaining nulls of non-nullable
/// fields; (3) validate the result: keywords by JsonSchema.Net (<see cref="KeywordValidator"/>), list-map key
/// uniqueness here (<see cref="CheckListMapKeys"/>). Pruning and null-dropping are warnings (the server does them
/// silently); validation failures are errors (the server rejects the object).
/// </summary>
internal static class StructuralValidator
{
    private static readonly FrozenSet<string> ObjectMetaFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "annotations", "creationTimestamp", "deletionGracePeriodSeconds", "deletionTimestamp", "finalizers", "generateName",
        "generation", "labels", "managedFields", "name", "namespace", "ownerReferences", "resourceVersion", "selfLink", "uid");

    /// <summary>Steps (1) and (2): the object as the API server holds it before validation (a copy; the input is unchanged).</summary>
    public static JsonNode Normalize(JsonNode node, JsonObject schema, string path, bool root, DiagnosticBag diagnostics)
    {
        var copy = node.DeepClone();
        Prune(copy, schema, path, root, diagnostics);
        Default(copy, schema, path, diagnostics);
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

                    if (embedded && key == "metadata" && (props?[key] as JsonObject)?["properties"] is null)
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

    /// <summary>
    /// <c>x-kubernetes-list-type: map</c>: entries must be unique by their <c>x-kubernetes-list-map-keys</c>, compared after
    /// defaulting. JSON Schema has no keyword for this, so it stays here; everything else is JsonSchema.Net's.
    /// </summary>
    public static void CheckListMapKeys(JsonNode? node, JsonObject schema, string path, DiagnosticBag diagnostics)
    {
        switch (node)
        {
            case JsonObject obj:
                var props = schema["properties"] as JsonObject;
                foreach (var (key, value) in obj)
                {
                    if ((props?[key] ?? schema["additionalProperties"]) is JsonObject childSchema)
                    {
                        CheckListMapKeys(value, childSchema, ConfigPath.Key(path, key), diagnostics);
                    }
                }

                break;
            case JsonArray array:
                if (schema["items"] is JsonObject itemSchema)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        CheckListMapKeys(array[i], itemSchema, ConfigPath.Index(path, i), diagnostics);
                    }
                }

                if (schema["x-kubernetes-list-type"]?.ToString() == "map" && schema["x-kubernetes-list-map-keys"] is JsonArray keyNames)
                {
                    var names = keyNames.Select(k => k?.ToString()).OfType<string>().ToList();
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    for (var i = 0; i < array.Count; i++)
                    {
                        var key = string.Join(", ", names.Select(n => $"{n}={((array[i] as JsonObject)?[n] is { } v ? Show(v) : "(unset)")}"));
                        if (!seen.Add(key))
                        {
                            diagnostics.Error(ConfigPath.Index(path, i), $"duplicate entry with {key}", "list entries must be unique by " + string.Join(" and ", names));
                        }
                    }
                }

                break;
        }
    }

    private static bool Flag(JsonObject schema, string key) => schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static string Show(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? $"'{v.GetValue<string>()}'" : node?.ToJsonString() ?? "null";
}
