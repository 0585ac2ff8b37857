using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
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
    public static IReadOnlyList<JsonNode?> ParseDocuments(string text, string source, DiagnosticBag diagnostics) =>
        ParseDocuments(text, source, diagnostics, out _);

    /// <summary>
    /// Parses every document of <paramref name="text"/>, also giving where each document starts, so a caller can
    /// locate a problem with a whole document (an extra document, a document of the wrong type).
    /// </summary>
    /// <param name="text">YAML text, possibly several documents separated by <c>---</c>.</param>
    /// <param name="source">Name used in diagnostics (a file path or config key).</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <param name="starts">The line and column (from 1) where each returned document starts.</param>
    /// <returns>One tree per document (null for an empty document); empty on a syntax error.</returns>
    public static IReadOnlyList<JsonNode?> ParseDocuments(string text, string source, DiagnosticBag diagnostics, out IReadOnlyList<(int Line, int Column)> starts) =>
        ParseDocuments(text, source, diagnostics, out starts, direct: true);

    /// <summary>As the public overload; <paramref name="direct"/> false always takes the representation model's path (tests compare the two).</summary>
    internal static IReadOnlyList<JsonNode?> ParseDocuments(string text, string source, DiagnosticBag diagnostics, out IReadOnlyList<(int Line, int Column)> starts, bool direct) =>
        ParseDocuments(text, source, diagnostics, out starts, direct, null, out _);

    /// <summary>
    /// As the public overload, with the values of the mapping at <paramref name="deferAt"/> left for
    /// <paramref name="deferred"/> to build one at a time where the line reader reads the text (see
    /// <see cref="PlainYamlReader.TryRead(string, IReadOnlyList{string}?, out IReadOnlyList{JsonNode?}, out IReadOnlyList{ValueTuple{int, int}}, out PlainYamlReader.Deferred)"/>);
    /// on the other paths nothing is deferred.
    /// </summary>
    internal static IReadOnlyList<JsonNode?> ParseDocuments(
        string text, string source, DiagnosticBag diagnostics, out IReadOnlyList<(int Line, int Column)> starts, bool direct, IReadOnlyList<string>? deferAt, out PlainYamlReader.Deferred deferred)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        starts = [];
        deferred = PlainYamlReader.Deferred.None;
        // YamlDotNet recurses per flow level while scanning, so tens of thousands of '[' overflow the stack
        // (an uncatchable crash); a linear pre-scan rejects such input before YamlDotNet sees it.
        if (TooDeepFlow(text) is { } deep)
        {
            diagnostics.Error(At(source, deep.Line, deep.Column), $"nesting is deeper than {MaxDepth} levels", "flatten the structure");
            return [];
        }

        // Most input (every generated stack file, nearly every hand-written one) is plain YAML: the line reader builds the
        // trees without a tokenizer. What it leaves, if it has no anchor, alias, non-string key or repeated key, the
        // parser's events give directly. Anything else, and any error, goes through YamlDotNet's representation model
        // below, which words every problem as before.
        if (direct && (PlainYamlReader.TryRead(text, deferAt, out var read, out var directStarts, out deferred) || DirectReader.TryRead(text, out read, out directStarts)))
        {
            starts = directStarts;
            return read;
        }

        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            ReportSyntax(ex, text, source, parser, diagnostics);
            return [];
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException)
        {
            // YamlDotNet throws these, without a position, when its parser state breaks (an unclosed flow
            // collection inside a block collection, some malformed anchors and directives). The last event it
            // read is where the text stopped making sense.
            var (line, column) = parser.LastEnd;
            if (UnclosedFlow(text, parser.LastEndIndex) is { } open)
            {
                diagnostics.Error(
                    At(source, open.Line, open.Column),
                    $"the YAML cannot be read: the '{open.Bracket}' opened here is not closed before line {line}, column {column}",
                    $"close it with '{(open.Bracket == '[' ? ']' : '}')}' on the same line, or write the list or map as an indented block");
            }
            else
            {
                diagnostics.Error(
                    At(source, line, column),
                    "the YAML cannot be read: the structure breaks off after this point",
                    "check indentation, quoting and that every '{', '[' and quote is closed");
            }

            return [];
        }

        starts = parser.DocumentStarts;
        var result = new List<JsonNode?>(stream.Documents.Count);
        foreach (var doc in stream.Documents)
        {
            // Counting the expanded size over shared nodes first rejects an alias bomb in time linear in
            // the text, instead of building millions of JSON nodes before the budget below trips. Without an
            // alias every node is in the text once, so the budget alone is linear and the count is skipped.
            var size = new SizeCount();
            if (parser.SawAlias && size.Of(doc.RootNode, 0) > MaxNodes)
            {
                var at = size.FirstOverBudget ?? doc.RootNode;
                diagnostics.Error(
                    At(source, at),
                    $"the document expands to more than {MaxNodes} nodes (aliases repeated too often?)",
                    "use fewer aliases");
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
        var docs = ParseDocuments(text, source, diagnostics, out var starts);
        if (docs.Count > 1)
        {
            var (line, column) = starts[1];
            diagnostics.Error(At(source, line, column), $"expected one YAML document, found {docs.Count}", "remove the extra '---' separators");
        }

        return docs.Count == 0 ? null : docs[0];
    }

    /// <summary>
    /// True for the YAML 1.2 core-schema floats that JSON cannot hold: <c>.inf</c>, <c>-.inf</c>, <c>+.inf</c> and
    /// <c>.nan</c> (any of their three spellings). The reader keeps them as text, so readers of numeric fields ask
    /// this to say what was found.
    /// </summary>
    /// <param name="text">A scalar's text.</param>
    /// <returns>True for an infinity or not-a-number.</returns>
    public static bool IsSpecialFloat(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SpecialFloatPattern().IsMatch(text);
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

        // Every number form below starts with a digit, a sign or '.': most scalars (names, images, quantities such
        // as "4Gi" aside) are told to be strings without running the patterns.
        if (value[0] is not ((>= '0' and <= '9') or '-' or '+' or '.'))
        {
            return JsonValue.Create(value);
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

            // Beyond decimal (and, past 308 digits, beyond double): kept as the exact JSON number, which every
            // writer copies as text, so a reader can say "out of range" instead of a CLR infinity crashing a writer.
            return ExactNumber(value);
        }

        if (OctPattern().IsMatch(value))
        {
            try
            {
                return JsonValue.Create(System.Convert.ToInt64(value[2..], 8));
            }
            catch (OverflowException)
            {
                return BigRadix(value[2..], 8) ?? JsonValue.Create(value);
            }
        }

        if (HexPattern().IsMatch(value))
        {
            return long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0
                ? JsonValue.Create(hex)
                : BigRadix(value[2..], 16) ?? JsonValue.Create(value);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
        {
            return double.IsFinite(f) ? JsonValue.Create(f) : ExactNumber(value);
        }

        // .inf and .nan have no JSON form; they stay strings (IsSpecialFloat tells readers what they were).
        return JsonValue.Create(value);
    }

    private static JsonNode? Convert(YamlNode node, string source, int depth, Budget budget, DiagnosticBag diagnostics, HashSet<YamlNode> inProgress)
    {
        if (depth > MaxDepth)
        {
            Report(budget, diagnostics, At(source, node), $"nesting is deeper than {MaxDepth} levels", "flatten the structure");
            return null;
        }

        if (++budget.Nodes > MaxNodes)
        {
            Report(budget, diagnostics, At(source, node), $"the document expands to more than {MaxNodes} nodes (aliases repeated too often?)", "use fewer aliases");
            return null;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            case YamlSequenceNode seq:
                if (!inProgress.Add(node))
                {
                    Report(budget, diagnostics, At(source, node), "an alias refers to a node that contains it (a cycle)", "remove the recursive alias");
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
                    Report(budget, diagnostics, At(source, node), "an alias refers to a node that contains it (a cycle)", "remove the recursive alias");
                    return null;
                }

                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    var key = keyNode is YamlScalarNode ks ? ks.Value ?? "" : keyNode.ToString();
                    if (obj.ContainsKey(key))
                    {
                        diagnostics.Error(
                            At(source, keyNode),
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

    private static JsonNode? ConvertScalar(YamlScalarNode scalar) => ConvertScalar(scalar.Value ?? "", scalar.Tag, scalar.Style);

    private static JsonNode? ConvertScalar(string value, TagName tagName, ScalarStyle style)
    {
        var tag = tagName.IsEmpty ? null : tagName.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str":
                return JsonValue.Create(value);
            case "tag:yaml.org,2002:null":
                return null;
            case "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool":
                return TypePlainScalar(value);
        }

        return style is ScalarStyle.Plain or ScalarStyle.Any
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

    /// <summary>
    /// Where the nesting of flow brackets (<c>[</c>, <c>{</c>) outside comments first goes deeper than
    /// <see cref="MaxDepth"/>, or null. Deliberately approximate: brackets inside quoted or plain scalars count too,
    /// which can only over-estimate, and over-estimating is safe (no real config has 200 unclosed brackets in a
    /// string); under-estimating could crash.
    /// </summary>
    private static (int Line, int Column)? TooDeepFlow(string text)
    {
        int depth = 0, line = 1, lineStart = 0;
        var comment = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }

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
                    if (++depth > MaxDepth)
                    {
                        return (line, i - lineStart + 1);
                    }

                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// Reports a syntax error YamlDotNet found. Its position is right for most errors; for three it is not, and the
    /// text or the event stream is searched instead: an undefined alias (YamlDotNet reports line 1, column 1), a tab
    /// in the indentation (reported at the end of the line before) and errors without any position.
    /// </summary>
    private static void ReportSyntax(YamlException ex, string text, string source, TrackingParser parser, DiagnosticBag diagnostics)
    {
        var message = Clean(ex.InnerException?.Message ?? ex.Message);
        if (ex is AnchorNotFoundException && UndefinedAlias(text) is { } alias)
        {
            diagnostics.Error(
                At(source, alias.Line, alias.Column),
                $"the YAML cannot be read: alias '*{KubernetesNames.Shorten(alias.Name)}' refers to no anchor defined before it",
                $"define the anchor first ('&{KubernetesNames.Shorten(alias.Name)} value'), or write the value instead of the alias");
            return;
        }

        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && TabIndentedLine(text, (int)ex.Start.Line) is { } tab)
        {
            diagnostics.Error(
                At(source, tab.Line, tab.Column),
                "the YAML cannot be read: a tab character indents this line; YAML indents with spaces only",
                "replace the tab with spaces");
            return;
        }

        var (line, column) = ex.Start.Index == 0 && ex.End.Index == 0 && parser.LastEndIndex > 0
            ? parser.LastEnd
            : ((int)ex.Start.Line, (int)ex.Start.Column);
        diagnostics.Error(
            At(source, line, column),
            $"the YAML cannot be read: {message}",
            "check indentation, quoting and that every '{', '[' and quote is closed");
    }

    /// <summary>The first alias (<c>*name</c>) whose anchor is not defined before it, by a fresh pass over the events.</summary>
    private static (string Name, int Line, int Column)? UndefinedAlias(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        return (alias.Value.Value, (int)alias.Start.Line, (int)alias.Start.Column);
                    case NodeEvent { Anchor.IsEmpty: false } node:
                        anchors.Add(node.Anchor.Value);
                        break;
                    case DocumentEnd:
                        anchors.Clear();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or ArgumentException or InvalidOperationException or OverflowException)
        {
            // The text breaks before any undefined alias: the caller reports YamlDotNet's own position.
        }

        return null;
    }

    /// <summary>The first line at or after <paramref name="fromLine"/> (else anywhere) whose indentation holds a tab.</summary>
    private static (int Line, int Column)? TabIndentedLine(string text, int fromLine)
    {
        var lines = text.Split('\n');
        foreach (var start in new[] { Math.Max(1, fromLine), 1 })
        {
            for (var i = start - 1; i < lines.Length; i++)
            {
                var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
                if (tab >= 0 && tab < indent && lines[i].Trim().Length > 0)
                {
                    return (i + 1, tab + 1);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The innermost flow bracket still open at <paramref name="end"/>, scanning flow collections that start a value
    /// (after <c>:</c>, <c>-</c>, <c>,</c>, another bracket or at the start of a line), outside quotes and comments.
    /// Used only to word an error, so approximate is fine.
    /// </summary>
    private static (char Bracket, int Line, int Column)? UnclosedFlow(string text, int end)
    {
        var open = new Stack<(char Bracket, int Line, int Column)>();
        int line = 1, lineStart = 0;
        char quote = '\0';
        var comment = false;
        for (var i = 0; i < Math.Min(end, text.Length); i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                comment = false;
                continue;
            }

            if (comment)
            {
                continue;
            }

            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                continue;
            }

            switch (c)
            {
                case '#' when i == 0 || char.IsWhiteSpace(text[i - 1]):
                    comment = true;
                    break;
                case '\'' or '"' when StartsValue(text, i, lineStart):
                    quote = c;
                    break;
                case '[' or '{' when open.Count > 0 || StartsValue(text, i, lineStart):
                    open.Push((c, line, i - lineStart + 1));
                    break;
                case ']' or '}' when open.Count > 0:
                    open.Pop();
                    break;
            }
        }

        return open.Count > 0 ? open.Peek() : null;
    }

    private static bool StartsValue(string text, int i, int lineStart)
    {
        var j = i - 1;
        while (j >= lineStart && text[j] is ' ' or '\t')
        {
            j--;
        }

        return j < lineStart || text[j] is ':' or '-' or ',' or '[' or '{' or '?';
    }

    private static string At(string source, YamlNode node) => At(source, (int)node.Start.Line, (int)node.Start.Column);

    private static string At(string source, int line, int column) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}:{line}:{column}");

    /// <summary>A number too large for decimal and double, as the exact JSON number of the same value.</summary>
    private static JsonNode ExactNumber(string yaml)
    {
        // YAML 1.2 allows '+', leading zeros, '.5' and '5.'; JSON allows none of them.
        var match = NumberParts().Match(yaml);
        var sign = match.Groups["sign"].Value == "-" ? "-" : "";
        var whole = match.Groups["whole"].Value.TrimStart('0');
        var fraction = match.Groups["fraction"].Value;
        var exponent = match.Groups["exponent"].Value;
        var text = sign + (whole.Length == 0 ? "0" : whole) + (fraction.Length > 0 ? "." + fraction : "") + exponent;
        return JsonNode.Parse(text)!;
    }

    /// <summary>An octal or hexadecimal integer beyond long, as its exact decimal JSON number (null when absurdly long).</summary>
    private static JsonNode? BigRadix(string digits, int radix)
    {
        // Converting to decimal is quadratic in the length; nothing meaningful is longer than this.
        if (digits.Length > 256)
        {
            return null;
        }

        var value = System.Numerics.BigInteger.Zero;
        foreach (var c in digits)
        {
            value = (value * radix) + System.Convert.ToInt32(c.ToString(), 16);
        }

        return JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture));
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

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<whole>[0-9]*)(\.(?<fraction>[0-9]*))?(?<exponent>[eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberParts();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex SpecialFloatPattern();

    /// <summary>
    /// Counts how many nodes a node expands to with aliases resolved; shared nodes are counted once per use but
    /// computed once. Remembers the first node (innermost, as the count goes depth first) whose size passes
    /// <see cref="MaxNodes"/>: that is where an alias bomb is.
    /// </summary>
    private sealed class SizeCount
    {
        private readonly Dictionary<YamlNode, long> _memo = new(ReferenceEqualityComparer.Instance);

        public YamlNode? FirstOverBudget { get; private set; }

        public long Of(YamlNode node, int depth)
        {
            if (depth > MaxDepth)
            {
                return 1; // Convert reports the depth.
            }

            if (_memo.TryGetValue(node, out var known))
            {
                return known;
            }

            // A node on the current path counts as 1, so an alias cycle terminates here; Convert reports the cycle.
            _memo[node] = 1;
            long total = 1;
            IEnumerable<YamlNode> children = node switch
            {
                YamlSequenceNode seq => seq.Children,
                YamlMappingNode map => map.Children.SelectMany(p => new[] { p.Key, p.Value }),
                _ => [],
            };
            foreach (var child in children)
            {
                total += Of(child, depth + 1);
                if (total > MaxNodes)
                {
                    break;
                }
            }

            if (total > MaxNodes)
            {
                FirstOverBudget ??= node;
            }

            _memo[node] = total;
            return total;
        }
    }

    /// <summary>Passes YamlDotNet's events through, remembering where the last one ended and where each document starts.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        private readonly List<(int Line, int Column)> _documentStarts = [];

        public ParsingEvent? Current => inner.Current;

        public IReadOnlyList<(int Line, int Column)> DocumentStarts => _documentStarts;

        /// <summary>Line and column (from 1) where the last event read ended; 1:1 before any.</summary>
        public (int Line, int Column) LastEnd { get; private set; } = (1, 1);

        /// <summary>Character index where the last event read ended.</summary>
        public int LastEndIndex { get; private set; }

        /// <summary>True once an alias (<c>*name</c>) was read: only then can a document expand beyond its text.</summary>
        public bool SawAlias { get; private set; }

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (moved && inner.Current is { } current)
            {
                if (current is DocumentStart)
                {
                    // An implicit document starts at its first node; the next event's start is close enough.
                    _documentStarts.Add(((int)current.Start.Line, (int)current.Start.Column));
                }

                SawAlias |= current is AnchorAlias;
                LastEnd = ((int)current.End.Line, (int)current.End.Column);
                LastEndIndex = (int)current.End.Index;
            }

            return moved;
        }
    }

    /// <summary>
    /// Builds the trees straight from the parser's events, without YamlDotNet's representation model (a second tree
    /// of the whole text, with a hashed dictionary per mapping). It gives up, and the caller takes the model's path,
    /// on anything that path treats specially: an anchor or alias, a mapping key that is not a scalar, a key repeated
    /// in one mapping, nesting deeper than <see cref="MaxDepth"/>, more than <see cref="MaxNodes"/> nodes, an event
    /// out of the usual order, or any error the parser raises. So what it returns is what the model's path returns.
    /// </summary>
    internal sealed class DirectReader(Parser parser)
    {
        private int _nodes;

        public static bool TryRead(string text, out IReadOnlyList<JsonNode?> documents, out IReadOnlyList<(int Line, int Column)> starts)
        {
            documents = [];
            starts = [];
            var reader = new DirectReader(new Parser(new StringReader(text)));
            var docs = new List<JsonNode?>();
            var docStarts = new List<(int Line, int Column)>();
            try
            {
                if (!reader.Next(out var first) || first is not StreamStart)
                {
                    return false;
                }

                while (reader.Next(out var current))
                {
                    switch (current)
                    {
                        case StreamEnd:
                            documents = docs;
                            starts = docStarts;
                            return !reader.Next(out _);
                        case DocumentStart:
                            docStarts.Add(((int)current.Start.Line, (int)current.Start.Column));
                            if (!reader.Next(out var rootEvent) || !reader.TryNode(rootEvent, 0, out var root) || !reader.Next(out var end) || end is not DocumentEnd)
                            {
                                return false;
                            }

                            docs.Add(root);
                            break;
                        default:
                            return false;
                    }
                }

                return false;
            }
            catch (Exception ex) when (ex is YamlException or ArgumentException or InvalidOperationException or OverflowException)
            {
                return false;
            }
        }

        private bool Next([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ParsingEvent? current)
        {
            current = parser.MoveNext() ? parser.Current : null;
            return current is not null;
        }

        private bool TryNode(ParsingEvent start, int depth, out JsonNode? node)
        {
            node = null;
            if (depth > MaxDepth || ++_nodes > MaxNodes || start is not NodeEvent { Anchor.IsEmpty: true })
            {
                return false;
            }

            switch (start)
            {
                case Scalar scalar:
                    node = ConvertScalar(scalar.Value, scalar.Tag, scalar.Style);
                    return true;
                case SequenceStart:
                    var array = new JsonArray();
                    while (true)
                    {
                        if (!Next(out var item))
                        {
                            return false;
                        }

                        if (item is SequenceEnd)
                        {
                            break;
                        }

                        if (!TryNode(item, depth + 1, out var child))
                        {
                            return false;
                        }

                        array.Add(child);
                    }

                    node = array;
                    return true;
                case MappingStart:
                    var obj = new JsonObject();
                    while (true)
                    {
                        if (!Next(out var keyEvent))
                        {
                            return false;
                        }

                        if (keyEvent is MappingEnd)
                        {
                            break;
                        }

                        if (keyEvent is not Scalar { Anchor.IsEmpty: true } key || obj.ContainsKey(key.Value)
                            || !Next(out var valueEvent) || !TryNode(valueEvent, depth + 1, out var value))
                        {
                            return false;
                        }

                        obj[key.Value] = value;
                    }

                    node = obj;
                    return true;
                default:
                    return false;
            }
        }
    }

    private sealed class Budget
    {
        public int Nodes { get; set; }

        public bool Reported { get; set; }
    }
}
