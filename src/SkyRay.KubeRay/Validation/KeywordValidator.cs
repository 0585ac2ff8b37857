using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Api;

namespace SkyRay.KubeRay.Validation;

/// <summary>
/// The keyword validation of one CRD schema, by JsonSchema.Net: the structural schema translated once
/// (<see cref="SchemaTranslation"/>), each pruned and defaulted object evaluated with output format List, and every
/// error mapped to its instance path in SkyRay's diagnostics format (<c>skyray:workloads.c.spec.workerGroupSpecs[0].replicas</c>).
/// Errors inside an <c>anyOf</c>/<c>oneOf</c> become one finding for the whole alternative (e.g. "must be an integer or
/// a string"), and failures of alternatives that did not matter (a branch of a satisfied <c>anyOf</c>) are dropped.
/// </summary>
internal sealed class KeywordValidator
{
    private readonly JsonObject _document;
    private readonly JsonSchema _schema;
    private readonly EvaluationOptions _options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>Builds the JSON Schema from a translated document.</summary>
    /// <param name="document">A document from <see cref="SchemaTranslation.Translate"/>.</param>
    public KeywordValidator(JsonObject document)
    {
        _document = document;
        _schema = JsonSchema.FromText(document.ToJsonString());
    }

    /// <summary>Evaluates an object (after pruning and defaulting) and reports each violation as an error at its path.</summary>
    /// <param name="instance">The object as the API server would hold it before validation.</param>
    /// <param name="path">Config path of <paramref name="instance"/>.</param>
    /// <param name="diagnostics">Where errors go.</param>
    public void Evaluate(JsonNode? instance, string path, DiagnosticBag diagnostics)
    {
        var results = _schema.Evaluate(instance, _options);
        if (results.IsValid)
        {
            return;
        }

        var nodes = results.Details.Count > 0 ? results.Details : [results];
        var valid = nodes.Where(n => n.IsValid)
            .Select(n => (Inst: Segments(n.InstanceLocation.ToString()), Eval: Segments(n.EvaluationPath.ToString())))
            .Select(n => Key(Join(n.Inst, n.Inst.Length), Join(n.Eval, n.Eval.Length)))
            .ToHashSet(StringComparer.Ordinal);
        var alternatives = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.Errors is not { Count: > 0 } errors)
            {
                continue;
            }

            var eval = Segments(node.EvaluationPath.ToString());
            var inst = Segments(node.InstanceLocation.ToString());
            if (!Relevant(eval, inst, valid, out var alternative))
            {
                continue;
            }

            if (alternative is { } alt)
            {
                // One finding per anyOf / oneOf, however many branches failed.
                if (alternatives.Add(Key(Join(inst, alt.InstanceDepth), Join(eval, alt.EvalDepth))))
                {
                    ReportAlternative(instance, inst.Take(alt.InstanceDepth).ToArray(), eval.Take(alt.EvalDepth).ToArray(), path, diagnostics);
                }

                continue;
            }

            var schema = SchemaAt(eval);
            var (at, value) = Locate(instance, inst, path);
            foreach (var (keyword, message) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Report(keyword, message, schema, value, at, diagnostics);
            }
        }
    }

    private readonly record struct Alternative(int EvalDepth, int InstanceDepth);

    /// <summary>
    /// False when a schema on the way to the error was satisfied (e.g. the error is in a failed branch of an anyOf
    /// that another branch satisfied). <paramref name="alternative"/> is the outermost anyOf / oneOf on the way.
    /// </summary>
    private static bool Relevant(string[] eval, string[] inst, HashSet<string> valid, out Alternative? alternative)
    {
        alternative = null;
        var instanceDepth = 0;
        for (var i = 0; i < eval.Length;)
        {
            if (valid.Contains(Key(Join(inst, instanceDepth), Join(eval, i))))
            {
                return false;
            }

            switch (eval[i])
            {
                case "properties" when i + 1 < eval.Length:
                    instanceDepth++;
                    i += 2;
                    break;
                case "additionalProperties" or "items":
                    instanceDepth++;
                    i += 1;
                    break;
                case "anyOf" or "oneOf" when i + 1 < eval.Length:
                    alternative ??= new Alternative(i, instanceDepth);
                    i += 2;
                    break;
                case "allOf" when i + 1 < eval.Length:
                    i += 2;
                    break;
                case "not":
                    i += 1;
                    break;
                default:
                    i = eval.Length;
                    break;
            }
        }

        return true;
    }

    private void ReportAlternative(JsonNode? instance, string[] inst, string[] eval, string path, DiagnosticBag diagnostics)
    {
        var schema = SchemaAt(eval);
        var (at, value) = Locate(instance, inst, path);
        if (SchemaTranslation.IsIntOrString(schema))
        {
            diagnostics.Error(at, $"must be an integer or a string, found {FieldReader.Describe(value)}", Hint("string", value));
            return;
        }

        var branches = (schema["anyOf"] ?? schema["oneOf"]) as JsonArray ?? [];
        var requiredOnly = branches.OfType<JsonObject>().Select(b => b.Count == 1 && b["required"] is JsonArray { Count: 1 } r ? r[0]?.ToString() : null).ToList();
        if (requiredOnly.Count > 0 && requiredOnly.All(n => n is not null))
        {
            // ObjectMeta at a resource root: name or generateName.
            diagnostics.Error(ConfigPath.Key(at, requiredOnly[0]!), $"one of {string.Join(", ", requiredOnly)} is required");
            return;
        }

        var which = schema.ContainsKey("oneOf") ? "exactly one" : "at least one";
        diagnostics.Error(at, $"{Show(value)} matches none of the allowed forms (it must match {which} of {branches.Count})", "see the CRD's schema for this field");
    }

    private static void Report(string keyword, string message, JsonObject schema, JsonNode? value, string at, DiagnosticBag diagnostics)
    {
        switch (keyword)
        {
            case "type":
                var type = schema["type"] switch
                {
                    JsonArray types => types.Select(t => t?.ToString()).FirstOrDefault(t => t != "null") ?? "null",
                    { } t => t.ToString(),
                    _ => "?",
                };
                diagnostics.Error(at, $"must be {Article(type)}{(schema["type"] is JsonArray ? " or null" : "")}, found {FieldReader.Describe(value)}", Hint(type, value));
                break;
            case "enum":
                var allowed = schema["enum"] as JsonArray ?? [];
                diagnostics.Error(at, $"{Show(value)} is not an allowed value", "use one of: " + string.Join(", ", allowed.Select(Show)));
                break;
            case "required":
                var names = (schema["required"] as JsonArray ?? []).Select(r => r?.ToString()).OfType<string>();
                foreach (var name in names.Where(n => value is JsonObject o && !o.ContainsKey(n)))
                {
                    diagnostics.Error(ConfigPath.Key(at, name), $"required field '{name}' is missing");
                }

                break;
            case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                if (schema["$comment"]?.ToString() is { } comment && comment.StartsWith(SchemaTranslation.FormatBound, StringComparison.Ordinal))
                {
                    var format = comment[SchemaTranslation.FormatBound.Length..];
                    diagnostics.Error(at, $"{Show(value)} does not fit in a {(format == "int32" ? "32" : "64")}-bit integer (format {format})");
                    break;
                }

                var bound = schema[keyword]?.ToJsonString();
                var words = keyword switch
                {
                    "minimum" => "at least",
                    "maximum" => "at most",
                    "exclusiveMinimum" => "greater than",
                    _ => "less than",
                };
                diagnostics.Error(at, $"must be {words} {bound}, found {Show(value)}");
                break;
            case "minLength" or "maxLength":
                var length = value is JsonValue v && v.TryGetValue<string>(out var text) ? text.EnumerateRunes().Count() : 0;
                diagnostics.Error(at, $"must be {(keyword == "minLength" ? "at least" : "at most")} {schema[keyword]?.ToJsonString()} characters long, found {length}");
                break;
            case "pattern":
                diagnostics.Error(at, $"{Show(value)} does not match the pattern {schema["pattern"]}");
                break;
            case "format":
                var what = schema["format"]?.ToString() == "date-time" ? "an RFC 3339 date-time" : $"a valid {schema["format"]}";
                diagnostics.Error(at, $"{Show(value)} is not {what}");
                break;
            case "minItems" or "maxItems" or "minProperties" or "maxProperties":
                var count = value switch
                {
                    JsonArray a => a.Count,
                    JsonObject o => o.Count,
                    _ => 0,
                };
                var unit = keyword.EndsWith("Items", StringComparison.Ordinal) ? "items" : "fields";
                diagnostics.Error(at, $"{(keyword.StartsWith("min", StringComparison.Ordinal) ? "needs at least" : "allows at most")} {schema[keyword]?.ToJsonString()} {unit}, found {count}");
                break;
            case "uniqueItems" when value is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
                    {
                        diagnostics.Error(ConfigPath.Index(at, i), $"duplicate entry {Show(array[i])} in a set", "remove the repeated value");
                    }
                }

                break;
            default:
                diagnostics.Error(at, $"{keyword}: {message}");
                break;
        }
    }

    /// <summary>The translated schema an evaluation path leads to (the document itself for the root).</summary>
    private JsonObject SchemaAt(IEnumerable<string> eval)
    {
        JsonNode? node = _document;
        foreach (var segment in eval)
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node as JsonObject ?? [];
    }

    /// <summary>The config path and value an instance location points at, indices written as <c>[i]</c>.</summary>
    private static (string Path, JsonNode? Value) Locate(JsonNode? instance, string[] inst, string path)
    {
        var node = instance;
        foreach (var segment in inst)
        {
            if (node is JsonArray array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count)
            {
                path = ConfigPath.Index(path, i);
                node = array[i];
            }
            else
            {
                path = ConfigPath.Key(path, segment);
                node = (node as JsonObject)?[segment];
            }
        }

        return (path, node);
    }

    private static string[] Segments(string pointer) =>
        pointer.Length == 0 ? [] : [.. pointer.TrimStart('#').TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static string Join(string[] segments, int count) => string.Join('/', segments.Take(count));

    private static string Key(string instance, string eval) => instance + "|" + eval;

    private static string? Hint(string type, JsonNode? value) => (type, value) switch
    {
        ("integer" or "number" or "boolean", JsonValue v) when v.GetValueKind() == JsonValueKind.String => "remove the quotes: in YAML a quoted value is a string",
        ("string", JsonValue v) when v.GetValueKind() != JsonValueKind.String => $"quote it: \"{v.ToJsonString()}\"",
        ("integer", _) => "write a whole number",
        _ => null,
    };

    private static string Show(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? $"'{v.GetValue<string>()}'" : node?.ToJsonString() ?? "null";

    private static string Article(string type) => type switch
    {
        "object" => "a mapping (object)",
        "array" => "a list",
        "integer" => "an integer",
        _ => "a " + type,
    };
}
