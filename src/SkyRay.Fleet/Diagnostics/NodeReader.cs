using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Diagnostics;

/// <summary>
/// Small typed reads of <see cref="JsonNode"/> trees that report a located error instead of throwing.
/// Works for trees from <c>YamlJson</c> and from <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> alike.
/// </summary>
internal static class NodeReader
{
    /// <summary>
    /// Joins a config path and a key: <c>a.b</c>, or <c>a["x.y"]</c> when the key has dots or spaces.
    /// A path ending in ':' (a file's document, <c>policies.yaml:</c>) takes the key right after it.
    /// </summary>
    public static string Child(string path, string key)
    {
        var simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (path.EndsWith(':'))
        {
            return simple ? path + key : $"{path}[\"{key}\"]";
        }

        return simple ? $"{path}.{key}" : $"{path}[\"{key}\"]";
    }

    /// <summary>Path of an array element.</summary>
    public static string Item(string path, int index) => $"{path}[{index}]";

    /// <summary>Describes a node's type for messages.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String when YamlJson.IsSpecialFloat(node.GetValue<string>()) => $"the float {node.GetValue<string>()}",
            JsonValueKind.String => $"the text '{KubernetesNames.Shorten(node.GetValue<string>())}'",
            JsonValueKind.Number => $"the number {KubernetesNames.Shorten(node.ToJsonString())}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {node.ToJsonString()}",
            _ => node.ToJsonString(),
        },
    };

    public static bool IsString(JsonNode? node) => node is JsonValue && node.GetValueKind() == JsonValueKind.String;

    public static bool IsNumber(JsonNode? node) => node is JsonValue && node.GetValueKind() == JsonValueKind.Number;

    public static string? String(JsonNode? node, string path, DiagnosticBag diagnostics, bool required = true)
    {
        if (node is null)
        {
            if (required)
            {
                diagnostics.Error(path, "is missing", "give it a value");
            }

            return null;
        }

        if (!IsString(node))
        {
            diagnostics.Error(path, $"must be text, found {Describe(node)}", "quote the value");
            return null;
        }

        var value = node.GetValue<string>();
        if (required && value.Length == 0)
        {
            diagnostics.Error(path, "must not be empty");
            return null;
        }

        return value;
    }

    public static decimal? Number(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        if (node is null)
        {
            diagnostics.Error(path, "is missing", "give it a number");
            return null;
        }

        if (!IsNumber(node))
        {
            diagnostics.Error(path, $"must be a number, found {Describe(node)}", "write a plain number without quotes");
            return null;
        }

        if (!decimal.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            diagnostics.Error(path, $"is out of range, found {Describe(node)}", "write a smaller number");
            return null;
        }

        return value;
    }

    public static int? Integer(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        var value = Number(node, path, diagnostics);
        if (value is null)
        {
            return null;
        }

        if (value != decimal.Truncate(value.Value) || value < int.MinValue || value > int.MaxValue)
        {
            diagnostics.Error(path, $"must be a whole number, found {KubernetesNames.Shorten(node!.ToJsonString())}");
            return null;
        }

        return (int)value.Value;
    }
}
