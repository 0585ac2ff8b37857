using System.Text.Json.Nodes;
using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary><c>skyray plan --previous-outputs</c> on stacks/Pulumi.upgrade.yaml: the next run's upgrade step and traffic switch.</summary>
public sealed class PlanUpgradeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "skyray-plan-upgrade-" + Guid.NewGuid().ToString("N"));

    public PlanUpgradeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonObject Cluster(string version) => new()
    {
        ["provider"] = "aws", ["kubernetesVersion"] = version, ["lifecycle"] = "static", ["state"] = "active",
    };

    private CliRun Plan(JsonObject outputs, params string[] args)
    {
        var file = Path.Combine(_dir, "outputs.json");
        File.WriteAllText(file, outputs.ToJsonString());
        return CliRun.Of(SharedMaterial.RepositoryRoot, ["plan", "--config-file", "stacks/Pulumi.upgrade.yaml", "--previous-outputs", file, .. args]);
    }

    [Fact]
    public void Plan_after_a_version_bump_previews_the_clone_step_and_the_record_staying_on_the_old_cluster()
    {
        // The previous run declared llm on prod (its placements), so its serve Service exists and the record can be read and kept there.
        var first = CliRun.Of(SharedMaterial.RepositoryRoot, ["plan", "--config-file", "stacks/Pulumi.upgrade.yaml", "--output", "json"]);
        var run = Plan(new JsonObject { ["clusters"] = new JsonObject { ["prod"] = Cluster("1.34") }, ["placements"] = first.Out.Trim() });

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("~ upgrade prod 1.34 → 1.35 (cloned, step 1 of 3): cloned prod as prod-1-35 at 1.35", run.Out);
        Assert.Contains("+ traffic llm.example.com → prod (CNAME)", run.Out);
        Assert.Contains("prod-1-35", run.Out);
    }

    [Fact]
    public void Without_an_observation_a_record_waits_for_a_RayService_no_previous_run_declared_and_says_why()
    {
        var run = Plan(new JsonObject { ["clusters"] = new JsonObject { ["prod"] = Cluster("1.31") } });

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain("+ traffic llm.example.com", run.Out, StringComparison.Ordinal);
        Assert.Contains("assumed (no observation)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_after_the_clone_run_previews_the_traffic_switch_to_the_clone()
    {
        var cloned = Plan(new JsonObject { ["clusters"] = new JsonObject { ["prod"] = Cluster("1.34") } }, "--output", "json");
        Assert.True(cloned.ExitCode == ExitCodes.Ok, cloned.ToString());
        var outputs = new JsonObject
        {
            ["clusters"] = new JsonObject { ["prod"] = Cluster("1.34"), ["prod-1-35"] = Cluster("1.35") },
            ["placements"] = cloned.Out.Trim(),
            ["upgrades"] = """{"prod":{"cluster":"prod","clone":"prod-1-35","from":"1.34","to":"1.35","phase":"cloned","serving":["llm"],"traffic":["prod"]}}""",
            ["traffic"] = new JsonObject { ["llm"] = new JsonArray("prod") },
        };

        var run = Plan(outputs);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("~ upgrade prod 1.34 → 1.35 (swapped, step 2 of 3)", run.Out);
        Assert.Contains("~ traffic llm.example.com → prod-1-35 (was prod; CNAME)", run.Out);
    }

    [Fact]
    public void Unreadable_outputs_file_is_a_located_error()
    {
        var file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, "[1, 2]");

        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "plan", "--config-file", "stacks/Pulumi.upgrade.yaml", "--previous-outputs", file);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("--previous-outputs", run.Error);
        Assert.Contains("pulumi stack output --json", run.Error);
    }
}
