using SkyRay.Placement.Planning;

namespace SkyRay.Cli.Tests.Commands;

public sealed class PlanCommandTests : IDisposable
{
    private const string Stack = """
        config:
          skyray:clusters:
            aws-1:
              provider: aws
              region: us-east-1
              kubernetesVersion: "1.35"
              lifecycle: static
              labels:
                cluster.class: production
              nodePools:
                - name: cpu
                  instanceType: m6i.2xlarge
                  minNodes: 1
                  maxNodes: 2
            gcp-dyn:
              provider: gcp
              region: us-central1
              kubernetesVersion: "1.35"
              lifecycle: dynamic
              nodePools:
                - name: cpu
                  instanceType: n2-standard-8
                  minNodes: 0
                  maxNodes: 4
          skyray:workloads:
            train:
              kind: RayJob
              namespace: ml
              rayVersion: "2.52.0"
              image: rayproject/ray:2.52.0
              head:
                cpu: 1
                memory: 4Gi
              workerGroups:
                - name: workers
                  cpu: 2
                  memory: 8Gi
                  replicas: WORKERS
                  minReplicas: 1
                  maxReplicas: 40
              entrypoint: python train.py
        """;

    private readonly TempProject _project = new("skyray-plan-");

    public void Dispose() => _project.Dispose();

    private CliRun Run(string workers, params string[] args)
    {
        _project.WriteStack("test", Stack.Replace("WORKERS", workers, StringComparison.Ordinal));
        return _project.Run(["plan", "--stack", "test", .. args]);
    }

    [Fact]
    public void Plan_prints_where_each_workload_goes_and_what_each_cluster_does()
    {
        var run = Run("2");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("1 of 1 workload(s) placed", run.Out);
        Assert.Contains("│ train", run.Out);
        Assert.Contains("aws-1", run.Out);
        Assert.Contains("running nodes", run.Out);
        Assert.Contains("absent", run.Out);
        Assert.Contains("Total: $", run.Out);
    }

    [Fact]
    public void The_workers_column_lists_worker_groups_only_not_the_RayJob_submitter()
    {
        var run = Run("2");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("workers×2", run.Out);
        Assert.DoesNotContain("submitter×", run.Out);
        Assert.Contains("submitter→cpu", run.Out);
    }

    [Fact]
    public void Explain_prints_a_verdict_for_every_cluster()
    {
        var run = Run("2", "--explain");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("+ aws-1 [score", run.Out);
        Assert.Contains("selected: fits in running nodes", run.Out);
        Assert.Contains("+ gcp-dyn [score", run.Out);
        Assert.Contains("not chosen (launch-tier prefers aws-1)", run.Out);
    }

    [Fact]
    public void An_unplaced_workload_is_listed_with_the_reason_for_each_cluster()
    {
        var run = Run("20");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("UNPLACED", run.Out);
        Assert.Contains("train is not placed", run.Out);
        Assert.Contains("- aws-1: skipped by capacity", run.Out);
        Assert.Contains("- gcp-dyn: skipped by capacity", run.Out);
    }

    [Fact]
    public void Clusters_that_reject_an_unplaced_workload_for_the_same_reason_share_a_line_and_explain_lists_each()
    {
        // aws-2 is aws-1 again: both reject the 20 workers for the same reason, gcp-dyn (another pool size) for its own.
        var twin = "    aws-2:\n" + Stack.Split("    aws-1:\n")[1].Split("    gcp-dyn:")[0];
        _project.WriteStack("test", Stack.Replace("    gcp-dyn:", twin + "    gcp-dyn:", StringComparison.Ordinal).Replace("WORKERS", "20", StringComparison.Ordinal));

        var run = _project.Run(["plan", "--stack", "test"]);
        var explained = _project.Run(["plan", "--stack", "test", "--explain"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var verdicts = run.Out.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, verdicts.Count);
        Assert.StartsWith("  - aws-1, aws-2: skipped by capacity: group 'workers' needs 20 pod(s) of 2 CPU, 8 GiB; pool 'cpu' (m6i.2xlarge)", verdicts[0], StringComparison.Ordinal);
        Assert.StartsWith("  - gcp-dyn: skipped by capacity: group 'workers' needs 20 pod(s) of 2 CPU, 8 GiB; pool 'cpu' (n2-standard-8)", verdicts[1], StringComparison.Ordinal);
        Assert.True(explained.ExitCode == ExitCodes.Ok, explained.ToString());
        Assert.Equal(
            ["  - aws-1: ", "  - aws-2: ", "  - gcp-dyn: "],
            explained.Out.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).Select(l => l[..(l.IndexOf(": ", StringComparison.Ordinal) + 2)]));
    }

    [Fact]
    public void Clusters_that_a_selector_rejects_each_for_its_own_value_share_a_line_and_explain_gives_each_value()
    {
        // The policy wants only cluster 'tiny' (by name), whose one small node cannot hold the job: aws-1, aws-2 and
        // gcp-dyn are each rejected for their own name, and share one line; --explain keeps each with its own value.
        var twin = "    aws-2:\n" + Stack.Split("    aws-1:\n")[1].Split("    gcp-dyn:")[0];
        var tiny = "    tiny:\n" + Stack.Split("    aws-1:\n")[1].Split("    gcp-dyn:")[0].Replace("maxNodes: 2", "maxNodes: 1", StringComparison.Ordinal).Replace("m6i.2xlarge", "m6i.large", StringComparison.Ordinal);
        const string policy = """
              skyray:policies:
                only-tiny:
                  resourceSelectors:
                    labelSelectors:
                      - matchLabels:
                          app: train
                  clusterSelector:
                    matchExpressions:
                      - {key: kubernetes.io/metadata.name, operator: In, values: [tiny]}
            """;
        var stack = Stack
            .Replace("    gcp-dyn:", twin + tiny + "    gcp-dyn:", StringComparison.Ordinal)
            .Replace("WORKERS", "2", StringComparison.Ordinal)
            .Replace("      namespace: ml\n", "      namespace: ml\n      labels: {app: train}\n", StringComparison.Ordinal)
            .Replace("  skyray:workloads:", policy.TrimEnd() + "\n  skyray:workloads:", StringComparison.Ordinal);
        _project.WriteStack("test", stack);

        var run = _project.Run(["plan", "--stack", "test"]);
        var explained = _project.Run(["plan", "--stack", "test", "--explain"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("train is not placed", run.Out);
        var verdicts = run.Out.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        Assert.Contains(
            "  - aws-1, aws-2, gcp-dyn: skipped by cluster-selector: not selected by the clusterSelector of policy 'only-tiny' (needs kubernetes.io/metadata.name in [tiny], each has another value)",
            verdicts);
        Assert.Single(verdicts, l => l.StartsWith("  - tiny: ", StringComparison.Ordinal));
        Assert.True(explained.ExitCode == ExitCodes.Ok, explained.ToString());
        foreach (var cluster in new[] { "aws-1", "aws-2", "gcp-dyn" })
        {
            Assert.Contains($"  - {cluster}: skipped by cluster-selector: not selected by the clusterSelector of policy 'only-tiny' (needs kubernetes.io/metadata.name in [tiny], has {cluster})", explained.Out);
        }
    }

    [Fact]
    public void Json_output_is_a_plan_that_works_as_previous()
    {
        var first = Run("2", "--output", "json");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var plan = PlanJson.Read(first.Out);
        Assert.Equal("aws-1", plan.Placements["train"].Copies.Single().Cluster);

        File.WriteAllText(Path.Combine(_project.Directory, "plan.json"), first.Out);
        var second = Run("2", "--output", "json", "--previous", "plan.json");
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        var kept = PlanJson.Read(second.Out);
        Assert.Equal("aws-1", kept.Placements["train"].Copies.Single().Cluster);
        Assert.Contains("current cluster", kept.Placements["train"].Verdicts.Single().Reason);
    }

    [Fact]
    public void A_missing_previous_plan_is_an_input_error()
    {
        var run = Run("2", "--previous", "nope.json");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("error: --previous: no file", run.Error);
    }

    [Fact]
    public void An_invalid_stack_exits_2_with_located_errors()
    {
        var run = Run("not-a-number");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("skyray:workloads.train.workerGroups[0].replicas", run.Error);
    }
}
