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
    public static string Write(JsonNode? node)
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
