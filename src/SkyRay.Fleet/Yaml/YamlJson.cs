using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SkyRay.Fleet.Yaml;

/// <summary>
/// Reads YAML into <see cref="JsonNode"/> trees with YAML 1.2 core-schema typing: a bare <c>2</c> is an
/// integer, <c>"2"</c> a string, <c>yes</c> a string (not a boolean as in YAML 1.1). YamlDotNet does
/// not type scalars itself, so every config, policy file and KubeRay manifest goes through here.
/// </summary>
public static partial class YamlJson
{
    /// <summary>Deepest nesting accepted; deeper input is reported, not followed (guards against stack overflow).</summary>
    public const int MaxDepth = 200;

    /// <summary>Most nodes one document may expand to (guards against alias bombs).</summary>
    public const int MaxNodes = 2_000_000;

    /// <summary>
    /// Parses every document of <paramref name="text"/>. Syntax errors are reported at
    /// <paramref name="source"/> with line and column, and yield no documents.
    /// </summary>
    /// <param name="text">YAML text, possibly several documents separated by <c>---</c>.</param>
    /// <param name="source">Name used in diagnostics (a file path or config key).</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>One tree per document (null for an empty document); empty on a syntax error.</returns>
    public static IReadOnlyList<JsonNode?> ParseDocuments(string text, string source, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        // YamlDotNet recurses per flow level while scanning, so tens of thousands of '[' overflow the stack
        // (an uncatchable crash); a linear pre-scan rejects such input before YamlDotNet sees it.
        if (FlowDepth(text) > MaxDepth)
        {
            diagnostics.Error(source, $"nesting is deeper than {MaxDepth} levels", "flatten the structure");
            return [];
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            diagnostics.Error(
                $"{source}:{ex.Start.Line}:{ex.Start.Column}",
                $"the YAML cannot be read: {Clean(message)}",
                "check indentation, quoting and that every '{', '[' and quote is closed");
            return [];
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException)
        {
            // YamlDotNet throws these for some malformed anchors and directives.
            diagnostics.Error(source, $"the YAML cannot be read: {Clean(ex.Message)}", "check anchors (&name) and aliases (*name)");
            return [];
        }

        var result = new List<JsonNode?>(stream.Documents.Count);
        foreach (var doc in stream.Documents)
        {
            // Counting the expanded size over shared nodes first rejects an alias bomb in time linear in
            // the text, instead of building millions of JSON nodes before the budget below trips.
            if (ExpandedSize(doc.RootNode, new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance), 0) > MaxNodes)
            {
                diagnostics.Error(source, $"the document expands to more than {MaxNodes} nodes (aliases repeated too often?)", "use fewer aliases");
                result.Add(null);
                continue;
            }

            var budget = new Budget();
            // Reference identity: YamlDotNet's node hash codes walk the whole subtree, which never ends on an
            // alias cycle (&a [*a]) and costs O(size) per lookup on large trees.
            result.Add(Convert(doc.RootNode, source, 0, budget, diagnostics, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance)));
        }

        return result;
    }

    /// <summary>Parses text that must hold exactly one document (an empty text gives null).</summary>
    /// <param name="text">YAML text.</param>
    /// <param name="source">Name used in diagnostics.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The document's tree, or null when empty or unreadable.</returns>
    public static JsonNode? ParseSingle(string text, string source, DiagnosticBag diagnostics)
    {
        var docs = ParseDocuments(text, source, diagnostics);
        if (docs.Count > 1)
        {
            diagnostics.Error(source, $"expected one YAML document, found {docs.Count}", "remove the extra '---' separators");
        }

        return docs.Count == 0 ? null : docs[0];
    }

    /// <summary>Types a plain (unquoted) scalar by the YAML 1.2 core schema.</summary>
    /// <param name="value">The scalar's text.</param>
    /// <returns>A JSON value, or null for the YAML null forms.</returns>
    public static JsonNode? TypePlainScalar(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(value))
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }

            if (decimal.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d))
            {
                return JsonValue.Create(d);
            }

            return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
        }

        if (OctPattern().IsMatch(value))
        {
            try
            {
                return JsonValue.Create(System.Convert.ToInt64(value[2..], 8));
            }
            catch (OverflowException)
            {
                return JsonValue.Create(value);
            }
        }

        if (HexPattern().IsMatch(value) &&
            long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0)
        {
            return JsonValue.Create(hex);
        }

        if (FloatPattern().IsMatch(value) &&
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f))
        {
            return JsonValue.Create(f);
        }

        // .inf and .nan have no JSON form; they stay strings so a schema check reports them.
        return JsonValue.Create(value);
    }

    private static JsonNode? Convert(YamlNode node, string source, int depth, Budget budget, DiagnosticBag diagnostics, HashSet<YamlNode> inProgress)
    {
        if (depth > MaxDepth)
        {
            Report(budget, diagnostics, source, $"nesting is deeper than {MaxDepth} levels", "flatten the structure");
            return null;
        }

        if (++budget.Nodes > MaxNodes)
        {
            Report(budget, diagnostics, source, $"the document expands to more than {MaxNodes} nodes (aliases repeated too often?)", "use fewer aliases");
            return null;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            case YamlSequenceNode seq:
                if (!inProgress.Add(node))
                {
                    Report(budget, diagnostics, source, "an alias refers to a node that contains it (a cycle)", "remove the recursive alias");
                    return null;
                }

                var array = new JsonArray();
                foreach (var child in seq.Children)
                {
                    array.Add(Convert(child, source, depth + 1, budget, diagnostics, inProgress));
                }

                inProgress.Remove(node);
                return array;
            case YamlMappingNode map:
                if (!inProgress.Add(node))
                {
                    Report(budget, diagnostics, source, "an alias refers to a node that contains it (a cycle)", "remove the recursive alias");
                    return null;
                }

                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    var key = keyNode is YamlScalarNode ks ? ks.Value ?? "" : keyNode.ToString();
                    if (obj.ContainsKey(key))
                    {
                        diagnostics.Error(
                            $"{source}:{keyNode.Start.Line}:{keyNode.Start.Column}",
                            $"key '{key}' appears twice in one mapping",
                            "keep one of them");
                        continue;
                    }

                    obj[key] = Convert(valueNode, source, depth + 1, budget, diagnostics, inProgress);
                }

                inProgress.Remove(node);
                return obj;
            default:
                return null;
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str":
                return JsonValue.Create(value);
            case "tag:yaml.org,2002:null":
                return null;
            case "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool":
                return TypePlainScalar(value);
        }

        return scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
            ? TypePlainScalar(value)
            : JsonValue.Create(value);
    }

    private static void Report(Budget budget, DiagnosticBag diagnostics, string source, string message, string hint)
    {
        if (!budget.Reported)
        {
            budget.Reported = true;
            diagnostics.Error(source, message, hint);
        }
    }

    /// <summary>How many nodes <paramref name="node"/> expands to with aliases resolved; shared nodes are counted once per use but computed once.</summary>
    private static long ExpandedSize(YamlNode node, Dictionary<YamlNode, long> memo, int depth)
    {
        if (depth > MaxDepth)
        {
            return 1; // Convert reports the depth.
        }

        if (memo.TryGetValue(node, out var known))
        {
            return known;
        }

        // A node on the current path counts as 1, so an alias cycle terminates here; Convert reports the cycle.
        memo[node] = 1;
        long total = 1;
        IEnumerable<YamlNode> children = node switch
        {
            YamlSequenceNode seq => seq.Children,
            YamlMappingNode map => map.Children.SelectMany(p => new[] { p.Key, p.Value }),
            _ => [],
        };
        foreach (var child in children)
        {
            total += ExpandedSize(child, memo, depth + 1);
            if (total > MaxNodes)
            {
                break;
            }
        }

        memo[node] = total;
        return total;
    }

    /// <summary>
    /// The deepest nesting of flow brackets (<c>[</c>, <c>{</c>) outside comments. Deliberately approximate:
    /// brackets inside quoted or plain scalars count too, which can only over-estimate, and over-estimating
    /// is safe (no real config has 200 unclosed brackets in a string); under-estimating could crash.
    /// </summary>
    private static int FlowDepth(string text)
    {
        int depth = 0, max = 0;
        var comment = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (comment)
            {
                comment = c is not ('\n' or '\r');
                continue;
            }

            switch (c)
            {
                case '#' when i == 0 || char.IsWhiteSpace(text[i - 1]):
                    comment = true;
                    break;
                case '[' or '{':
                    max = Math.Max(max, ++depth);
                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return max;
    }

    private static string Clean(string message) => message.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex("^0o[0-7]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OctPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    private sealed class Budget
    {
        public int Nodes { get; set; }

        public bool Reported { get; set; }
    }
}
