using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SkyRay.Fleet.Yaml;

/// <summary>
/// Writes <see cref="JsonNode"/> trees as block-style YAML text, for KubeRay fields that hold YAML as a string
/// (<c>runtimeEnvYAML</c>, <c>serveConfigV2</c>). Strings that YAML 1.2 would read as another type are quoted,
/// so <see cref="YamlJson"/> reads the text back to the same tree.
/// </summary>
public static class YamlText
{
    /// <summary>Writes one document without the <c>---</c> and <c>...</c> markers.</summary>
    /// <param name="node">The tree.</param>
    /// <returns>The YAML text, ending with a newline.</returns>
    public static string Write(JsonNode? node) => TryWriteSimple(node) ?? WriteWithEmitter(node);

    /// <summary>The text YamlDotNet's emitter writes for <paramref name="node"/> (the reference for <see cref="TryWriteSimple"/>).</summary>
    internal static string WriteWithEmitter(JsonNode? node)
    {
        using var writer = new StringWriter();
        var emitter = new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024, false, false, "\n", false));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(Emitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                var kind = node.GetValueKind();
                if (kind == JsonValueKind.String)
                {
                    EmitString(emitter, node.Deserialize<string>() ?? "");
                }
                else
                {
                    // Numbers and booleans: their JSON text is also their YAML 1.2 core-schema text.
                    emitter.Emit(new Scalar(null, null, node.ToJsonString(), ScalarStyle.Plain, true, false));
                }

                break;
        }
    }

    /// <summary>
    /// The text <see cref="WriteWithEmitter"/> gives, written directly, for the trees most configs are: a non-empty mapping
    /// of non-empty mappings, lists of scalars or mappings, and short ASCII scalars that need no quoting or only the
    /// double quotes that keep "1" or "true" a string. Null for anything else (the emitter then writes it). The emitter
    /// analyses every scalar and allocates per event; a RayService's serveConfigV2 is written once per workload read.
    /// Tests compare the two on random trees.
    /// </summary>
    internal static string? TryWriteSimple(JsonNode? node)
    {
        if (node is not JsonObject { Count: > 0 } root)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        return SimpleMapping(root, 0, text, firstInline: false) ? text.ToString() : null;
    }

    private static bool SimpleMapping(JsonObject map, int indent, System.Text.StringBuilder text, bool firstInline)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!(first && firstInline))
            {
                text.Append(' ', indent);
            }

            first = false;
            if (!SimpleScalar(key, text))
            {
                return false;
            }

            text.Append(':');
            switch (value)
            {
                case JsonObject { Count: > 0 } child:
                    text.Append('\n');
                    if (!SimpleMapping(child, indent + 2, text, firstInline: false))
                    {
                        return false;
                    }

                    break;
                case JsonArray { Count: > 0 } list:
                    // A list as a mapping's value starts at the key's own column (sequences are not indented).
                    text.Append('\n');
                    if (!SimpleSequence(list, indent, text))
                    {
                        return false;
                    }

                    break;
                case JsonObject or JsonArray:
                    return false;
                default:
                    text.Append(' ');
                    if (!SimpleValue(value, text))
                    {
                        return false;
                    }

                    text.Append('\n');
                    break;
            }
        }

        return true;
    }

    private static bool SimpleSequence(JsonArray list, int indent, System.Text.StringBuilder text)
    {
        foreach (var item in list)
        {
            text.Append(' ', indent).Append("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } map:
                    // "- first: 1" then the other keys under "first".
                    if (!SimpleMapping(map, indent + 2, text, firstInline: true))
                    {
                        return false;
                    }

                    break;
                case JsonObject or JsonArray:
                    return false;
                default:
                    if (!SimpleValue(item, text))
                    {
                        return false;
                    }

                    text.Append('\n');
                    break;
            }
        }

        return true;
    }

    private static bool SimpleValue(JsonNode? value, System.Text.StringBuilder text)
    {
        if (value is null)
        {
            text.Append("null");
            return true;
        }

        var kind = value.GetValueKind();
        if (kind == JsonValueKind.String)
        {
            return value is JsonValue v && v.TryGetValue<string>(out var s) && SimpleScalar(s, text);
        }

        // Numbers and true/false: their JSON text, plain (as Emit writes them), when it is one of JSON's usual forms.
        var json = value.ToJsonString();
        if (json.Length == 0 || json.Length > 64 || json.AsSpan().ContainsAnyExcept(NumberOrWordCharacters))
        {
            return false;
        }

        text.Append(json);
        return true;
    }

    /// <summary>
    /// A string scalar as <see cref="EmitString"/> has the emitter write it: plain when it is made of letters, digits and
    /// a few safe marks (a ':' only before another such character), double-quoted when YAML would type the plain text
    /// as something else (and the text needs no escape); false for everything else.
    /// </summary>
    private static bool SimpleScalar(string value, System.Text.StringBuilder text)
    {
        if (value.Length == 0 || value.Length > 128 || value.AsSpan().ContainsAnyExcept(SafeCharacters))
        {
            return false;
        }

        var typed = YamlJson.TypePlainScalar(value);
        if (!(typed is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            text.Append('"').Append(value).Append('"');
            return true;
        }

        if (!char.IsAsciiLetterOrDigit(value[0]) || value[^1] is ' ' or ':' || value.Contains(": ", StringComparison.Ordinal) || YamlJson.IsSpecialFloat(value))
        {
            return false;
        }

        text.Append(value);
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> SafeCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./: ");

    private static readonly System.Buffers.SearchValues<char> NumberOrWordCharacters =
        System.Buffers.SearchValues.Create("0123456789+-.eEtrufals");

    private static void EmitString(Emitter emitter, string value)
    {
        // A plain scalar that YAML would type as null, a bool or a number must be quoted to stay a string.
        var typed = YamlJson.TypePlainScalar(value);
        var staysString = typed is JsonValue v && v.GetValueKind() == JsonValueKind.String;
        var style = !staysString ? ScalarStyle.DoubleQuoted
            : value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, value, style, true, true));
    }
}
