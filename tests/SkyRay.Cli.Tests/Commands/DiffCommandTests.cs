using System.Text.Json.Nodes;
using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// <c>skyray diff</c> on hand-made pairs of the training stack (a static cluster whose GPU pool holds 2 nodes, one A10G job
/// of 2 GPU workers fits there, the second overflows to the dynamic burst cluster).
/// </summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-diff-").FullName;
    private readonly string _training = File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "Pulumi.training.yaml"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        File.WriteAllText(Path.Combine(_dir, name), text);
        return name;
    }

    /// <summary>The static cluster's GPU pool grows from 2 to 4 nodes: the second job fits there too.</summary>
    private string BiggerStaticGpuPool()
    {
        var gpu = _training.IndexOf("        - name: gpu", StringComparison.Ordinal);
        var max = _training.IndexOf("maxNodes: 2", gpu, StringComparison.Ordinal);
        return string.Concat(_training.AsSpan(0, max), "maxNodes: 4", _training.AsSpan(max + "maxNodes: 2".Length));
    }

    [Fact]
    public void A_bigger_static_pool_moves_the_overflow_job_home_and_deletes_the_burst_cluster()
    {
        var head = Write("Pulumi.head.yaml", BiggerStaticGpuPool());
        var baseFile = Write("Pulumi.base.yaml", _training);

        var run = CliRun.Of(_dir, "diff", "--base", baseFile, "--head", head, "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Changes, run.ToString());
        var json = JsonNode.Parse(run.Out)!;
        var moved = Assert.Single(json["workloads"]!.AsArray())!;
        Assert.Equal(("train-b", "moved", "aws-burst", "aws-train"), (moved["workload"]!.GetValue<string>(), moved["change"]!.GetValue<string>(), moved["from"]![0]!.GetValue<string>(), moved["to"]![0]!.GetValue<string>()));
        var cluster = Assert.Single(json["clusters"]!.AsArray())!;
        Assert.Equal(("aws-burst", "deleted", "active", "absent"), (cluster["cluster"]!.GetValue<string>(), cluster["change"]!.GetValue<string>(), cluster["from"]!.GetValue<string>(), cluster["to"]!.GetValue<string>()));
        Assert.True(json["changed"]!.GetValue<bool>());
    }

    [Fact]
    public void The_reverse_change_creates_the_burst_cluster_and_the_markdown_says_so_in_a_stable_form()
    {
        var bigger = Write("Pulumi.bigger.yaml", BiggerStaticGpuPool());
        var training = Write("Pulumi.training.yaml", _training);

        var run = CliRun.Of(_dir, "diff", "--base", bigger, "--head", training, "--output", "markdown");

        Assert.True(run.ExitCode == ExitCodes.Changes, run.ToString());
        Assert.StartsWith("### Placement diff: training\n\n1 moved, 1 cluster(s) change state. Node cost per hour $", run.Out, StringComparison.Ordinal);
        Assert.Contains("| train-b | moved | aws-train | aws-burst | aws-burst: CreateCluster |\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("| aws-burst | created | absent | active |\n", run.Out, StringComparison.Ordinal);
        Assert.Equal(run.Out, CliRun.Of(_dir, "diff", "--base", bigger, "--head", training, "--output", "markdown").Out);
    }

    [Fact]
    public void Every_stack_of_the_repository_diffed_with_itself_or_its_plan_json_has_no_change()
    {
        foreach (var stack in Directory.GetFiles(Path.Combine(SharedMaterial.RepositoryRoot, "stacks"), "Pulumi.*.yaml").Append(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml")))
        {
            var run = CliRun.Of(_dir, "diff", "--base", stack, "--head", stack);
            Assert.True(run.ExitCode == ExitCodes.Ok, $"{Path.GetFileName(stack)}: {run}");
            Assert.StartsWith("No placement change", run.Out, StringComparison.Ordinal);
        }

        var plan = CliRun.Of(SharedMaterial.RepositoryRoot, "plan", "--config-file", "stacks/Pulumi.training.yaml", "--output", "json");
        var planFile = Write("training.plan.json", plan.Out);
        var fromJson = CliRun.Of(_dir, "diff", "--base", planFile, "--head", Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "Pulumi.training.yaml"));
        Assert.True(fromJson.ExitCode == ExitCodes.Ok, fromJson.ToString());
    }

    [Fact]
    public void Invalid_sides_exit_2_with_located_errors()
    {
        var broken = Write("Pulumi.broken.yaml", _training.Replace("maxNodes: 2", "maxNodes: many", StringComparison.Ordinal));
        var notPlan = Write("notaplan.json", "{\"hello\": 1}");

        var invalid = CliRun.Of(_dir, "diff", "--base", broken, "--head", broken);
        var missing = CliRun.Of(_dir, "diff", "--base", "nowhere.yaml", "--head", broken);
        var json = CliRun.Of(_dir, "diff", "--base", notPlan, "--head", notPlan);

        Assert.Equal(ExitCodes.InvalidInput, invalid.ExitCode);
        Assert.Contains("error: skyray:clusters.aws-train.nodePools[1].maxNodes", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, missing.ExitCode);
        Assert.Contains("error: --base: no file nowhere.yaml", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, json.ExitCode);
        Assert.Contains("is not a plan JSON", json.Error, StringComparison.Ordinal);
    }
}
