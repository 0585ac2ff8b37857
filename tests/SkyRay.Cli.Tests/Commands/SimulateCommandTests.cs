using System.Text.Json.Nodes;
using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// The dev stack plans aws-west active (cpu 1 × m6i.2xlarge $0.384, gpu 2 × g5.2xlarge $1.212, gpu-l4 2 × g6.2xlarge
/// $0.9776, EKS fee $0.10 → $4.8632/h), gcp-l4 absent (always-on: e2-standard-4 $0.13401 + GKE fee $0.10 → $0.23401/h)
/// and lab active (2 × c6i.4xlarge $0.68, no fee → $1.36/h). Over 730 h: plan 3,550.1360 + 992.80 = 4,542.936;
/// always-on adds gcp-l4's 170.8273 → 4,713.7633.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Dev_stack_month_costs_the_plan_and_the_always_on_baseline_and_shows_the_savings()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--stack", "dev");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Stack 'dev': cost over 730 h at 100% utilization", run.Out, StringComparison.Ordinal);
        var total = run.Out.Split('\n').Single(l => l.Contains("│ total", StringComparison.Ordinal));
        Assert.Contains("│ 4,542.94 │ 4,713.76    │ 170.82  │", total, StringComparison.Ordinal);
        Assert.Contains("Just in time saves $170.82 of $4,713.76 (3.6%) against every cluster always on.", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Json_output_gives_per_cluster_and_total_amounts_in_cents()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--stack", "dev", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal(4542.94m, (decimal)json["total"]!["planUsd"]!);
        Assert.Equal(4713.76m, (decimal)json["total"]!["baselineUsd"]!);
        Assert.Equal(170.82m, (decimal)json["total"]!["savingsUsd"]!);
        var clusters = json["clusters"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => c!);
        Assert.Equal(("active", 3550.14m), ((string)clusters["aws-west"]["state"]!, (decimal)clusters["aws-west"]["planUsd"]!));
        Assert.Equal(("absent", 0m, 170.83m), ((string)clusters["gcp-l4"]["state"]!, (decimal)clusters["gcp-l4"]["planUsd"]!, (decimal)clusters["gcp-l4"]["baselineUsd"]!));
        Assert.Equal(992.80m, (decimal)clusters["lab"]["planUsd"]!);
    }

    [Fact]
    public void Shorter_period_scales_every_amount()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--stack", "dev", "--hours", "10", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var total = JsonNode.Parse(run.Out)!["total"]!;
        Assert.Equal(62.23m, (decimal)total["planUsd"]!);      // 6.2232 × 10
        Assert.Equal(64.57m, (decimal)total["baselineUsd"]!);  // 6.45721 × 10
    }

    [Fact]
    public void Lower_utilization_only_lowers_the_plan()
    {
        var full = JsonNode.Parse(CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--stack", "dev", "--output", "json").Out)!["total"]!;
        var part = JsonNode.Parse(CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--stack", "dev", "--utilization", "30", "--output", "json").Out)!["total"]!;

        Assert.True((decimal)part["planUsd"]! < (decimal)full["planUsd"]!);
        Assert.Equal((decimal)full["baselineUsd"]!, (decimal)part["baselineUsd"]!);
    }

    [Theory]
    [InlineData("--hours", "0")]
    [InlineData("--hours", "-5")]
    [InlineData("--utilization", "150")]
    public void Out_of_range_period_exits_2_naming_the_option(string option, string value)
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--stack", "dev", option, value);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"error: {option}: {value} is not a", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Invalid_config_exits_2_with_the_located_error()
    {
        var dev = File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"));
        File.WriteAllText(Path.Combine(_dir, "Pulumi.dev.yaml"), dev.Replace("          maxNodes: 6", "          maxNodes: -6", StringComparison.Ordinal));

        var run = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.dev.yaml");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("error: skyray:clusters.aws-west.nodePools[0].maxNodes", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }
}
