using System.Text.Json.Nodes;
using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// <c>plan</c>, <c>render</c> and <c>simulate</c> decide the same run from the same options: on stacks/Pulumi.upgrade.yaml after a
/// version bump (previous outputs: prod active at 1.34), the next <c>pulumi up</c> clones prod, and every command shows the clone.
/// </summary>
public sealed class RunOptionsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "skyray-run-options-" + Guid.NewGuid().ToString("N"));

    public RunOptionsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Outputs(JsonObject outputs)
    {
        var file = Path.Combine(_dir, "outputs.json");
        File.WriteAllText(file, outputs.ToJsonString());
        return file;
    }

    private string AfterVersionBump() => Outputs(new JsonObject
    {
        ["clusters"] = new JsonObject
        {
            ["prod"] = new JsonObject { ["provider"] = "aws", ["kubernetesVersion"] = "1.34", ["lifecycle"] = "static", ["state"] = "active" },
        },
    });

    private static CliRun Run(params string[] args) => CliRun.Of(SharedMaterial.RepositoryRoot, args);

    [Fact]
    public void Render_with_previous_outputs_writes_the_clone_the_next_pulumi_up_declares_with_its_exposed_RayService()
    {
        var folder = Path.Combine(_dir, "out");

        var run = Run("render", "--config-file", "stacks/Pulumi.upgrade.yaml", "--previous-outputs", AfterVersionBump(), "--out", folder);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Equal<string>(["prod", "prod-1-35"], Directory.GetDirectories(folder).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray());
        var clone = File.ReadAllText(Path.Combine(folder, "prod-1-35", "workloads.yaml"));
        Assert.Contains("name: llm", clone, StringComparison.Ordinal);
        Assert.Contains("type: LoadBalancer", clone, StringComparison.Ordinal);
        Assert.DoesNotContain("name: nightly-eval", clone, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_without_previous_outputs_is_a_first_deployment_with_no_clone()
    {
        var folder = Path.Combine(_dir, "out");

        var run = Run("render", "--config-file", "stacks/Pulumi.upgrade.yaml", "--out", folder);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Equal<string>(["prod"], Directory.GetDirectories(folder).Select(d => Path.GetFileName(d)!).ToArray());
    }

    [Fact]
    public void Simulate_with_previous_outputs_prices_the_clone_too()
    {
        var run = Run("simulate", "--config-file", "stacks/Pulumi.upgrade.yaml", "--previous-outputs", AfterVersionBump(), "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var clusters = JsonNode.Parse(run.Out)!["clusters"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["prod", "prod-1-35"], clusters);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("render")]
    [InlineData("simulate")]
    public void Outputs_of_a_newer_SkyRay_are_refused_by_every_command(string command)
    {
        var newer = Outputs(new JsonObject { ["outputsFormat"] = 99 });
        string[] args = command == "render"
            ? [command, "--config-file", "stacks/Pulumi.upgrade.yaml", "--previous-outputs", newer, "--out", Path.Combine(_dir, "out")]
            : [command, "--config-file", "stacks/Pulumi.upgrade.yaml", "--previous-outputs", newer];

        var run = Run(args);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("error: outputs.outputsFormat: the stack's outputs were written by a newer SkyRay (outputs format 99)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_part_of_the_outputs_is_one_warning_naming_its_output_and_the_plan_goes_on()
    {
        var outputs = Outputs(new JsonObject { ["placements"] = "not json", ["clusters"] = new JsonObject() });

        var run = Run("plan", "--config-file", "stacks/Pulumi.upgrade.yaml", "--previous-outputs", outputs);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Single(run.Error.Split('\n'), l => l.StartsWith("warning: outputs.placements: the previous run's output cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void At_reads_the_standby_clocks_at_the_given_time_and_a_bad_time_is_a_located_error()
    {
        var bad = Run("plan", "--config-file", "stacks/Pulumi.upgrade.yaml", "--at", "yesterday");

        Assert.Equal(ExitCodes.InvalidInput, bad.ExitCode);
        Assert.Contains("error: --at: 'yesterday' is not a time", bad.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, Run("plan", "--config-file", "stacks/Pulumi.upgrade.yaml", "--at", "2026-12-04T10:00:00Z").ExitCode);
    }
}
