using System.Security.Cryptography;
using System.Text;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;
using SkyRay.Testing;

namespace SkyRay.Placement.Tests.Golden;

/// <summary>
/// Pins the exact <see cref="PlanJson"/> of the dev stack, every scenario stack and a set of random fleets, so a change
/// meant to be behaviour-neutral (an optimisation) provably changes no byte of any plan. After an intended change of
/// behaviour, regenerate with <c>SKYRAY_UPDATE_GOLDEN=1 dotnet test tests/SkyRay.Placement.Tests</c> and review the diff.
/// </summary>
public sealed class GoldenPlanTests
{
    private static string GoldenDir => Path.Combine(SharedMaterial.RepositoryRoot, "tests", "SkyRay.Placement.Tests", "Golden");

    private static bool Update => Environment.GetEnvironmentVariable("SKYRAY_UPDATE_GOLDEN") == "1";

    public static TheoryData<string> Stacks() => ["dev", "compound-ai", "experiments", "priority", "serving", "training", "upgrade"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Stack_plans_are_byte_identical_to_the_golden_files(string stack)
    {
        var path = stack == "dev"
            ? Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml")
            : Path.Combine(SharedMaterial.RepositoryRoot, "stacks", $"Pulumi.{stack}.yaml");
        var loaded = StackLoader.LoadFile(path);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));

        Check($"{stack}.golden", Sections(loaded.Value!));
    }

    [Fact]
    public void Random_fleet_plans_are_byte_identical_to_the_golden_file()
    {
        // Hashes, one line per seed and section: the full text of 40 fleets would be megabytes in the repository; the summary
        // golden below says the same plans in words.
        var text = new StringBuilder();
        for (var seed = 0; seed < 40; seed++)
        {
            foreach (var section in Sections(RandomFleet.Generate(seed).Build()).Split("## ", StringSplitOptions.RemoveEmptyEntries))
            {
                var title = section[..section.IndexOf('\n', StringComparison.Ordinal)];
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(section)));
                text.Append("seed ").Append(seed).Append(' ').Append(title).Append(": ").Append(hash).Append('\n');
            }
        }

        Check("random.golden", text.ToString());
    }

    [Fact]
    public void Random_fleet_plans_read_as_the_golden_summary()
    {
        // What the hashes above pin, in words a reviewer can diff: per seed, each cluster's state, pools and cost, and each
        // workload's copies with their launch tier and worker replicas (or why it is unplaced).
        var text = new StringBuilder();
        for (var seed = 0; seed < 40; seed++)
        {
            var plan = FleetPlanner.Plan(RandomFleet.Generate(seed).Build());
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"# seed {seed}: {plan.HourlyCost:0.0000} $/h\n");
            foreach (var c in plan.Clusters.Values)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"cluster {c.Cluster} {c.State.ToString().ToLowerInvariant()} {c.HourlyCost:0.0000} $/h");
                foreach (var p in c.Pools)
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $" {p.Pool}={p.DesiredNodes}/{p.MaxNodes}");
                }

                text.Append('\n');
            }

            foreach (var w in plan.Placements.Values)
            {
                text.Append("workload ").Append(w.Workload).Append(" →");
                if (!w.IsPlaced)
                {
                    text.Append(" unplaced: ").Append(w.UnplacedReason).Append('\n');
                    continue;
                }

                foreach (var copy in w.Copies)
                {
                    text.Append(' ').Append(copy.Cluster).Append('(').Append(copy.Tier).Append(')');
                    foreach (var (group, replicas) in copy.WorkerReplicas)
                    {
                        text.Append(' ').Append(group).Append('=').Append(replicas);
                    }

                    text.Append(';');
                }

                foreach (var missing in w.MissingCopies)
                {
                    text.Append(" missing ").Append(missing.Domain).Append(';');
                }

                text.Append('\n');
            }
        }

        Check("random-summary.golden", text.ToString());
    }

    /// <summary>A plan, its explained form, a re-plan against it and a plan with one-sentence capacity verdicts.</summary>
    private static string Sections(FleetSpec spec)
    {
        var plan = FleetPlanner.Plan(spec);
        var text = new StringBuilder();
        text.Append("## plan\n").Append(PlanJson.Write(plan)).Append('\n');
        text.Append("## explain\n").Append(PlanJson.Write(FleetPlanner.Plan(spec, null, new PlanOptions(Explain: true)))).Append('\n');
        text.Append("## replan\n").Append(PlanJson.Write(FleetPlanner.Plan(spec, plan))).Append('\n');
        text.Append("## short verdicts\n").Append(PlanJson.Write(FleetPlanner.Plan(spec, null, new PlanOptions(DetailedVerdictLimit: 0)))).Append('\n');
        return text.ToString().ReplaceLineEndings("\n");
    }

    private static void Check(string file, string actual)
    {
        var path = Path.Combine(GoldenDir, file);
        if (Update)
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run with SKYRAY_UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            var line = FirstDifferentLine(expected, actual);
            Assert.Fail($"{file} differs from the plan at line {line.Number}:\n  golden: {line.Expected}\n  actual: {line.Actual}");
        }
    }

    private static (int Number, string Expected, string Actual) FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "(end)";
            var y = i < b.Length ? b[i] : "(end)";
            if (x != y)
            {
                return (i + 1, x, y);
            }
        }

        return (0, "", "");
    }
}
