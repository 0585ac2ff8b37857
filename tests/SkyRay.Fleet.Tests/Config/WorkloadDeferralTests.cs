using System.Text.Json;
using SkyRay.Fleet.Config;
using SkyRay.Testing;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>
/// Loading a stack file builds each workload's tree just before reading it. That must load exactly what building the
/// whole file first loads: the same spec and the same problems, on every stack of the repository and on broken ones.
/// The expected side is the load with deferral switched off, which takes none of the deferring code.
/// </summary>
public sealed class WorkloadDeferralTests
{
    [Fact]
    public void Every_repository_stack_loads_the_same_with_its_workloads_built_one_at_a_time()
    {
        var stacks = StackFiles();
        Assert.NotEmpty(stacks);
        foreach (var stack in stacks)
        {
            AssertSameLoad(stack, Path.GetFileName(stack));
        }
    }

    [Fact]
    public void Broken_stacks_report_the_same_problems_with_their_workloads_built_one_at_a_time()
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

    private static void AssertSameLoad(string path, string what)
    {
        var deferring = StackLoader.LoadFile(path, LoadOptions.Default);
        var atOnce = StackLoader.LoadFile(path, LoadOptions.Default with { DeferWorkloads = false });
        Assert.Equal(atOnce.Diagnostics.Select(d => d.ToString()), deferring.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(atOnce.Ok, deferring.Ok);
        if (atOnce.Ok)
        {
            var expected = Serialized(atOnce.Value!);
            Assert.Contains("\"Workloads\"", expected, StringComparison.Ordinal);
            Assert.True(
                expected == Serialized(deferring.Value!),
                $"{what}: the spec differs when the workloads are built one at a time");
            Assert.Equal(atOnce.Value!.Workloads.Keys, deferring.Value!.Workloads.Keys);
        }
    }

    private static string Serialized(FleetSpec spec) => JsonSerializer.Serialize(spec);

    private static List<string> StackFiles() =>
        [Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"), .. Directory.GetFiles(Path.Combine(SharedMaterial.RepositoryRoot, "stacks"), "Pulumi.*.yaml").Order(StringComparer.Ordinal)];
}
