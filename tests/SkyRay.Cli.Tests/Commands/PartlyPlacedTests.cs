using System.Text.Json.Nodes;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// A spread Duplicate copy that fits nowhere in its domain shows in the default plan output (table, count line and
/// JSON) with its reason, not only under <c>--explain</c>.
/// </summary>
public sealed class PartlyPlacedTests : IDisposable
{
    // m6i.large is 2 vCPU (1.5 after the system reserve of 0.5): a 3-CPU worker fits on no node of 'tiny'.
    private const string Stack = """
        config:
          skyray:clusters:
            big:
              provider: aws
              region: us-east-1
              kubernetesVersion: "1.35"
              nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 2}]
            tiny:
              provider: aws
              region: us-east-2
              kubernetesVersion: "1.35"
              nodePools: [{name: cpu, instanceType: m6i.large, minNodes: 1, maxNodes: 1}]
          skyray:workloads:
            serve:
              kind: RayCluster
              policy: everywhere
              head: {cpu: 1, memory: 2Gi}
              workerGroups: [{name: w, cpu: 3, memory: 4Gi, replicas: 2}]
            batch:
              kind: RayCluster
              head: {cpu: 1, memory: 2Gi}
          skyray:policies:
            everywhere:
              spreadConstraints: {topologyKey: kubernetes.io/metadata.name, spreadMode: Duplicate}
        """;

    private readonly TempProject _project = new("skyray-partly-");

    public PartlyPlacedTests() => _project.WriteStack("dup", Stack);

    public void Dispose() => _project.Dispose();

    [Fact]
    public void The_table_lists_the_missing_copy_with_its_reason_and_the_count_line_counts_the_workload_as_partly_placed()
    {
        var run = _project.Run("plan", "--stack", "dup");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        // batch is placed whole; serve has 1 of its 2 copies (one per cluster), so it is not counted as placed.
        Assert.Contains("Plan for stack 'dup': 1 of 2 workload(s) placed, 1 partly (1 of 2 Duplicate copies placed),", run.Out, StringComparison.Ordinal);
        Assert.Contains("MISSING (cluster tiny)", run.Out, StringComparison.Ordinal);
        Assert.Contains("serve has no copy in cluster tiny: tiny: skipped by capacity: ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_plan_lists_the_missing_copy_with_its_reason()
    {
        var run = _project.Run("plan", "--stack", "dup", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var missing = JsonNode.Parse(run.Out)!["placements"]!["serve"]!["missingCopies"]!.AsArray();
        var only = Assert.Single(missing)!;
        Assert.Equal("kubernetes.io/metadata.name", only["topologyKey"]!.GetValue<string>());
        Assert.Equal("tiny", only["domain"]!.GetValue<string>());
        Assert.StartsWith("tiny: skipped by capacity: ", only["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
