using System.Text.Json;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Testing;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>
/// Loading a stack file builds each workload's tree just before reading it, and a large stack's workloads are read in
/// slices on several threads at once. Both must load exactly what building the whole file first and reading it on one
/// thread loads: the same spec and the same problems in the same order, on every stack of the repository and on broken
/// ones. The expected side is the load with deferral switched off and one slice, which takes none of that code.
/// </summary>
public sealed class WorkloadDeferralTests
{
    /// <summary>The loads compared with the plain one: deferred on one thread, and in three slices with and without deferral.</summary>
    private static readonly (string What, LoadOptions Options)[] Variants =
    [
        ("built one at a time", LoadOptions.Default with { WorkloadSlices = 1 }),
        ("built one at a time, read in three slices at once", LoadOptions.Default with { WorkloadSlices = 3 }),
        ("built at once, read in three slices at once", LoadOptions.Default with { DeferWorkloads = false, WorkloadSlices = 3 }),
    ];

    [Fact]
    public void Every_repository_stack_loads_the_same_with_its_workloads_built_one_at_a_time_or_read_in_slices()
    {
        var stacks = StackFiles();
        Assert.NotEmpty(stacks);
        foreach (var stack in stacks)
        {
            AssertSameLoad(stack, Path.GetFileName(stack));
        }
    }

    [Fact]
    public void Broken_stacks_report_the_same_problems_with_their_workloads_built_one_at_a_time_or_read_in_slices()
    {
        // Seeded edits inside and around the workloads: wrong values, unknown keys, repeated keys, broken YAML.
        string[] edits = ["cpu: lots", "replicas: -3", "kind: RayThing", "imagePolicy: x", "memory: 4", "{", "  bad indent: 1", "'"];
        var random = new Random(20261206);
        var directory = Directory.CreateTempSubdirectory("skyray-deferral-");
        try
        {
            var checkedStacks = 0;
            foreach (var stack in StackFiles())
            {
                var lines = File.ReadAllLines(stack);
                var start = Array.FindIndex(lines, l => l.TrimEnd() == "  skyray:workloads:");
                if (start < 0)
                {
                    continue;
                }

                for (var i = 0; i < 12; i++)
                {
                    var edited = lines.ToList();
                    var at = start + 1 + random.Next(Math.Max(1, edited.Count - start - 1));
                    var edit = edits[random.Next(edits.Length)];
                    if (random.Next(3) == 0)
                    {
                        // A whole line repeated: a repeated key where the line is a key.
                        edited.Insert(at, edited[Math.Min(at, edited.Count - 1)]);
                    }
                    else
                    {
                        var line = edited[Math.Min(at, edited.Count - 1)];
                        var indent = line.Length - line.TrimStart(' ').Length;
                        edited.Insert(at, new string(' ', indent) + edit);
                    }

                    var path = Path.Combine(directory.FullName, "Pulumi.edited.yaml");
                    File.WriteAllLines(path, edited);
                    AssertSameLoad(path, $"{Path.GetFileName(stack)} with '{edit}' at line {at + 1}");
                    checkedStacks++;
                }
            }

            Assert.True(checkedStacks >= 24, $"only {checkedStacks} edited stacks checked");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_large_stack_loads_the_same_read_in_slices_at_once_as_on_one_thread()
    {
        // 3,000 workloads of a few shapes; every 7th has an unreadable cpu and every 11th a misspelt key (errors), every
        // 5th an image on the tag 'latest' (a warning), so every slice has problems to hand back.
        var text = new System.Text.StringBuilder();
        text.Append("config:\n  skyray:clusters:\n    a:\n      provider: existing\n      existing: {context: ctx-a}\n      kubernetesVersion: \"1.35\"\n");
        text.Append("      lifecycle: static\n      nodePools:\n        - {name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 10}\n  skyray:workloads:\n");
        for (var i = 0; i < 3_000; i++)
        {
            text.Append($"    w{i:D5}:\n      kind: {(i % 3 == 0 ? "RayJob" : i % 3 == 1 ? "RayCluster" : "RayService")}\n      namespace: team-{i % 4}\n");
            text.Append($"      image: rayproject/ray:{(i % 5 == 0 ? "latest" : "2.52.0")}\n");
            text.Append($"      head: {{cpu: {(i % 7 == 0 ? "lots" : "1")}, memory: 4Gi}}\n");
            text.Append($"      workerGroups:\n        - {{name: workers, cpu: {1 + (i % 4)}, memory: 4Gi, replicas: {1 + (i % 3)}}}\n");
            text.Append(i % 3 == 0 ? "      entrypoint: python main.py\n" : i % 3 == 2 ? "      serveConfigV2: {applications: [{name: app, import_path: \"main:app\"}]}\n" : "");
            if (i % 11 == 0)
            {
                text.Append("      namspace: typo\n");
            }
        }

        var directory = Directory.CreateTempSubdirectory("skyray-slices-");
        try
        {
            var path = Path.Combine(directory.FullName, "Pulumi.large.yaml");
            File.WriteAllText(path, text.ToString());
            var one = StackLoader.LoadFile(path, LoadOptions.Default with { WorkloadSlices = 1 });
            // By hand: i = 0, 7, ..., 2,996 is 429 workloads; i = 0, 11, ..., 2,992 is 273; i = 0, 5, ..., 2,995 is 600.
            Assert.Equal(429, one.Diagnostics.Count(d => d.Severity == Severity.Error && d.Path.EndsWith(".head.cpu", StringComparison.Ordinal)));
            Assert.Equal(273, one.Diagnostics.Count(d => d.Severity == Severity.Error && d.Path.EndsWith(".namspace", StringComparison.Ordinal)));
            Assert.Equal(600, one.Diagnostics.Count(d => d.Severity == Severity.Warning && d.Path.EndsWith(".image", StringComparison.Ordinal)));
            foreach (var slices in new[] { 2, 4, 7 })
            {
                var sliced = StackLoader.LoadFile(path, LoadOptions.Default with { WorkloadSlices = slices });
                Assert.Equal(one.Diagnostics.Select(d => d.ToString()), sliced.Diagnostics.Select(d => d.ToString()));
            }

            // Without the errors the stack loads; the specs must be the same too.
            File.WriteAllText(path, text.ToString().Replace("cpu: lots", "cpu: 2", StringComparison.Ordinal).Replace("      namspace: typo\n", "", StringComparison.Ordinal));
            var clean = StackLoader.LoadFile(path, LoadOptions.Default with { WorkloadSlices = 1 });
            Assert.True(clean.Ok, string.Join("\n", clean.Diagnostics.Take(5)));
            Assert.Equal(3_000, clean.Value!.Workloads.Count);
            var sliceRead = StackLoader.LoadFile(path, LoadOptions.Default with { WorkloadSlices = 4 });
            Assert.Equal(clean.Diagnostics.Select(d => d.ToString()), sliceRead.Diagnostics.Select(d => d.ToString()));
            Assert.True(Serialized(clean.Value!) == Serialized(sliceRead.Value!), "the spec differs when the workloads are read in four slices at once");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void AssertSameLoad(string path, string what)
    {
        var atOnce = StackLoader.LoadFile(path, LoadOptions.Default with { DeferWorkloads = false, WorkloadSlices = 1 });
        foreach (var (how, options) in Variants)
        {
            var other = StackLoader.LoadFile(path, options);
            Assert.Equal(atOnce.Diagnostics.Select(d => d.ToString()), other.Diagnostics.Select(d => d.ToString()));
            Assert.Equal(atOnce.Ok, other.Ok);
            if (atOnce.Ok)
            {
                var expected = Serialized(atOnce.Value!);
                Assert.Contains("\"Workloads\"", expected, StringComparison.Ordinal);
                Assert.True(
                    expected == Serialized(other.Value!),
                    $"{what}: the spec differs when the workloads are {how}");
                Assert.Equal(atOnce.Value!.Workloads.Keys, other.Value!.Workloads.Keys);
            }
        }
    }

    private static string Serialized(FleetSpec spec) => JsonSerializer.Serialize(spec);

    private static List<string> StackFiles() =>
        [Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"), .. Directory.GetFiles(Path.Combine(SharedMaterial.RepositoryRoot, "stacks"), "Pulumi.*.yaml").Order(StringComparer.Ordinal)];
}
