using System.Diagnostics;
using System.Text.Json.Nodes;
using SkyRay.Testing;
using Xunit.Abstractions;

namespace SkyRay.Cli.Tests.Fuzz;

public sealed class ConfigFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20_261_125;
    private const int Cases = 1_400;
    private const int RequiredInvalid = 1_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Mutated_and_garbage_stack_files_give_located_errors_and_never_an_unhandled_exception()
    {
        var devText = File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"));
        var random = new Random(Seed);
        var mutators = new[] { new ConfigMutator(random, devText), new ConfigMutator(random, WithRawWorkload(devText)) };
        var invalid = 0;
        var stayedValid = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var timeByKind = new Dictionary<string, long>(StringComparer.Ordinal);

        for (var i = 0; i < Cases; i++)
        {
            var started = clock.ElapsedMilliseconds;
            var (kind, text) = mutators[i % mutators.Length].Next();
            var file = Path.Combine(_dir, $"Pulumi.fuzz{i}.yaml");
            File.WriteAllText(file, text);
            var run = CliRun.Of(_dir, "validate", "--config-file", file, "--output", "json");

            if (run.ExitCode == ExitCodes.Ok)
            {
                // A mutation that happens to keep the stack valid (e.g. truncating after a complete section) is counted, not failed.
                stayedValid[kind] = stayedValid.GetValueOrDefault(kind) + 1;
            }
            else if (run.ExitCode == ExitCodes.InvalidInput && HasLocatedError(run))
            {
                invalid++;
            }
            else
            {
                failures.Add($"case {i} ({kind}): {run}\n--- input (first 400 chars) ---\n{text[..Math.Min(400, text.Length)]}");
            }

            timeByKind[kind] = timeByKind.GetValueOrDefault(kind) + clock.ElapsedMilliseconds - started;
        }

        output.WriteLine($"{Cases} cases in {clock.ElapsedMilliseconds} ms: {invalid} invalid with located errors, " +
            $"{stayedValid.Values.Sum()} stayed valid ({string.Join(", ", stayedValid.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}), {failures.Count} failures");
        output.WriteLine("ms by kind: " + string.Join(", ", timeByKind.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} failing cases; first ones:\n" + string.Join("\n\n", failures.Take(5)));
        Assert.True(invalid >= RequiredInvalid, $"only {invalid} of {Cases} cases were invalid; the mutator must produce at least {RequiredInvalid}");
    }

    /// <summary>The dev stack plus a raw-form RayService, so mutations also reach the raw spec readers.</summary>
    private static string WithRawWorkload(string devText)
    {
        const string raw = """
            raw-serve:
              kind: RayService
              spec:
                serveConfigV2: |
                  applications:
                    - name: app
                      import_path: app:deployment
                rayClusterConfig:
                  rayVersion: "2.52.0"
                  headGroupSpec:
                    rayStartParams: {}
                    template:
                      spec:
                        containers:
                          - name: ray-head
                            image: rayproject/ray:2.52.0
                            resources:
                              requests: {cpu: "2", memory: 8Gi}
                  workerGroupSpecs:
                    - groupName: cpu
                      replicas: 2
                      minReplicas: 1
                      maxReplicas: 4
                      rayStartParams: {}
                      template:
                        spec:
                          containers:
                            - name: ray-worker
                              image: rayproject/ray:2.52.0
                              resources:
                                requests: {cpu: "4", memory: 16Gi}
            """;
        var indented = string.Concat(raw.Split('\n').Select(line => "    " + line + "\n"));
        return devText.Replace("  skyray:policies:", indented + "\n  skyray:policies:", StringComparison.Ordinal);
    }

    private static bool HasLocatedError(CliRun run)
    {
        JsonArray diagnostics;
        try
        {
            diagnostics = run.Json();
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }

        return diagnostics.Any(d => d?["severity"]?.GetValue<string>() == "error" && !string.IsNullOrWhiteSpace(d["path"]?.GetValue<string>()));
    }
}
