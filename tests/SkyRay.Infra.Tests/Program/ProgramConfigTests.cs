using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Infra.Tests.Support;

namespace SkyRay.Infra.Tests.Program;

/// <summary>How the program reads its config and its previous outputs, and how it reports a bad config.</summary>
public sealed class ProgramConfigTests
{
    private static readonly JsonObject LabCluster = new()
    {
        ["lab"] = new JsonObject
        {
            ["provider"] = "existing",
            ["kubernetesVersion"] = "1.30",
            ["existing"] = new JsonObject { ["context"] = "kind-lab" },
        },
    };

    [Fact]
    public async Task An_invalid_config_fails_the_run_with_every_located_error_and_no_stack_trace()
    {
        var config = StackConfig.FromTrees("broken", new Dictionary<string, JsonNode>
        {
            ["clusters"] = new JsonObject
            {
                ["bad"] = new JsonObject { ["provider"] = "aws", ["kubernetesVersion"] = "1.35" },
                ["worse"] = new JsonObject { ["provider"] = "moon", ["kubernetesVersion"] = "1.35" },
            },
        });

        var error = await Record.ExceptionAsync(() => PulumiRun.RunAsync(config));

        var message = Assert.IsType<RunException>(error).Message;
        Assert.StartsWith("The skyray stack config is not valid (", message, StringComparison.Ordinal);
        Assert.Contains("skyray:clusters.bad", message, StringComparison.Ordinal);
        Assert.Contains("skyray:clusters.worse", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_run_reads_its_own_stack_outputs_through_a_stack_reference()
    {
        var config = StackConfig.FromTrees("lab", new Dictionary<string, JsonNode> { ["clusters"] = LabCluster.DeepClone() });

        var result = await PulumiRun.RunAsync(config);

        var reference = Assert.Single(result.Mocks.Resources, r => r.Type == "pulumi:pulumi:StackReference");
        Assert.Equal("organization/skyray-infra/lab", Values.At(reference, "name"));
        Assert.Equal("lab-k8s", Assert.Single(result.Mocks.Resources, r => r.Type == "pulumi:providers:kubernetes").Name);
    }

    [Fact]
    public async Task Previous_outputs_in_project_config_replace_the_stack_reference()
    {
        var previous = new JsonObject
        {
            ["placements"] = "{}",
            ["clusters"] = new JsonObject
            {
                ["lab"] = new JsonObject { ["provider"] = "existing", ["kubernetesVersion"] = "1.30", ["lifecycle"] = "static", ["state"] = "active" },
            },
        };
        var config = StackConfig.FromTrees("lab", new Dictionary<string, JsonNode> { ["clusters"] = LabCluster.DeepClone() })
            .With("skyray-infra:previousOutputs", previous.ToJsonString());

        var result = await PulumiRun.RunAsync(config);

        Assert.DoesNotContain(result.Mocks.Resources, r => r.Type == "pulumi:pulumi:StackReference");
        var clusters = await result.OutputAsync<ImmutableSortedDictionary<string, object?>>("clusters");
        Assert.Equal("active", ((IReadOnlyDictionary<string, object?>)clusters["lab"]!)["state"]);
    }

    [Fact]
    public async Task Outputs_written_by_a_newer_SkyRay_fail_the_update_before_anything_is_declared()
    {
        var config = StackConfig.FromTrees("lab", new Dictionary<string, JsonNode> { ["clusters"] = LabCluster.DeepClone() })
            .With("skyray-infra:previousOutputs", new JsonObject { ["outputsFormat"] = 99 }.ToJsonString());

        var error = await Record.ExceptionAsync(() => PulumiRun.RunAsync(config));

        var message = Assert.IsType<RunException>(error).Message;
        Assert.StartsWith("The stack's previous outputs cannot be used (1 error); nothing was deployed.", message, StringComparison.Ordinal);
        Assert.Contains("outputs.outputsFormat: the stack's outputs were written by a newer SkyRay (outputs format 99)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_observation_in_config_finishes_a_job_once_its_RayJob_is_declared_a_last_time_to_be_kept()
    {
        var config = StackConfig.FromFile("stacks/Pulumi.training.yaml");
        var first = await PulumiRun.RunAsync(config);
        var active = new JsonObject { ["provider"] = "aws", ["kubernetesVersion"] = "1.31", ["lifecycle"] = "static", ["state"] = "active" };
        var previous = new JsonObject
        {
            ["outputsFormat"] = 3,
            ["placements"] = await first.OutputAsync<string>("placements"),
            ["clusters"] = new JsonObject { ["aws-train"] = active.DeepClone(), ["aws-burst"] = active.DeepClone() },
        };
        const string observed = """
            {"observationFormat": 1, "observedAt": "2026-12-07T02:00:00Z", "clusters": {
              "aws-train": {"reachable": true, "observedAt": "2026-12-07T02:00:00Z", "rayObjects": [
                {"kind": "RayJob", "namespace": "ml-training", "name": "train-a", "workload": "train-a",
                 "status": {"jobDeploymentStatus": "Complete", "jobStatus": "SUCCEEDED", "endTime": "2026-12-07T01:55:00Z"}}]},
              "aws-burst": {"reachable": true, "observedAt": "2026-12-07T02:00:00Z", "rayObjects": [
                {"kind": "RayJob", "namespace": "ml-training", "name": "train-b", "workload": "train-b",
                 "status": {"jobDeploymentStatus": "Running", "jobStatus": "RUNNING"}}]}}}
            """;

        var second = await PulumiRun.RunAsync(config
            .With("skyray-infra:previousOutputs", previous.ToJsonString())
            .With("skyray-infra:observed", observed));

        var jobs = await second.OutputAsync<ImmutableSortedDictionary<string, object?>>("jobs");
        var record = (IReadOnlyDictionary<string, object?>)jobs["train-a"]!;
        Assert.Equal("Complete", record["status"]);
        Assert.Equal(false, record["released"]);
        // Declared once more (to be kept on the cluster when it leaves the program), not as a new run anywhere else.
        Assert.Single(second.Mocks.Resources, r => r.Type == "kubernetes:ray.io/v1:RayJob" && r.Name == "aws-train-train-a");
        Assert.DoesNotContain(second.Mocks.Resources, r => r.Type == "kubernetes:ray.io/v1:RayJob" && r.Name!.EndsWith("-train-a", StringComparison.Ordinal) && r.Name != "aws-train-train-a");
        Assert.Single(second.Mocks.Resources, r => r.Type == "kubernetes:ray.io/v1:RayJob" && r.Name == "aws-burst-train-b");
    }

    [Fact]
    public async Task The_program_writes_the_outputs_format_the_core_reads()
    {
        var config = StackConfig.FromTrees("lab", new Dictionary<string, JsonNode> { ["clusters"] = LabCluster.DeepClone() });

        var result = await PulumiRun.RunAsync(config);

        Assert.Equal(3, result.Outputs["outputsFormat"]);
        Assert.StartsWith("sha256:", (string)result.Outputs["fingerprint"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_reached_by_context_exports_no_kubeconfig()
    {
        var config = StackConfig.FromTrees("lab", new Dictionary<string, JsonNode> { ["clusters"] = LabCluster.DeepClone() });

        var result = await PulumiRun.RunAsync(config);

        Assert.False(result.Outputs.ContainsKey("kubeconfigs"));
        Assert.Equal("kind-lab", Values.At(Assert.Single(result.Mocks.Resources, r => r.Type == "pulumi:providers:kubernetes"), "context"));
        Assert.Contains(result.Mocks.Resources, r => r.Type == "kubernetes:helm.sh/v3:Release" && r.Name == "lab-kuberay");
    }
}
