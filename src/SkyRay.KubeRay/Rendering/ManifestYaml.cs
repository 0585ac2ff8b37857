using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Yaml;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Writes Kubernetes objects as kubectl-applicable YAML, deterministic byte for byte: mapping keys sorted
/// ordinally, two-space indentation, kubectl-style sequences, and every string that a YAML 1.1 or 1.2 reader could
/// take for something else (<c>"2"</c>, <c>"true"</c>, <c>"yes"</c>, <c>"1.0"</c>, <c>"null"</c>, <c>"2024-01-01"</c>)
/// double-quoted. Multi-line strings become literal block scalars. The text reads back through
/// <see cref="YamlJson"/> to the same tree.
/// </summary>
public static partial class ManifestYaml
{
    private const string Indent = "  ";

    // Words YAML 1.1 reads as booleans or null (Go's yaml.v2, PyYAML) even though YAML 1.2 does not.
    private static readonly FrozenSet<string> Yaml11Words = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");

    /// <summary>Serializes objects as a multi-document YAML stream.</summary>
    /// <param name="objects">The objects, written in the order given.</param>
    /// <returns>YAML text ending with a newline.</returns>
    public static string Write(IEnumerable<JsonNode> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var sb = new StringBuilder();
        var first = true;
        foreach (var obj in objects)
        {
            if (!first)
            {
                sb.Append("---\n");
            }

            first = false;
            WriteDocument(sb, obj);
        }

        return sb.ToString();
    }

    /// <summary>Serializes one document (no <c>---</c> separator).</summary>
    /// <param name="node">The tree.</param>
    /// <returns>YAML text ending with a newline.</returns>
    public static string WriteOne(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteDocument(sb, node);
        return sb.ToString();
    }

    private static void WriteDocument(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                WriteMapping(sb, o, 0);
                break;
            case JsonArray a when a.Count > 0:
                WriteSequence(sb, a, 0);
                break;
            default:
                sb.Append(Scalar(node, 0)).Append('\n');
                break;
        }
    }

    private static void WriteMapping(StringBuilder sb, JsonObject obj, int depth)
    {
        var first = true;
        foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // The first key of a mapping inside a sequence item sits on the "- " line.
            if (!first || depth == 0 || sb.Length == 0 || sb[^1] == '\n')
            {
                AppendIndent(sb, depth);
            }

            first = false;
            sb.Append(Key(key)).Append(':');
            WriteValue(sb, value, depth);
        }
    }

    private static void WriteSequence(StringBuilder sb, JsonArray array, int depth)
    {
        foreach (var item in array)
        {
            AppendIndent(sb, depth);
            sb.Append('-');
            switch (item)
            {
                case JsonObject o when o.Count > 0:
                    sb.Append(' ');
                    WriteMapping(sb, o, depth + 1);
                    break;
                case JsonArray a when a.Count > 0:
                    sb.Append('\n');
                    WriteSequence(sb, a, depth + 1);
                    break;
                default:
                    sb.Append(' ').Append(Scalar(item, depth + 1)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode? value, int depth)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                sb.Append('\n');
                WriteMapping(sb, o, depth + 1);
                break;
            case JsonArray a when a.Count > 0:
                // kubectl style: a sequence under a key is not indented further.
                sb.Append('\n');
                WriteSequence(sb, a, depth);
                break;
            default:
                sb.Append(' ').Append(Scalar(value, depth + 1)).Append('\n');
                break;
        }
    }

    private static void AppendIndent(StringBuilder sb, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            sb.Append(Indent);
        }
    }

    private static string Key(string key) => IsPlainSafe(key) ? key : Quote(key);

    private static string Scalar(JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "{}";
            case JsonArray:
                return "[]";
        }

        var value = (JsonValue)node;
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Number:
                return Number(value);
            case JsonValueKind.String:
                return String(value.GetValue<string>(), depth);
            default:
                return "null";
        }
    }

    private static string Number(JsonValue value)
    {
        // Numbers parsed from JSON text keep their own spelling; only CLR doubles need a float form.
        if (value.TryGetValue<JsonElement>(out _))
        {
            return value.ToJsonString();
        }

        double? floating = value.TryGetValue<double>(out var d) ? d : value.TryGetValue<float>(out var f) ? f : null;
        if (floating is { } x)
        {
            d = x;
            // A float stays a float when read back: 100.0, not 100.
            var text = d.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text.Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal) : text + ".0";
        }

        return value.ToJsonString();
    }

    private static string String(string s, int depth)
    {
        if (s.Contains('\n', StringComparison.Ordinal) && CanBlock(s))
        {
            return Block(s, depth);
        }

        return IsPlainSafe(s) ? s : Quote(s);
    }

    /// <summary>A literal block scalar: <c>|</c> (one final newline), <c>|-</c> (none) or <c>|+</c> (more).</summary>
    private static string Block(string s, int depth)
    {
        var trimmed = s.TrimEnd('\n');
        var trailing = s.Length - trimmed.Length;
        var chomp = trailing switch { 0 => "-", 1 => "", _ => "+" };
        var indicator = s.StartsWith(' ') || s.StartsWith('\n') ? "2" : "";
        var sb = new StringBuilder("|").Append(indicator).Append(chomp);
        var body = trailing > 1 ? s[..^1] : trimmed;
        var pad = string.Concat(Enumerable.Repeat(Indent, Math.Max(depth, 1)));
        foreach (var line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0)
            {
                sb.Append(pad).Append(line);
            }
        }

        return sb.ToString();
    }

    // Block scalars cannot hold carriage returns or other control characters, nor trailing spaces that a reader
    // could strip; such strings are double-quoted instead.
    private static bool CanBlock(string s) =>
        s.All(ch => ch == '\n' || ch == '\t' || !char.IsControl(ch)) &&
        !s.Split('\n').Any(line => line.Length > 0 && line.Trim().Length == 0) &&
        !s.Contains('\uFEFF', StringComparison.Ordinal);

    private static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || !PlainPattern().IsMatch(s) || s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':') || s.EndsWith(' '))
        {
            return false;
        }

        // Anything starting like a number, date or sign is quoted: YAML 1.1 readers take 0755, 1_000, 1:30 and
        // 2024-01-01 for numbers or timestamps even where YAML 1.2 would not.
        if (char.IsDigit(s[0]) || s[0] is '-' or '+' or '.')
        {
            return false;
        }

        return !Yaml11Words.Contains(s) && YamlJson.TypePlainScalar(s) is JsonValue v && v.GetValueKind() == JsonValueKind.String;
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                default:
                    if (char.IsControl(ch) || ch is '\uFEFF' or '\u2028' or '\u2029' or '\u0085')
                    {
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    // Letters, digits and a few punctuation marks that are never YAML indicators in the middle of a plain scalar.
    [GeneratedRegex(@"^[A-Za-z0-9_./\-][A-Za-z0-9_./\-=+:@()$, ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainPattern();
}
