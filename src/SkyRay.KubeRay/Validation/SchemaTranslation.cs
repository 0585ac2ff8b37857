using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SkyRay.KubeRay.Validation;

/// <summary>
/// Translates a CRD's structural schema (OpenAPI v3.0 with Kubernetes extensions) into a JSON Schema 2020-12 document
/// that says what the API server checks after pruning and defaulting:
/// <list type="bullet">
/// <item><c>nullable: true</c> → <c>type: [t, "null"]</c> (and <c>null</c> added to an <c>enum</c>);</item>
/// <item><c>x-kubernetes-int-or-string</c> → <c>anyOf: [{type: integer}, {type: string}]</c> (the CRD's own copy of that
/// anyOf is not repeated);</item>
/// <item><c>x-kubernetes-preserve-unknown-fields</c>: unknown keys allowed (JSON Schema's default), known ones still checked;</item>
/// <item><c>x-kubernetes-embedded-resource</c>: <c>apiVersion</c> and <c>kind</c> required non-empty strings, and
/// <c>metadata</c> checked as ObjectMeta (name, generateName, namespace strings; labels and annotations string maps),
/// also at the resource root, where <c>metadata.name</c> or <c>generateName</c> is required;</item>
/// <item><c>x-kubernetes-list-type: set</c> → <c>uniqueItems</c>;</item>
/// <item><c>enum</c>, <c>format</c>, <c>minimum</c>/<c>maximum</c> (OpenAPI's boolean <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>
/// become 2020-12's numeric ones), <c>multipleOf</c>, lengths, <c>pattern</c>, item and property counts, <c>required</c>,
/// <c>properties</c>, <c>additionalProperties</c>, <c>items</c>, <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>/<c>not</c> carried over.</item>
/// </list>
/// Formats: <c>date-time</c> is checked by JsonSchema.Net; <c>int32</c> / <c>int64</c> stay in the document (JsonSchema.Net
/// passes formats it does not know) and become range bounds, as go-openapi checks them. Other formats are left out:
/// JSON Schema gives some of them other meanings than Kubernetes (<c>duration</c> is ISO 8601 there, Go syntax here).
/// A <c>pattern</c> .NET cannot compile (RE2-only syntax) is left out rather than failing every object.
/// Not translated: <c>default</c> (applied before, by <see cref="StructuralValidator"/>), <c>x-kubernetes-list-type: map</c>
/// key uniqueness (no JSON Schema keyword; checked by <see cref="StructuralValidator"/>), CEL rules.
/// </summary>
internal static class SchemaTranslation
{
    /// <summary><c>$comment</c> prefix marking the range bound a <c>format</c> (int32, int64) stands for.</summary>
    public const string FormatBound = "format bound ";

    private static readonly JsonObject ObjectMeta = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject { ["type"] = "string" },
            ["generateName"] = new JsonObject { ["type"] = "string" },
            ["namespace"] = new JsonObject { ["type"] = "string" },
            ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            ["annotations"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
        },
    };

    /// <summary>Translates a structural schema.</summary>
    /// <param name="schema">The structural schema (e.g. a version's <c>openAPIV3Schema</c>, or its <c>spec</c> property).</param>
    /// <param name="resourceRoot">True for the schema of a whole object (apiVersion, kind, metadata at its root).</param>
    /// <returns>The JSON Schema document.</returns>
    public static JsonObject Translate(JsonObject schema, bool resourceRoot)
    {
        var result = Node(schema, resourceRoot);
        result["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return result;
    }

    /// <summary>True when a translated schema is the int-or-string pair.</summary>
    public static bool IsIntOrString(JsonObject translated) =>
        translated["anyOf"] is JsonArray { Count: 2 } branches &&
        branches[0] is JsonObject a && a["type"]?.ToString() == "integer" &&
        branches[1] is JsonObject b && b["type"]?.ToString() == "string";

    private static JsonObject Node(JsonObject schema, bool resourceRoot)
    {
        var result = new JsonObject();
        var nullable = Flag(schema, "nullable");
        var intOrString = Flag(schema, "x-kubernetes-int-or-string");
        if (intOrString)
        {
            var branches = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
            if (nullable)
            {
                branches.Add(new JsonObject { ["type"] = "null" });
            }

            result["anyOf"] = branches;
        }
        else if (schema["type"] is JsonValue t && t.TryGetValue<string>(out var type))
        {
            result["type"] = nullable ? new JsonArray(type, "null") : type;
        }

        if (schema["enum"] is JsonArray allowed)
        {
            var values = new JsonArray([.. allowed.Select(a => a?.DeepClone())]);
            if (nullable && !values.Any(v => v is null))
            {
                values.Add(null);
            }

            result["enum"] = values;
        }

        CopyNumbers(schema, result);
        foreach (var key in (string[])["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "multipleOf"])
        {
            if (schema[key] is JsonValue v)
            {
                result[key] = v.DeepClone();
            }
        }

        if (schema["pattern"] is JsonValue p && p.TryGetValue<string>(out var pattern) && Compiles(pattern))
        {
            result["pattern"] = pattern;
        }

        var required = new List<string>();
        if (schema["required"] is JsonArray names)
        {
            required.AddRange(names.Select(n => n?.ToString()).OfType<string>());
        }

        var embedded = resourceRoot || Flag(schema, "x-kubernetes-embedded-resource");
        var properties = new JsonObject();
        var props = schema["properties"] as JsonObject;
        if (props is not null)
        {
            foreach (var (name, ps) in props)
            {
                if (ps is JsonObject propertySchema)
                {
                    properties[name] = Node(propertySchema, resourceRoot: false);
                }
            }
        }

        if (embedded)
        {
            // apiVersion, kind and metadata of an embedded object are the API server's, whatever the schema says.
            foreach (var name in (string[])["apiVersion", "kind"])
            {
                properties[name] ??= new JsonObject { ["type"] = "string" };
                if (!resourceRoot)
                {
                    ((JsonObject)properties[name]!)["minLength"] = 1;
                    required.Add(name);
                }
            }

            if ((props?["metadata"] as JsonObject)?["properties"] is null)
            {
                var meta = (JsonObject)ObjectMeta.DeepClone();
                if (resourceRoot)
                {
                    meta["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("name") }, new JsonObject { ["required"] = new JsonArray("generateName") });
                }

                properties["metadata"] = meta;
            }
        }

        if (properties.Count > 0)
        {
            result["properties"] = properties;
        }

        if (required.Count > 0)
        {
            result["required"] = new JsonArray([.. required.Distinct(StringComparer.Ordinal).Select(r => (JsonNode)r)]);
        }

        switch (schema["additionalProperties"])
        {
            case JsonObject valueSchema:
                result["additionalProperties"] = Node(valueSchema, resourceRoot: false);
                break;
            case JsonValue allow when allow.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                result["additionalProperties"] = allow.DeepClone();
                break;
        }

        if (schema["items"] is JsonObject itemSchema)
        {
            result["items"] = Node(itemSchema, resourceRoot: false);
        }

        if (schema["x-kubernetes-list-type"]?.ToString() == "set")
        {
            result["uniqueItems"] = true;
        }

        foreach (var key in (string[])["allOf", "anyOf", "oneOf"])
        {
            // The CRD's own int-or-string anyOf is the pair written above.
            if (schema[key] is JsonArray list && !(intOrString && key == "anyOf"))
            {
                if (result[key] is not JsonArray translated)
                {
                    translated = [];
                    result[key] = translated;
                }

                foreach (var sub in list.OfType<JsonObject>())
                {
                    translated.Add(Node(sub, resourceRoot: false));
                }
            }
        }

        if (schema["not"] is JsonObject not)
        {
            result["not"] = Node(not, resourceRoot: false);
        }

        return result;
    }

    private static void CopyNumbers(JsonObject schema, JsonObject result)
    {
        var format = schema["format"]?.ToString();
        decimal? min = Number(schema["minimum"]);
        decimal? max = Number(schema["maximum"]);
        if (min is { } lo)
        {
            result[Flag(schema, "exclusiveMinimum") ? "exclusiveMinimum" : "minimum"] = lo;
        }

        if (max is { } hi)
        {
            result[Flag(schema, "exclusiveMaximum") ? "exclusiveMaximum" : "maximum"] = hi;
        }

        switch (format)
        {
            case "int32" or "int64":
                // Kept as a marker for messages (JsonSchema.Net passes unknown formats); the range is an allOf bound.
                result["format"] = format;
                var (fmin, fmax) = format == "int32" ? ((decimal)int.MinValue, (decimal)int.MaxValue) : (long.MinValue, (decimal)long.MaxValue);
                result["allOf"] = new JsonArray(new JsonObject { ["$comment"] = FormatBound + format, ["minimum"] = fmin, ["maximum"] = fmax });
                break;
            case "date-time":
                result["format"] = format;
                break;
        }
    }

    private static decimal? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
        decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    private static bool Compiles(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool Flag(JsonObject schema, string key) => schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}
