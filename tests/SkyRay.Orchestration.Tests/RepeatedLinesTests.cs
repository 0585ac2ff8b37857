namespace SkyRay.Orchestration.Tests;

/// <summary>A line kept per workload name object is given again only while the text it was made from is the same.</summary>
public sealed class RepeatedLinesTests
{
    [Fact]
    public void The_same_name_and_text_give_the_line_made_last_time_and_a_new_text_a_new_line()
    {
        var made = 0;
        var lines = new RepeatedLines<string>((name, text) => $"{name}: unplaced: {text} #{++made}");
        var name = new string("train-7".AsSpan());

        var first = lines.For(name, "fits on none of the 3 cluster(s)");
        Assert.Equal("train-7: unplaced: fits on none of the 3 cluster(s) #1", first);
        Assert.Same(first, lines.For(name, new string("fits on none of the 3 cluster(s)".AsSpan())));

        var changed = lines.For(name, "no cluster passes the filters");
        Assert.Equal("train-7: unplaced: no cluster passes the filters #2", changed);
        Assert.Equal("train-7: unplaced: fits on none of the 3 cluster(s) #3", lines.For(name, "fits on none of the 3 cluster(s)"));

        // Another name object with the same letters has its own line (kept per object, made from its own text).
        var other = new string("train-7".AsSpan());
        Assert.Equal("train-7: unplaced: no cluster passes the filters #4", lines.For(other, "no cluster passes the filters"));
        Assert.Equal(4, made);
    }

    [Fact]
    public void A_run_gives_the_warning_and_the_line_of_an_unplaced_workload_word_for_word_as_before()
    {
        // One node of 7.5 CPU: "first" takes 6 of them, so "huge" fits nowhere. The run's own words for it, whether made
        // afresh or given again on the next run.
        var spec = Timelines.Stacks.Load("""
            config:
              skyray:clusters:
                a:
                  provider: aws
                  region: us-east-1
                  kubernetesVersion: "1.35"
                  nodePools: [{name: cpu, instanceType: m6i.2xlarge, minNodes: 1, maxNodes: 1}]
              skyray:workloads:
                first:
                  kind: RayJob
                  entrypoint: python first.py
                  head: {cpu: 1, memory: 2Gi}
                  workerGroups: [{name: w, cpu: 5, memory: 8Gi, replicas: 1}]
                huge:
                  kind: RayJob
                  entrypoint: python huge.py
                  head: {cpu: 1, memory: 2Gi}
                  workerGroups: [{name: w, cpu: 5, memory: 8Gi, replicas: 1}]
            """);
        var at = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
        var first = Runs.RunPlanner.Plan(new Runs.RunRequest(spec, Outputs.PreviousRun.None, at));
        var second = Runs.RunPlanner.Plan(new Runs.RunRequest(spec, Outputs.StackOutputs.ReadBack(first.Outputs).Run!, at.AddMinutes(5)));

        foreach (var run in new[] { first, second })
        {
            var reason = run.Plan.Placements["huge"].UnplacedReason!;
            var warning = Assert.Single(run.Diagnostics, d => d.Path == "skyray:workloads.huge");
            Assert.Equal(Fleet.Diagnostics.Severity.Warning, warning.Severity);
            Assert.Equal("not deployed: " + reason, warning.Message);
            Assert.Equal("run 'skyray plan --explain' to see every cluster's verdict", warning.Hint);
            Assert.Contains("huge: unplaced: " + reason, run.Outputs.Explanation);
        }
    }
}
