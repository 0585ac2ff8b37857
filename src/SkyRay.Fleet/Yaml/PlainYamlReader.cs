using System.Text;
using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Yaml;

/// <summary>
/// Reads the plain YAML that stack files are made of — block mappings and sequences by indentation, one-line flow
/// collections, plain and one-line quoted scalars, comments, <c>---</c> between documents — straight into JSON trees,
/// without a YAML tokenizer. It gives up (returns false) on anything else: a tab or carriage return, an anchor, alias,
/// tag, block scalar, directive or complex key, a scalar over several lines, a repeated key, an escape it does not
/// know, anything YAML would reject, or trees deeper or larger than the limits. The caller then reads the text with
/// YamlDotNet, which words every problem, so what this returns is exactly what that path returns (tests compare the two
/// on every YAML file in the repository and the shared material and on thousands of mutations of them).
/// </summary>
internal sealed class PlainYamlReader
{
    /// <summary>
    /// Characters this reader leaves to the full one: tabs, carriage returns, the byte order mark, YAML's other line
    /// breaks and every character YAML does not allow in a stream (C0 and C1 controls, DEL, U+FFFE, U+FFFF).
    /// </summary>
    private static readonly System.Buffers.SearchValues<char> Unusual = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c != '\n').Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c), '\u2028', '\u2029', '\uFEFF', '\uFFFE', '\uFFFF']);

    /// <summary>How many distinct key texts <see cref="Key"/> keeps.</summary>
    private const int MaxKeys = 1024;

    private readonly string _text;
    private readonly List<(int Start, int End)> _lines;
    private readonly IReadOnlyList<string>? _deferAt;
    private readonly Dictionary<string, Entry> _deferred;
    private readonly Dictionary<string, string> _keyTexts;
    private int _line;
    private int _nodes;

    /// <summary>True while checking a deferred value: every check runs, nothing is built.</summary>
    private bool _dry;

    /// <summary>The keys seen so far by the mapping being checked at each depth (checking builds no map to ask).</summary>
    private HashSet<string>?[]? _keys;

    private PlainYamlReader(string text, IReadOnlyList<string>? deferAt)
    {
        _text = text;
        _deferAt = deferAt;
        _lines = [];
        _deferred = new(StringComparer.Ordinal);
        _keyTexts = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// A reader for another thread over what <paramref name="read"/> has read: the same text, lines and deferred values
    /// (only read from now on), its own position and its own copy of the key texts.
    /// </summary>
    private PlainYamlReader(PlainYamlReader read)
    {
        _text = read._text;
        _deferAt = read._deferAt;
        _lines = read._lines;
        _deferred = read._deferred;
        _keyTexts = new(read._keyTexts, StringComparer.Ordinal);
    }

    /// <summary>Reads the documents of <paramref name="text"/>, or returns false to leave it to the full reader.</summary>
    public static bool TryRead(string text, out IReadOnlyList<JsonNode?> documents, out IReadOnlyList<(int Line, int Column)> starts) =>
        TryRead(text, null, out documents, out starts, out _);

    /// <summary>
    /// As <see cref="TryRead(string, out IReadOnlyList{JsonNode?}, out IReadOnlyList{ValueTuple{int, int}})"/>, but the
    /// block mapping reached from the first document's root by the keys <paramref name="deferAt"/> (a stack file's
    /// <c>config</c> → <c>skyray:workloads</c>) is built with a null in place of each value written below its key: the
    /// values are checked (this returns false exactly where building them would) but built later, one at a time, by
    /// <paramref name="deferred"/>. A caller that reads them one by one then never holds the whole tree (tens of MB for
    /// a large fleet's workloads, all of it fresh memory).
    /// </summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="deferAt">Keys from the root to the mapping whose values wait; null: none.</param>
    /// <param name="documents">The documents.</param>
    /// <param name="starts">Where each document starts.</param>
    /// <param name="deferred">The values that wait, by key (empty when the path is absent or not a block mapping).</param>
    /// <returns>False to leave the text to the full reader.</returns>
    public static bool TryRead(string text, IReadOnlyList<string>? deferAt, out IReadOnlyList<JsonNode?> documents, out IReadOnlyList<(int Line, int Column)> starts, out Deferred deferred)
    {
        documents = [];
        starts = [];
        deferred = Deferred.None;
        if (text.AsSpan().IndexOfAny(Unusual) >= 0)
        {
            return false;
        }

        var reader = new PlainYamlReader(text, deferAt);
        try
        {
            if (!reader.Read(out documents, out starts))
            {
                return false;
            }

            deferred = reader._deferred.Count == 0 ? Deferred.None : new Deferred(reader);
            return true;
        }
        catch (GiveUp)
        {
            return false;
        }
    }

    private bool Read(out IReadOnlyList<JsonNode?> documents, out IReadOnlyList<(int Line, int Column)> starts)
    {
        var start = 0;
        for (var i = 0; i <= _text.Length; i++)
        {
            if (i == _text.Length || _text[i] == '\n')
            {
                _lines.Add((start, i));
                start = i + 1;
            }
        }

        var docs = new List<JsonNode?>();
        var docStarts = new List<(int Line, int Column)>();
        var explicitStart = false;
        while (true)
        {
            SkipBlank();
            if (_line >= _lines.Count)
            {
                if (explicitStart)
                {
                    // "---" with nothing after it: an empty document.
                    docs.Add(null);
                }

                break;
            }

            var (lineStart, lineEnd) = _lines[_line];
            if (Starts(lineStart, lineEnd, "---"))
            {
                if (lineEnd - lineStart != 3)
                {
                    throw new GiveUp();
                }

                if (explicitStart)
                {
                    docs.Add(null);
                }

                docStarts.Add((_line + 1, 1));
                explicitStart = true;
                _line++;
                continue;
            }

            if (Starts(lineStart, lineEnd, "...") || _text[lineStart] == '%')
            {
                throw new GiveUp();
            }

            var indent = Indent(_line);
            if (!explicitStart)
            {
                docStarts.Add((_line + 1, indent + 1));
                if (docs.Count > 0)
                {
                    // A second document needs "---" before it.
                    throw new GiveUp();
                }
            }

            docs.Add(Node(_line, lineStart + indent, -1, 0, docs.Count == 0 && _deferAt is not null ? 0 : -1));
            explicitStart = false;
            SkipBlank();
            if (_line < _lines.Count && !Starts(_lines[_line].Start, _lines[_line].End, "---"))
            {
                throw new GiveUp();
            }
        }

        documents = docs;
        starts = docStarts;
        return true;
    }

    /// <summary>
    /// The node that starts at <paramref name="at"/> (a position in the text on line <paramref name="line"/>) and runs on
    /// over the lines indented more than <paramref name="parent"/>; <paramref name="matched"/> is how many keys of the
    /// deferred path lead here from the root (-1: off that path).
    /// </summary>
    private JsonNode? Node(int line, int at, int parent, int depth, int matched = -1)
    {
        Count(depth);
        var end = _lines[line].End;
        if (IsEntry(at, end))
        {
            return Sequence(line, at, depth);
        }

        if (KeyEnd(at, end, out _) >= 0)
        {
            return Mapping(line, at, depth, matched);
        }

        var value = InlineValue(at, end, depth);
        _line = line + 1;
        NoMoreIndentedThan(parent);
        return value;
    }

    private JsonArray? Sequence(int line, int at, int depth)
    {
        var column = at - _lines[line].Start;
        var array = _dry ? null : new JsonArray();
        while (true)
        {
            var end = _lines[line].End;
            var content = SkipSpaces(at + 1, end);
            if (content == end || _text[content] == '#')
            {
                // "-" alone: the item is on the lines below, indented more, or empty.
                _line = line + 1;
                SkipBlank();
                var item = AtContent() && Indent(_line) > column
                    ? Node(_line, _lines[_line].Start + Indent(_line), column, depth + 1)
                    : Empty(depth + 1);
                array?.Add(item);
            }
            else if (IsEntry(content, end))
            {
                // "- - a": a sequence in a sequence on one line.
                throw new GiveUp();
            }
            else
            {
                // The item starts on this line: a mapping whose keys line up with its first key, or a one-line value.
                var item = Node(line, content, column, depth + 1);
                array?.Add(item);
            }

            var indent = NextIndent(column);
            if (indent < column || !IsEntry(_lines[_line].Start + indent, _lines[_line].End))
            {
                return array;
            }

            line = _line;
            at = _lines[line].Start + indent;
        }
    }

    private JsonObject? Mapping(int line, int at, int depth, int matched)
    {
        var column = at - _lines[line].Start;
        var obj = _dry ? null : new JsonObject();
        var keys = _dry ? Keys(depth) : null;
        var defers = !_dry && _deferAt is not null && matched == _deferAt.Count;
        while (true)
        {
            var end = _lines[line].End;
            var colon = KeyEnd(at, end, out var key);
            if (colon < 0 || (obj is null ? !keys!.Add(key!) : obj.ContainsKey(key!)))
            {
                throw new GiveUp();
            }

            Count(depth + 1);
            var content = SkipSpaces(colon + 1, end);
            JsonNode? value;
            if (content == end || _text[content] == '#')
            {
                // "key:" alone: the value is on the lines below (indented more, or a sequence at the key's own indent).
                _line = line + 1;
                SkipBlank();
                var below = AtContent() ? Indent(_line) : -1;
                if (below > column && defers)
                {
                    value = Defer(key!, _line, _lines[_line].Start + below, column, depth + 1);
                }
                else if (below > column)
                {
                    var next = matched >= 0 && matched < _deferAt!.Count && key == _deferAt[matched] ? matched + 1 : -1;
                    value = Node(_line, _lines[_line].Start + below, column, depth + 1, next);
                }
                else if (below == column && IsEntry(_lines[_line].Start + column, _lines[_line].End))
                {
                    value = Sequence(_line, _lines[_line].Start + column, depth + 1);
                }
                else
                {
                    value = Empty(depth + 1);
                }
            }
            else
            {
                if (IsEntry(content, end) || KeyEnd(content, end, out _) >= 0)
                {
                    // "a: - b" and "a: b: c" are errors in YAML.
                    throw new GiveUp();
                }

                value = InlineValue(content, end, depth + 1);
                _line = line + 1;
                NoMoreIndentedThan(column);
            }

            if (obj is not null)
            {
                obj[key!] = value;
            }

            var indent = NextIndent(column);
            if (indent < column)
            {
                return obj;
            }

            line = _line;
            at = _lines[line].Start + indent;
            if (IsEntry(at, _lines[line].End))
            {
                // A sequence entry where a key belongs.
                throw new GiveUp();
            }
        }
    }

    /// <summary>A value that fills the rest of its line: a flow collection, a quoted scalar or a plain one.</summary>
    private JsonNode? InlineValue(int at, int end, int depth)
    {
        JsonNode? value;
        int after;
        var c = _text[at];
        if (c is '[' or '{')
        {
            after = at;
            value = Flow(ref after, end, depth);
        }
        else if (c is '"' or '\'')
        {
            after = at;
            var text = Quoted(ref after, end);
            value = _dry ? null : JsonValue.Create(text);
        }
        else
        {
            var plain = PlainInBlock(at, end);
            return plain is null ? null : JsonValueOf(plain);
        }

        var rest = SkipSpaces(after, end);
        if (rest < end && (_text[rest] != '#' || rest == after))
        {
            throw new GiveUp();
        }

        return value;
    }

    private JsonNode? Flow(ref int at, int end, int depth)
    {
        if (depth > YamlJson.MaxDepth)
        {
            throw new GiveUp();
        }

        var open = _text[at];
        var close = open == '[' ? ']' : '}';
        JsonNode? node = _dry ? null : open == '[' ? new JsonArray() : new JsonObject();
        var keys = _dry && open == '{' ? Keys(depth) : null;
        at = SkipSpaces(at + 1, end);
        if (at < end && _text[at] == close)
        {
            at++;
            return node;
        }

        while (true)
        {
            Count(depth + 1);
            if (at >= end)
            {
                throw new GiveUp();
            }

            if (open == '{')
            {
                var key = FlowScalar(ref at, end, depth, out var quoted, key: true);
                var obj = node as JsonObject;
                if (key is not string name || (!quoted && name.Length == 0) || at + 1 >= end || _text[at] != ':' || _text[at + 1] != ' ' ||
                    (obj is null ? !keys!.Add(name) : obj.ContainsKey(name)))
                {
                    throw new GiveUp();
                }

                at = SkipSpaces(at + 1, end);
                Count(depth + 1);
                var value = FlowValue(ref at, end, depth + 1);
                if (obj is not null)
                {
                    obj[name] = value;
                }
            }
            else
            {
                var item = FlowValue(ref at, end, depth + 1);
                (node as JsonArray)?.Add(item);
                if (at < end && _text[at] == ':')
                {
                    // "[a: b]": a one-pair mapping in a sequence.
                    throw new GiveUp();
                }
            }

            at = SkipSpaces(at, end);
            if (at >= end)
            {
                throw new GiveUp();
            }

            if (_text[at] == close)
            {
                at++;
                return node;
            }

            if (_text[at] != ',')
            {
                throw new GiveUp();
            }

            at = SkipSpaces(at + 1, end);
            if (at < end && _text[at] is ']' or '}' or ',')
            {
                throw new GiveUp();
            }
        }
    }

    private JsonNode? FlowValue(ref int at, int end, int depth)
    {
        if (at >= end)
        {
            throw new GiveUp();
        }

        if (_text[at] is '[' or '{')
        {
            return Flow(ref at, end, depth);
        }

        var text = FlowScalar(ref at, end, depth, out var quoted);
        if (!quoted && text!.Length == 0)
        {
            throw new GiveUp();
        }

        at = SkipSpaces(at, end);
        return _dry ? null : quoted ? JsonValue.Create(text) : JsonValueOf(text!);
    }

    /// <summary>A scalar inside a flow collection: quoted, or plain up to a flow indicator, ": " or " #".</summary>
    private string? FlowScalar(ref int at, int end, int depth, out bool quoted, bool key = false)
    {
        Count(depth);
        var c = _text[at];
        if (c is '"' or '\'')
        {
            quoted = true;
            var text = Quoted(ref at, end);
            at = SkipSpaces(at, end);
            return text;
        }

        quoted = false;
        if (StartsBadly(at, end, flow: true))
        {
            throw new GiveUp();
        }

        var start = at;
        while (at < end)
        {
            var ch = _text[at];
            if (ch is ',' or '[' or ']' or '{' or '}')
            {
                break;
            }

            if (ch == ':' && (at + 1 == end || _text[at + 1] is ' ' or ',' or '[' or ']' or '{' or '}'))
            {
                break;
            }

            if (ch == '#' && _text[at - 1] == ' ')
            {
                throw new GiveUp();
            }

            at++;
        }

        var plain = _text.AsSpan(start, at - start).TrimEnd(' ');
        var value = key ? Key(plain) : plain.ToString();
        return value;
    }

    /// <summary>A plain scalar that fills the rest of a block line (up to a comment); null when only checking (no text built).</summary>
    private string? PlainInBlock(int at, int end)
    {
        if (StartsBadly(at, end))
        {
            throw new GiveUp();
        }

        var stop = end;
        for (var i = at + 1; i < end; i++)
        {
            var ch = _text[i];
            if (ch == '#' && _text[i - 1] == ' ')
            {
                stop = i;
                break;
            }

            if (ch == ':' && (i + 1 == end || _text[i + 1] == ' '))
            {
                throw new GiveUp();
            }
        }

        return _dry ? null : _text.AsSpan(at, stop - at).TrimEnd(' ').ToString();
    }

    /// <summary>A quoted scalar on one line, unescaped; <paramref name="at"/> moves past its closing quote.</summary>
    private string Quoted(ref int at, int end)
    {
        var quote = _text[at];
        var text = new StringBuilder();
        var i = at + 1;
        while (true)
        {
            if (i >= end)
            {
                throw new GiveUp();
            }

            var ch = _text[i];
            if (ch == quote)
            {
                if (quote == '\'' && i + 1 < end && _text[i + 1] == '\'')
                {
                    text.Append('\'');
                    i += 2;
                    continue;
                }

                at = i + 1;
                return text.ToString();
            }

            if (quote == '"' && ch == '\\')
            {
                if (i + 1 >= end)
                {
                    throw new GiveUp();
                }

                text.Append(_text[i + 1] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    _ => throw new GiveUp(),
                });
                i += 2;
                continue;
            }

            text.Append(ch);
            i++;
        }
    }

    /// <summary>
    /// When the text at <paramref name="at"/> is a key (plain or quoted, on one line) followed by ':' and a space or the
    /// end of the line, the position of that ':' and the key; else -1.
    /// </summary>
    private int KeyEnd(int at, int end, out string? key)
    {
        key = null;
        var c = _text[at];
        if (c is '"' or '\'')
        {
            var after = at;
            string text;
            try
            {
                text = Quoted(ref after, end);
            }
            catch (GiveUp)
            {
                return -1;
            }

            var colon = SkipSpaces(after, end);
            if (colon < end && _text[colon] == ':' && (colon + 1 == end || _text[colon + 1] == ' '))
            {
                key = text;
                return colon;
            }

            return -1;
        }

        if (c is '[' or '{' or '#' || IsEntry(at, end))
        {
            return -1;
        }

        for (var i = at; i < end; i++)
        {
            var ch = _text[i];
            if (ch == '#' && i > at && _text[i - 1] == ' ')
            {
                return -1;
            }

            if (ch == ':' && (i + 1 == end || _text[i + 1] == ' '))
            {
                if (i == at || StartsBadly(at, end))
                {
                    throw new GiveUp();
                }

                key = Key(_text.AsSpan(at, i - at).TrimEnd(' '));
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when a plain scalar may not start here (an indicator, or '-', '?' or ':' before a space).</summary>
    private bool StartsBadly(int at, int end, bool flow = false)
    {
        var c = _text[at];
        if (c is '-' or '?' or ':')
        {
            return c != '-' || at + 1 >= end || _text[at + 1] == ' ' || (flow && _text[at + 1] is ',' or '[' or ']' or '{' or '}');
        }

        return c is '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or '#' or ',' or '[' or ']' or '{' or '}' or '"' or '\'';
    }

    private bool IsEntry(int at, int end) => _text[at] == '-' && (at + 1 == end || _text[at + 1] == ' ');

    private bool IsDocumentMarker(int line) => Starts(_lines[line].Start, _lines[line].End, "---") || Starts(_lines[line].Start, _lines[line].End, "...");

    private bool Starts(int start, int end, string marker) =>
        end - start >= marker.Length && string.CompareOrdinal(_text, start, marker, 0, marker.Length) == 0 &&
        (end - start == marker.Length || _text[start + marker.Length] == ' ');

    /// <summary>After a one-line value: the next content line may not be indented more than the value's parent.</summary>
    private void NoMoreIndentedThan(int parent)
    {
        SkipBlank();
        if (AtContent() && Indent(_line) > parent)
        {
            throw new GiveUp();
        }
    }

    /// <summary>
    /// After a collection's entry: the indent of the next content line, or -1 where the document ends. A line indented more
    /// than the entries is not plain YAML (a scalar over several lines, or an error).
    /// </summary>
    private int NextIndent(int column)
    {
        SkipBlank();
        if (!AtContent())
        {
            return -1;
        }

        var indent = Indent(_line);
        return indent > column ? throw new GiveUp() : indent;
    }

    /// <summary>True when the reader is on a content line of the current document.</summary>
    private bool AtContent() => _line < _lines.Count && !IsDocumentMarker(_line);

    private void SkipBlank()
    {
        while (_line < _lines.Count)
        {
            var (start, end) = _lines[_line];
            var content = SkipSpaces(start, end);
            if (content < end && _text[content] != '#')
            {
                return;
            }

            _line++;
        }
    }

    private int Indent(int line)
    {
        var (start, end) = _lines[line];
        return SkipSpaces(start, end) - start;
    }

    private int SkipSpaces(int at, int end)
    {
        while (at < end && _text[at] == ' ')
        {
            at++;
        }

        return at;
    }

    /// <summary>Checks the value below a deferred key without building it, and notes where it is for <see cref="Deferred"/>.</summary>
    private JsonNode? Defer(string key, int line, int at, int parent, int depth)
    {
        _deferred[key] = new Entry(line, at, parent, depth);
        _dry = true;
        Node(line, at, parent, depth);
        _dry = false;
        return null;
    }

    /// <summary>Builds a deferred value: the same reading that checked it, now building.</summary>
    private JsonNode? Build(Entry entry)
    {
        _line = entry.Line;
        _nodes = 0;
        try
        {
            return Node(entry.Line, entry.At, entry.Parent, entry.Depth);
        }
        catch (GiveUp)
        {
            throw new InvalidOperationException("a deferred YAML value that was read once could not be read again");
        }
    }

    /// <summary>
    /// A plain key's text, one string per distinct key: a stack repeats the same few keys (kind, cpu, memory, labels...)
    /// for every workload. Up to <see cref="MaxKeys"/> distinct short keys are kept; others (workload names) get their own.
    /// </summary>
    private string Key(ReadOnlySpan<char> text)
    {
        if (text.Length > 32)
        {
            return text.ToString();
        }

        var lookup = _keyTexts.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var key = text.ToString();
        if (_keyTexts.Count < MaxKeys)
        {
            _keyTexts.Add(key, key);
        }

        return key;
    }

    /// <summary>The emptied set of keys for a mapping checked at <paramref name="depth"/>.</summary>
    private HashSet<string> Keys(int depth)
    {
        _keys ??= new HashSet<string>?[YamlJson.MaxDepth + 2];
        var set = _keys[depth] ??= new HashSet<string>(StringComparer.Ordinal);
        set.Clear();
        return set;
    }

    private JsonNode? Empty(int depth)
    {
        Count(depth);
        return null;
    }

    private void Count(int depth)
    {
        if (depth > YamlJson.MaxDepth || ++_nodes > YamlJson.MaxNodes)
        {
            throw new GiveUp();
        }
    }

    private static JsonNode? JsonValueOf(string plain) => YamlJson.TypePlainScalar(plain);

    /// <summary>Thrown to leave the text to the full reader.</summary>
    private sealed class GiveUp : Exception;

    private readonly record struct Entry(int Line, int At, int Parent, int Depth);

    /// <summary>The values of the deferred mapping (see <see cref="TryRead(string, IReadOnlyList{string}?, out IReadOnlyList{JsonNode?}, out IReadOnlyList{ValueTuple{int, int}}, out Deferred)"/>), built on request.</summary>
    internal sealed class Deferred
    {
        private readonly PlainYamlReader? _reader;

        internal Deferred(PlainYamlReader? reader) => _reader = reader;

        /// <summary>Nothing deferred.</summary>
        public static Deferred None { get; } = new(null);

        /// <summary>True when the value of <paramref name="key"/> waits here (its place in the tree holds a null).</summary>
        /// <param name="key">A key of the deferred mapping.</param>
        /// <returns>Whether it was deferred.</returns>
        public bool Has(string key) => _reader is not null && _reader._deferred.ContainsKey(key);

        /// <summary>Builds the value of <paramref name="key"/>: a new tree each call, equal to the one reading without deferral gives.</summary>
        /// <param name="key">A key for which <see cref="Has"/> is true.</param>
        /// <returns>The value's tree.</returns>
        public JsonNode? Build(string key) => _reader!.Build(_reader._deferred[key]);

        /// <summary>
        /// The same values for another thread: building moves a reader's position, so threads that build values at the same
        /// time each need their own. The trees are the same as this one builds.
        /// </summary>
        /// <returns>A builder of the same values with its own reader.</returns>
        public Deferred Fork() => _reader is null ? None : new(new PlainYamlReader(_reader));
    }
}
