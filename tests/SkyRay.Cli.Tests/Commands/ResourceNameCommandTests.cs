namespace SkyRay.Cli.Tests.Commands;

/// <summary>Names that would clash as Pulumi resource names are reported by every command, before any plan.</summary>
public sealed class ResourceNameCommandTests : IDisposable
{
    // Cluster 'east' with workload 'west-llm' and cluster 'east-west' with workload 'llm' both name 'east-west-llm'.
    private const string Clash = """
        config:
          skyray:clusters:
            east:
              provider: existing
              kubernetesVersion: "1.35"
              existing: {context: kind-east, cloud: aws}
              nodePools: [{name: workers, instanceType: m6i.xlarge, minNodes: 2, maxNodes: 2}]
            east-west:
              provider: existing
              kubernetesVersion: "1.35"
              existing: {context: kind-east-west, cloud: aws}
              nodePools: [{name: workers, instanceType: m6i.xlarge, minNodes: 2, maxNodes: 2}]
          skyray:workloads:
            west-llm:
              kind: RayCluster
              head: {cpu: 1, memory: 2Gi}
              workerGroups: [{name: workers, cpu: 1, memory: 2Gi, replicas: 1}]
            llm:
              kind: RayCluster
              head: {cpu: 1, memory: 2Gi}
              workerGroups: [{name: workers, cpu: 1, memory: 2Gi, replicas: 1}]
        """;

    private readonly TempProject _project = new("skyray-cli-names-");

    public ResourceNameCommandTests() => _project.WriteStack("clash", Clash);

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("validate")]
    [InlineData("plan")]
    [InlineData("simulate")]
    public void Every_command_reports_names_that_would_clash_at_the_workload_naming_both_owners(string command)
    {
        var run = _project.Run(command, "--config-file", "Pulumi.clash.yaml");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("skyray:workloads.west-llm", run.Error, StringComparison.Ordinal);
        Assert.Contains(
            "the workload resource name 'east-west-llm' would be used by workload 'llm' on cluster 'east-west' and workload 'west-llm' on cluster 'east'",
            run.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_carries_the_clash_with_its_hint()
    {
        var run = _project.Run("validate", "--config-file", "Pulumi.clash.yaml", "--output", "json");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        var error = Assert.Single(run.Json(), d => d!["path"]!.GetValue<string>() == "skyray:workloads.west-llm")!;
        Assert.Equal("error", error["severity"]!.GetValue<string>());
        Assert.StartsWith("rename one of the clusters", error["hint"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
