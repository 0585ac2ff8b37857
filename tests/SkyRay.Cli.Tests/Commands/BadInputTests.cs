using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// Inputs that used to crash a command, hide where the problem is, or pass <c>validate</c> and fail <c>plan</c>: every
/// command now exits 2 with the problem at its config path or at its line and column.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private static readonly string[][] Commands = [["validate"], ["plan"], ["plan", "--output", "json"], ["render", "--out", "rendered"], ["simulate"]];

    private readonly TempProject _project = new("skyray-bad-input-");

    public void Dispose() => _project.Dispose();

    private static string DevStack => File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"));

    private static string Edit(string find, string replace)
    {
        Assert.Contains(find, DevStack, StringComparison.Ordinal);
        return DevStack.Replace(find, replace, StringComparison.Ordinal);
    }

    private void EveryCommandFailsWith(string text, string path, string messagePart)
    {
        _project.WriteStack("bad", text);
        foreach (var command in Commands)
        {
            var run = _project.Run([.. command, "--stack", "bad"]);
            Assert.True(run.ExitCode == ExitCodes.InvalidInput, $"{string.Join(' ', command)}: {run}");
            Assert.DoesNotContain("unexpected error", run.Out + run.Error, StringComparison.Ordinal);
            if (command.Contains("json"))
            {
                Assert.Contains(run.Json(), d => d!["path"]!.GetValue<string>() == path && d["message"]!.GetValue<string>().Contains(messagePart, StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains($"error: {path}: ", run.Error, StringComparison.Ordinal);
                Assert.Contains(messagePart, run.Error, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("          maxNodes: 6", "          maxNodes: {0}", "skyray:clusters.aws-west.nodePools[0].maxNodes", "is out of range")]
    [InlineData("          replicas: 2\n          minReplicas: 1\n          maxReplicas: 4", "          replicas: {0}\n          minReplicas: 1\n          maxReplicas: 4", "skyray:workloads.train-resnet.workerGroups[0].replicas", "is out of range")]
    [InlineData("        team: ml-platform", "        team: {0}", "skyray:clusters.aws-west.labels.team", "label values are strings, found a number")]
    [InlineData("          cpu: 6\n          memory: 24Gi\n          gpu: 1\n          gpuType: A10G", "          cpu: {0}\n          memory: 24Gi\n          gpu: 1\n          gpuType: A10G", "skyray:workloads.train-resnet.workerGroups[0].cpu", "is not a Kubernetes quantity")]
    public void An_integer_of_four_hundred_digits_is_a_located_error_in_every_command_not_a_crash(string find, string replace, string path, string message)
    {
        // 400 digits is past double's range: it used to become an infinity that every JSON writer refused (exit 1).
        EveryCommandFailsWith(Edit(find, string.Format(System.Globalization.CultureInfo.InvariantCulture, replace, new string('9', 400))), path, message);
    }

    [Fact]
    public void An_integer_of_four_hundred_digits_in_free_form_values_is_kept_not_a_crash()
    {
        // rayStartParams values and Helm values take any number; the exact digits must reach the rendered files.
        var digits = new string('9', 400);
        _project.WriteStack("big", Edit("        num-cpus: \"0\"", $"        num-cpus: {digits}").Replace("      resources:\n        limits:", $"      big: {digits}\n      resources:\n        limits:", StringComparison.Ordinal));

        foreach (var command in Commands)
        {
            var run = _project.Run([.. command, "--stack", "big"]);
            Assert.True(run.ExitCode == ExitCodes.Ok, $"{string.Join(' ', command)}: {run}");
        }

        Assert.Contains($"big: {digits}", File.ReadAllText(Path.Combine(_project.Directory, "rendered", "aws-west", "helm", "kuberay-operator.values.yaml")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData(".nan")]
    [InlineData("-.inf")]
    public void A_yaml_special_float_in_an_integer_field_is_reported_as_that_float(string value)
    {
        EveryCommandFailsWith(Edit("          maxNodes: 6", $"          maxNodes: {value}"), "skyray:clusters.aws-west.nodePools[0].maxNodes", $"found the float {value}; an integer is required");
    }

    [Fact]
    public void An_unclosed_flow_list_in_a_block_list_is_located_at_its_bracket()
    {
        // Line 19 of Pulumi.dev.yaml is "        - name: cpu"; the '[' replaces "cpu" at column 17.
        EveryCommandFailsWith(
            Edit("        - name: cpu\n          instanceType: m6i.2xlarge", "        - name: [1, 2\n          instanceType: m6i.2xlarge"),
            "Pulumi.bad.yaml:19:17",
            "the '[' opened here is not closed");
    }

    [Fact]
    public void An_undefined_alias_is_located_where_it_is_used()
    {
        // Line 49 is "      provider: gcp"; the alias starts at column 17.
        EveryCommandFailsWith(Edit("      provider: gcp", "      provider: *nowhere"), "Pulumi.bad.yaml:49:17", "alias '*nowhere' refers to no anchor");
    }

    [Fact]
    public void Tab_indentation_is_located_on_its_line()
    {
        EveryCommandFailsWith(Edit("      region: us-central1", "\tregion: us-central1"), "Pulumi.bad.yaml:50:1", "a tab character indents this line");
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_located_where_it_passes_the_limit()
    {
        // The new "  skyray:extra: " line is 16 columns before its first '[', so the 201st '[' is at column 217.
        var text = Edit("  skyray:kuberay:", $"  skyray:extra: {new string('[', 300)}{new string(']', 300)}\n  skyray:kuberay:");
        var line = Array.FindIndex(text.Split('\n'), l => l.StartsWith("  skyray:extra: ", StringComparison.Ordinal)) + 1;

        EveryCommandFailsWith(text, $"Pulumi.bad.yaml:{line}:217", "nesting is deeper than 200 levels");
    }

    [Fact]
    public void Two_policies_selecting_one_workload_fail_validate_as_they_fail_plan()
    {
        var text = Edit("      policy: production-only\n", "").Replace(
            "    gpu-priority:\n      orderedClusterSelector:",
            "    gpu-priority:\n      resourceSelectors:\n        labelSelectors:\n          - matchLabels:\n              app.kubernetes.io/part-of: llm\n      orderedClusterSelector:",
            StringComparison.Ordinal);

        EveryCommandFailsWith(text, "skyray:workloads.llm-serve", "policies 'gpu-priority' and 'production-only' both select this workload");
    }

    [Fact]
    public void A_selector_value_that_is_no_label_value_fails_every_command()
    {
        EveryCommandFailsWith(
            Edit("        matchLabels:\n          cluster.class: production", "        matchLabels:\n          cluster.class: \"production!\""),
            "skyray:policies.production-only.clusterSelector.matchLabels[\"cluster.class\"]",
            "label value 'production!' must be letters, digits");
    }

    [Fact]
    public void An_empty_stack_warns_in_plan_too_also_with_json_output_and_stays_exit_0()
    {
        _project.WriteStack("empty", "config:\n  aws:region: us-west-2\n");

        foreach (var command in new[] { new[] { "validate" }, ["plan"], ["plan", "--output", "json"], ["render", "--out", "rendered"], ["simulate"] })
        {
            var run = _project.Run([.. command, "--stack", "empty"]);
            Assert.True(run.ExitCode == ExitCodes.Ok, $"{string.Join(' ', command)}: {run}");
            Assert.Contains("warning: skyray:clusters: the stack declares no clusters and no workloads", run.Out + run.Error, StringComparison.Ordinal);
            Assert.Contains("that is how a stack is torn down", run.Out + run.Error, StringComparison.Ordinal);
        }

        var json = _project.Run("plan", "--output", "json", "--stack", "empty");
        Assert.StartsWith("{", json.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", json.Out, StringComparison.Ordinal);
    }
}
