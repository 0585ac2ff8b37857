using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Testing;
using Xunit.Abstractions;

namespace SkyRay.Cli.Tests.Fuzz;

/// <summary>
/// Each class of bad input found when the project was tried with mutated stack files, generated on purpose at seeded places
/// of the dev stack: every one must end `validate` and `plan` with exit 2 and an error located at a config path
/// (<c>skyray:…</c>) or at the file's line and column, never a crash or another exit code.
/// </summary>
public sealed partial class BadInputClassFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20_261_205;
    private const int PerClass = 12;

    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-badclass-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] SpecialFloats = ["1e400", ".nan", "-.inf", ".inf", ".NaN", "-1e999"];

    /// <summary>The classes: name → a mutation of the dev stack's text for a seeded random source.</summary>
    private static readonly (string Class, Func<string, Random, string> Mutate)[] Classes =
    [
        ("huge integer", (text, r) => ReplaceValue(text, r, MaxNodes(), new string((char)('1' + r.Next(9)), 300 + r.Next(200)))),
        ("special float in an integer field", (text, r) => ReplaceValue(text, r, MaxNodes(), SpecialFloats[r.Next(SpecialFloats.Length)])),
        ("unclosed flow list in a block list", (text, r) => ReplaceValue(text, r, PoolName(), "[1, " + r.Next(100).ToString(CultureInfo.InvariantCulture))),
        ("nesting deeper than the limit", (text, r) =>
        {
            var depth = 201 + r.Next(300);
            return text.Replace("  skyray:kuberay:", $"  skyray:extra: {new string('[', depth)}{new string(']', depth)}\n  skyray:kuberay:", StringComparison.Ordinal);
        }),
        ("undefined alias", (text, r) => ReplaceValue(text, r, Provider(), "*nowhere" + r.Next(100).ToString(CultureInfo.InvariantCulture))),
        ("tab indentation", (text, r) =>
        {
            var lines = text.Split('\n');
            var indented = Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith("      ", StringComparison.Ordinal) && lines[i].Trim().Length > 0).ToList();
            var at = indented[r.Next(indented.Count)];
            lines[at] = "\t" + lines[at].TrimStart(' ');
            return string.Join('\n', lines);
        }),
        ("selector label value breaking label rules", (text, r) =>
            text.Replace("          cluster.class: production", $"          cluster.class: \"{(r.Next(2) == 0 ? "-starts-with-dash" : "has space " + r.Next(10).ToString(CultureInfo.InvariantCulture))}\"", StringComparison.Ordinal)),
        ("two policies selecting one workload", (text, r) =>
            text.Replace(
                "  skyray:kuberay:",
                "    also-llm-" + r.Next(1000).ToString(CultureInfo.InvariantCulture) + ":\n" +
                "      clusterSelector: {matchLabels: {cluster.class: production}}\n" +
                "      resourceSelectors:\n" +
                "        labelSelectors:\n" +
                "          - matchLabels: {app.kubernetes.io/part-of: llm}\n\n" +
                "  skyray:kuberay:",
                StringComparison.Ordinal)
            // The workload then names no policy of its own, so both policies' resource selectors claim it.
            .Replace("      policy: production-only\n", "", StringComparison.Ordinal)),
    ];

    [Fact]
    public void Every_class_of_bad_input_is_refused_with_a_located_error_by_validate_and_plan()
    {
        var dev = File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"));
        var random = new Random(Seed);
        var failures = new List<string>();
        var tried = 0;
        var located = 0;
        foreach (var (name, mutate) in Classes)
        {
            for (var i = 0; i < PerClass; i++)
            {
                var text = mutate(dev, random);
                Assert.NotEqual(dev, text);
                var file = Path.Combine(_dir, $"Pulumi.case{tried}.yaml");
                File.WriteAllText(file, text);
                foreach (var command in new[] { "validate", "plan" })
                {
                    tried++;
                    var run = CliRun.Of(_dir, command, "--config-file", file, "--output", "json");
                    var where = run.ExitCode == ExitCodes.InvalidInput ? LocatedErrors(run, command) : [];
                    if (where.Count > 0)
                    {
                        located++;
                    }
                    else
                    {
                        failures.Add($"{name} #{i}, {command}: exit {run.ExitCode}\n{run.Out}{run.Error}");
                    }
                }
            }
        }

        output.WriteLine($"{Classes.Length} classes × {PerClass} inputs × 2 commands: {tried} runs, {located} refused with a located error, {failures.Count} not");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
        Assert.Equal(Classes.Length * PerClass * 2, located);
    }

    /// <summary>Errors located at a config path or at a file's line and column (JSON on standard output or standard error).</summary>
    private static List<string> LocatedErrors(CliRun run, string command)
    {
        var text = command == "validate" ? run.Out : (run.Out.TrimStart().StartsWith('[') ? run.Out : run.Error);
        JsonArray diagnostics;
        try
        {
            diagnostics = JsonNode.Parse(text) as JsonArray ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [.. LocatedText().Matches(run.Error).Select(m => m.Value)];
        }

        return [.. diagnostics
            .Where(d => d?["severity"]?.GetValue<string>() == "error")
            .Select(d => d!["path"]?.GetValue<string>() ?? "")
            .Where(p => p.StartsWith("skyray:", StringComparison.Ordinal) || FileLineColumn().IsMatch(p))];
    }

    private static string ReplaceValue(string text, Random random, Regex line, string value)
    {
        var matches = line.Matches(text);
        var m = matches[random.Next(matches.Count)];
        return string.Concat(text.AsSpan(0, m.Groups["value"].Index), value, text.AsSpan(m.Groups["value"].Index + m.Groups["value"].Length));
    }

    [GeneratedRegex(@"^ +maxNodes: (?<value>\d+)$", RegexOptions.Multiline)]
    private static partial Regex MaxNodes();

    [GeneratedRegex(@"^ +- name: (?<value>[a-z0-9-]+)$", RegexOptions.Multiline)]
    private static partial Regex PoolName();

    [GeneratedRegex(@"^ +provider: (?<value>[a-z]+)$", RegexOptions.Multiline)]
    private static partial Regex Provider();

    [GeneratedRegex(@":\d+:\d+$")]
    private static partial Regex FileLineColumn();

    [GeneratedRegex(@"error: (skyray:\S+|\S+:\d+:\d+):")]
    private static partial Regex LocatedText();
}
