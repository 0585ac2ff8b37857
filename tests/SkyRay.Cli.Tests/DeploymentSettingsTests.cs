using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.Testing;

namespace SkyRay.Cli.Tests;

/// <summary>
/// Pulumi Deployments as code: every environment stack has a <c>Pulumi.&lt;stack&gt;.deploy.yaml</c> beside <c>Pulumi.yaml</c> in the
/// shape <c>pulumi deployment settings push</c> reads (settings.sourceContext.git, settings.operationContext with OIDC for the three
/// clouds and pre-run commands), gated on the test command and the just-in-time tick; the workflow has the scheduled tick.
/// </summary>
public sealed class DeploymentSettingsTests
{
    private static IEnumerable<string> Environments() =>
        File.ReadAllLines(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "environments.txt"))
            .Select(l => (l.IndexOf('#', StringComparison.Ordinal) is var i and >= 0 ? l[..i] : l).Trim())
            .Where(l => l.Length > 0);

    private static JsonNode Yaml(string relativePath)
    {
        var bag = new DiagnosticBag();
        var node = YamlJson.ParseSingle(File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, relativePath)), relativePath, bag);
        Assert.False(bag.HasErrors, string.Join("\n", bag.Sorted()));
        return node!;
    }

    [Fact]
    public void Every_environment_has_deployment_settings_that_run_the_tests_and_the_change_check_first()
    {
        foreach (var stack in Environments())
        {
            var settings = Yaml($"Pulumi.{stack}.deploy.yaml")["settings"]!;

            var git = settings["sourceContext"]!["git"]!;
            Assert.Equal("refs/heads/main", git["branch"]!.GetValue<string>());
            Assert.Equal(".", git["repoDir"]!.GetValue<string>());
            Assert.NotNull(git["repoURL"]);
            var oidc = settings["operationContext"]!["oidc"]!;
            Assert.NotNull(oidc["aws"]!["roleArn"]);
            Assert.NotNull(oidc["azure"]!["clientId"]);
            Assert.NotNull(oidc["gcp"]!["workloadPoolId"]);
            var commands = settings["operationContext"]!["preRunCommands"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
            var tests = commands.FindIndex(c => c.Contains("bash scripts/test.sh", StringComparison.Ordinal));
            var tick = commands.FindIndex(c => c.Contains($"bash scripts/jit-tick.sh {stack} --gate", StringComparison.Ordinal));
            Assert.True(tests >= 0 && tick > tests, string.Join("\n", commands));
        }
    }

    [Fact]
    public void The_workflow_ticks_on_a_schedule_and_deploys_only_what_the_check_says_changes()
    {
        var workflow = Yaml(".github/workflows/pulumi.yml");

        Assert.NotNull(workflow["on"]!["schedule"]);
        var tick = workflow["jobs"]!["tick"]!;
        Assert.Contains("test", tick["needs"]!.AsArray().Select(n => n!.GetValue<string>()));
        var steps = tick["steps"]!.AsArray();
        Assert.Contains(steps, s => s?["run"]?.GetValue<string>().Contains("bash scripts/jit-tick.sh", StringComparison.Ordinal) == true);
        Assert.Contains(steps, s => s?["with"]?["command"]?.GetValue<string>() == "up" && s["if"]!.GetValue<string>().Contains("changes == 'true'", StringComparison.Ordinal));
    }

    [Fact]
    public void Jobs_that_reach_the_clusters_get_the_existing_clusters_kubeconfig_from_a_secret_before_pulumi_runs()
    {
        // The dev stack reaches its existing lab cluster by kubeconfig context: a runner has no kubeconfig of its own.
        Assert.Contains("context: lab-admin", File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml")), StringComparison.Ordinal);
        var workflow = Yaml(".github/workflows/pulumi.yml");
        foreach (var job in new[] { "pulumi", "tick" })
        {
            var steps = workflow["jobs"]![job]!["steps"]!.AsArray().Select(s => s!).ToList();
            var kubeconfig = steps.FindIndex(s => s["env"]?["EXISTING_KUBECONFIG"]?.GetValue<string>() == "${{ secrets.EXISTING_KUBECONFIG }}");
            Assert.True(kubeconfig >= 0, $"job {job} has no kubeconfig step");
            Assert.Contains("KUBECONFIG=$RUNNER_TEMP/kubeconfig", steps[kubeconfig]["run"]!.GetValue<string>(), StringComparison.Ordinal);
            var pulumi = steps.FindIndex(s => s["uses"]?.GetValue<string>().StartsWith("pulumi/actions@", StringComparison.Ordinal) == true);
            Assert.True(pulumi > kubeconfig, $"job {job} runs Pulumi before its kubeconfig step");
        }
    }

    [Fact]
    public void Pull_requests_get_the_placement_diff_of_each_stack_before_the_preview()
    {
        var steps = Yaml(".github/workflows/pulumi.yml")["jobs"]!["pulumi"]!["steps"]!.AsArray().Select(s => s!).ToList();

        var diff = steps.FindIndex(s => s["run"]?.GetValue<string>().Contains("-- diff --base", StringComparison.Ordinal) == true);
        Assert.True(diff >= 0, "no skyray diff step");
        Assert.Equal("github.event_name == 'pull_request'", steps[diff]["if"]!.GetValue<string>());
        var run = steps[diff]["run"]!.GetValue<string>();
        Assert.Contains("--output markdown", run, StringComparison.Ordinal);
        Assert.Contains("<!-- skyray-diff:$STACK -->", run, StringComparison.Ordinal);
        Assert.Contains("git show \"origin/$BASE_REF:$src\"", run, StringComparison.Ordinal);
        var pulumi = steps.FindIndex(s => s["uses"]?.GetValue<string>().StartsWith("pulumi/actions@", StringComparison.Ordinal) == true);
        Assert.True(diff < pulumi, "the diff comes before pulumi preview");
    }
}
