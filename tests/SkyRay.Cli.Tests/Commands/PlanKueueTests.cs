using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary><c>skyray plan --explain</c> and <c>skyray render</c> on the queues scenario stack (stacks/Pulumi.queues.yaml).</summary>
public sealed class PlanKueueTests
{
    private static readonly string StackFile = Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "Pulumi.queues.yaml");

    [Fact]
    public void Explain_says_where_the_queue_is_the_limiting_factor_and_lists_each_queues_quota()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "plan", "--config-file", StackFile, "--explain");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var text = string.Join(' ', run.Out.Split('\n').Select(l => l.Trim()));
        Assert.Contains("queue: queue team-a/training → ClusterQueue skyray on gpu-shared", text);
        Assert.Contains("the queue is the limiting factor: the plan reserves skyray-gpu to the last nvidia.com/gpu", text);
        Assert.Contains("Kueue queues (nominal quota = each pool at maxNodes after the system reserve", text);
        Assert.Contains("gpu-shared skyray-gpu: cpu 40 of 95, memory 160Gi of 382Gi, nvidia.com/gpu 8 of 8 (team-a-finetune, team-b-sweep-1)", text);
    }

    [Fact]
    public void Without_explain_the_plan_prints_no_queue_lines()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "plan", "--config-file", StackFile);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain("queue:", run.Out);
    }

    [Fact]
    public void Render_writes_kueue_next_to_the_operator_for_every_live_cluster()
    {
        var dir = Path.Combine(Path.GetTempPath(), "skyray-kueue-render-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of(SharedMaterial.RepositoryRoot, "render", "--config-file", StackFile, "--out", dir);

            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            foreach (var cluster in new[] { "gpu-shared", "gpu-burst" })
            {
                var release = File.ReadAllText(Path.Combine(dir, cluster, "helm", "kueue.yaml"));
                Assert.Contains("helm upgrade --install kueue oci://registry.k8s.io/kueue/charts/kueue --version 0.19.2 --namespace kueue-system", release);
                Assert.True(File.Exists(Path.Combine(dir, cluster, "helm", "kueue.values.yaml")));
                Assert.Contains("kind: ClusterQueue", File.ReadAllText(Path.Combine(dir, cluster, "workloads.yaml")));
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
