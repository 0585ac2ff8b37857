using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.Testing;

namespace SkyRay.Fleet.Tests.Yaml;

/// <summary>
/// The reader that builds trees straight from the parser's events must give exactly what YamlDotNet's representation
/// model gives (trees, document starts, diagnostics) on every input, or give up so the model's path reads it. Each test
/// reads the same text both ways and compares; the expected side is the model's path, which the reader does not use.
/// </summary>
public sealed class YamlDirectReaderTests
{
    [Fact]
    public void Every_yaml_file_in_the_repository_reads_the_same_both_ways_and_plain_ones_take_the_direct_path()
    {
        var files = YamlFiles(SharedMaterial.RepositoryRoot);
        Assert.NotEmpty(files);

        var direct = 0;
        var plain = 0;
        var deferredWorkloads = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            AssertSame(text, file);
            direct += YamlJson.DirectReader.TryRead(text, out _, out _) ? 1 : 0;
            plain += PlainYamlReader.TryRead(text, out _, out _) ? 1 : 0;
            deferredWorkloads += AssertDeferralChangesNothing(text, file);
        }

        // Stack files declare their workloads in block style: those are the values built one at a time.
        Assert.True(deferredWorkloads >= 10, $"{deferredWorkloads} workloads deferred over every stack file");

        // Stack files and examples use no anchors: the fast paths must not quietly give up on all of them.
        Assert.True(direct * 2 > files.Count, $"{direct} of {files.Count} files took the event path");
        Assert.True(plain * 2 > files.Count, $"{plain} of {files.Count} files took the plain path");
    }

    [SkippableFact]
    public void Every_yaml_file_in_the_shared_material_reads_the_same_both_ways()
    {
        var files = YamlFiles(SharedMaterial.Require(SharedMaterial.Directory));
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            AssertSame(File.ReadAllText(file), file);
        }
    }

    [Fact]
    public void Mutated_repository_yaml_reads_the_same_both_ways()
    {
        // Single-character edits with the characters YAML gives meaning to (anchors, aliases, flow brackets, keys,
        // quotes, comments, tags, indentation), and repeated lines (repeated keys), at seeded random places.
        const string Specials = "&*:-[]{}'\"#!|>? \t\n,%@`";
        var files = YamlFiles(SharedMaterial.RepositoryRoot).Where(f => new FileInfo(f).Length < 20_000).ToList();
        var random = new Random(20261205);
        // SKYRAY_YAML_MUTATIONS runs more of them (and another seed with SKYRAY_YAML_SEED) when checking a reader change.
        var count = int.TryParse(Environment.GetEnvironmentVariable("SKYRAY_YAML_MUTATIONS"), out var n) ? n : 1_500;
        if (int.TryParse(Environment.GetEnvironmentVariable("SKYRAY_YAML_SEED"), out var seed))
        {
            random = new Random(seed);
        }

        string[] pieces = [": ", "- ", " #", "---\n", "  ", "\n", "{", "}", "[", "]", ", ", "'", "\"", "\\", "a: b", "? ", "&x ", "*x", "!!str ", "|\n", "...\n"];
        for (var i = 0; i < count; i++)
        {
            var text = File.ReadAllText(files[random.Next(files.Count)]);
            if (text.Length == 0)
            {
                continue;
            }

            var at = random.Next(text.Length);
            var mutated = random.Next(7) switch
            {
                0 => text.Remove(at, 1),
                1 => text.Insert(at, Specials[random.Next(Specials.Length)].ToString()),
                2 => text.Remove(at, 1).Insert(at, Specials[random.Next(Specials.Length)].ToString()),
                3 => text.Insert(at, pieces[random.Next(pieces.Length)]),
                4 => Reindent(text, at, random.Next(2) == 0 ? 2 : -2),
                5 => text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(8))),
                _ => RepeatLine(text, at),
            };
            AssertSame(mutated, $"mutation {i}");
        }
    }

    [Theory]
    [InlineData("a: 1\nb: [x, 'y', \"z\"]\nc: {d: ~, e: 0x1F, f: 1.5e3}\n")]
    [InlineData("---\na: 1\n---\n---\n- b\n- !!str 2\n- !!int 3\n")]
    [InlineData("a: |\n  line\n  line\nb: >\n  folded\n  text\n")]
    [InlineData("'quoted key': 1\n!!str 2: two\n\"3\": three\n")]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("a:\n- 1\n- [2, [3, {b: c}]]\nd: {}\ne: []\n")]
    [InlineData("list:\n  - name: x\n    tags: {k: 'v #1', \"q\": \"a\\\"b\"}\n  -\n  - last\n")]
    [InlineData("a: b # comment\nc: d#not-a-comment\ne: 'f' # comment\nurl: http://x:80/y?z=1\n")]
    [InlineData("---\n---\na: 1\n")]
    [InlineData("key with spaces: value:with colons, no space after\n\"quoted key\": -1\n'single': .5\n")]
    [InlineData("a:\n  b:\n    c: ünïcödé ✓\n  d: ~\ne:\n")]
    [InlineData("  indented: root\n  second: key\n")]
    [InlineData("a: [b c, d]\nb: {x: 1, y: [2]}\n")]
    public void Plain_input_takes_the_direct_path_and_reads_the_same(string text)
    {
        Assert.True(YamlJson.DirectReader.TryRead(text, out _, out _));
        Assert.True(PlainYamlReader.TryRead(text, out _, out _) || text.Contains("!!", StringComparison.Ordinal) || text.Contains('|', StringComparison.Ordinal));
        AssertSame(text, "plain");
    }

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("? [a, b]\n: 1\n")]
    [InlineData("a: [1, 2\nb: 3\n")]
    [InlineData("a: b: c\n")]
    public void Input_the_direct_path_does_not_handle_goes_to_the_model_and_reads_the_same(string text)
    {
        Assert.False(YamlJson.DirectReader.TryRead(text, out _, out _));
        Assert.False(PlainYamlReader.TryRead(text, out _, out _));
        AssertSame(text, "special");
    }

    [Theory]
    [InlineData("- - nested on one line\n")]
    [InlineData("a: |\n  block\n  scalar\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("a: 'two\n  lines'\n")]
    [InlineData("a: plain\n  continued\n")]
    [InlineData("a:\tb\n")]
    [InlineData("a: 1\r\nb: 2\r\n")]
    [InlineData("a: \"\\u00e9\"\n")]
    public void Input_the_plain_reader_leaves_to_the_event_reader_reads_the_same(string text)
    {
        Assert.False(PlainYamlReader.TryRead(text, out _, out _));
        Assert.True(YamlJson.DirectReader.TryRead(text, out _, out _));
        AssertSame(text, "left to the event reader");
    }

    [Fact]
    public void Thousands_of_distinct_keys_and_repeated_ones_read_the_same_both_ways()
    {
        // The line reader keeps one string per distinct short key, up to a limit; past it keys get their own strings.
        var text = new StringBuilder("config:\n  skyray:workloads:\n");
        for (var i = 0; i < 3_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"    w{i:D5}:\n      kind: RayJob\n      labels: {{app: w{i:D5}, team: t{i % 7}, k{i}: v}}\n      head: {{cpu: 1, memory: 4Gi}}\n");
        }

        var yaml = text.ToString();
        Assert.True(PlainYamlReader.TryRead(yaml, out _, out _));
        AssertSame(yaml, "3,000 workloads with a distinct label key each");
    }

    private static void AssertSame(string text, string what)
    {
        var modelBag = new DiagnosticBag();
        var model = YamlJson.ParseDocuments(text, "x.yaml", modelBag, out var modelStarts, direct: false);
        var bothBag = new DiagnosticBag();
        var both = YamlJson.ParseDocuments(text, "x.yaml", bothBag, out var bothStarts, direct: true);

        AssertTrees(model, modelStarts, both, bothStarts, $"{what} (reading as every command does)");
        Assert.Equal(modelBag.Items.Select(d => d.ToString()), bothBag.Items.Select(d => d.ToString()));

        // Each fast path on its own: whatever it accepts, the model reads the same, without a problem.
        if (PlainYamlReader.TryRead(text, out var plain, out var plainStarts))
        {
            Assert.False(modelBag.HasErrors, $"{what}: the plain reader accepted text the model rejects: {string.Join("; ", modelBag.Items)}");
            AssertTrees(model, modelStarts, plain, plainStarts, $"{what} (plain reader)");
        }

        if (YamlJson.DirectReader.TryRead(text, out var events, out var eventStarts))
        {
            Assert.False(modelBag.HasErrors, $"{what}: the event reader accepted text the model rejects: {string.Join("; ", modelBag.Items)}");
            AssertTrees(model, modelStarts, events, eventStarts, $"{what} (event reader)");
        }

        AssertDeferralChangesNothing(text, what);

        // The same text as the value of a deferred workload: every construct in it is then checked without being built
        // first, and must give up, or be built later, exactly as when it is built at once.
        var indented = string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : "      " + line));
        AssertDeferralChangesNothing("config:\n  skyray:workloads:\n    other: {kind: RayJob}\n    embedded:\n" + indented, what + " (as a workload)");
    }

    /// <summary>
    /// Reading with the workloads deferred accepts exactly the texts reading at once accepts, and the trees, with each
    /// deferred value built afterwards, are the same.
    /// </summary>
    private static int AssertDeferralChangesNothing(string text, string what)
    {
        var atOnce = PlainYamlReader.TryRead(text, out var plain, out var plainStarts);
        var deferring = PlainYamlReader.TryRead(text, WorkloadsPath, out var docs, out var starts, out var deferred);
        Assert.True(atOnce == deferring, $"{what}: read at once: {atOnce}, deferring the workloads: {deferring}");
        if (!deferring)
        {
            return 0;
        }

        var built = 0;
        if (docs.Count > 0 && docs[0] is JsonObject root && root["config"] is JsonObject config && config["skyray:workloads"] is JsonObject workloads)
        {
            foreach (var key in workloads.Select(p => p.Key).ToList())
            {
                if (deferred.Has(key))
                {
                    Assert.Null(workloads[key]);
                    workloads[key] = deferred.Build(key);
                    built++;
                }
            }
        }

        AssertTrees(plain, plainStarts, docs, starts, $"{what} (workloads deferred, then built)");
        return built;
    }

    private static readonly string[] WorkloadsPath = ["config", "skyray:workloads"];

    private static void AssertTrees(IReadOnlyList<JsonNode?> model, IReadOnlyList<(int Line, int Column)> modelStarts, IReadOnlyList<JsonNode?> read, IReadOnlyList<(int Line, int Column)> readStarts, string what)
    {
        Assert.True(model.Count == read.Count, $"{what}: {model.Count} documents by the model, {read.Count} read");
        for (var i = 0; i < model.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(model[i], read[i]), $"{what}: document {i} differs:\n{model[i]?.ToJsonString()}\n{read[i]?.ToJsonString()}");
        }

        Assert.True(modelStarts.SequenceEqual(readStarts), $"{what}: document starts {string.Join(",", modelStarts)} by the model, {string.Join(",", readStarts)} read");
    }

    private static string Reindent(string text, int at, int by)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        if (by > 0)
        {
            return text.Insert(start, new string(' ', by));
        }

        return text.Length - start >= 2 && text[start] == ' ' && text[start + 1] == ' ' ? text.Remove(start, 2) : text;
    }

    private static string RepeatLine(string text, int at)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var end = text.IndexOf('\n', at);
        end = end < 0 ? text.Length : end + 1;
        var line = text[start..end];
        return new StringBuilder(text).Insert(end, line.EndsWith('\n') ? line : line + "\n").ToString();
    }

    private static List<string> YamlFiles(string root) =>
        Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules"))
            .Order(StringComparer.Ordinal)
            .ToList();
}
