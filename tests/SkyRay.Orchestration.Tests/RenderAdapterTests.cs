using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Manifests;
using SkyRay.Orchestration.Tests.Builders;

namespace SkyRay.Orchestration.Tests;

public sealed class RenderAdapterTests
{
    private static (FleetSpec Spec, Placement.Planning.FleetPlan Plan) Fleet()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a").Pool("cpu", "m6i.2xlarge", 1, 4))
            .Cluster(ClusterBuilder.Gcp("gcp-c").Pool("cpu", "n2-standard-8", 1, 4))
            .Cluster(ClusterBuilder.Azure("az-idle").Standby(StandbyMode.Suspend, TimeSpan.FromHours(1)))
            .Cluster(ClusterBuilder.Aws("aws-burst").Dynamic())
            .Workload(new WorkloadBuilder("llm"))
            .Workload(new WorkloadBuilder("batch").Workers(4))
            .Build();
        var plan = new FleetPlanBuilder(spec)
            .Standby("az-idle")
            .Absent("aws-burst")
            .Place("llm", "aws-a", "gcp-c")
            .PlaceShares("batch", "split", ("aws-a", 3), ("gcp-c", 1))
            .Build();
        return (spec, plan);
    }

    [Fact]
    public void Every_live_cluster_gets_a_folder_with_the_operator_release_and_its_workloads()
    {
        var (spec, plan) = Fleet();

        var rendered = RenderAdapter.Render(TestRun.Of(spec, plan), FakeRendering.Instance);

        Assert.Equal(["aws-a", "az-idle", "gcp-c"], rendered.Clusters.Keys.ToArray());
        Assert.Equal(
            [
                "aws-a/helm/kuberay-operator.values.yaml", "aws-a/helm/kuberay-operator.yaml", "aws-a/workloads.yaml",
                "az-idle/helm/kuberay-operator.values.yaml", "az-idle/helm/kuberay-operator.yaml",
                "gcp-c/helm/kuberay-operator.values.yaml", "gcp-c/helm/kuberay-operator.yaml", "gcp-c/workloads.yaml",
            ],
            rendered.Files.Select(f => f.Path).ToArray());
    }

    [Fact]
    public void Workloads_file_holds_the_clusters_copies_in_workload_order_each_with_its_share()
    {
        var (spec, plan) = Fleet();

        var rendered = RenderAdapter.Render(TestRun.Of(spec, plan), FakeRendering.Instance);

        var aws = rendered.Files.Single(f => f.Path == "aws-a/workloads.yaml").Content;
        var docs = aws.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, docs.Length);
        Assert.Contains("\"name\":\"batch\"", docs[0], StringComparison.Ordinal);
        Assert.Contains("\"workers\":3", docs[0], StringComparison.Ordinal);
        Assert.Contains("\"name\":\"llm\"", docs[1], StringComparison.Ordinal);
        Assert.Contains("\"workers\":1", rendered.Files.Single(f => f.Path == "gcp-c/workloads.yaml").Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Operator_file_names_chart_version_repository_namespace_and_values()
    {
        var (spec, plan) = Fleet();

        var rendered = RenderAdapter.Render(TestRun.Of(spec, plan), FakeRendering.Instance);

        var content = rendered.Files.Single(f => f.Path == "gcp-c/helm/kuberay-operator.yaml").Content;
        Assert.StartsWith("# Helm release kuberay-operator for cluster gcp-c.", content, StringComparison.Ordinal);
        Assert.Contains(
            "{\"releaseName\":\"kuberay-operator\",\"chart\":\"kuberay-operator\",\"version\":\"1.7.0\",\"repository\":\"https://ray-project.github.io/kuberay-helm/\",\"namespace\":\"kuberay-system\",\"values\":{\"for\":\"gcp-c\"}}",
            content,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Written_folder_is_identical_byte_for_byte_across_runs()
    {
        var (spec, plan) = Fleet();
        var root = Path.Combine(Path.GetTempPath(), "skyray-render-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = RenderAdapter.Render(TestRun.Of(spec, plan), FakeRendering.Instance).WriteTo(Path.Combine(root, "a"));
            var second = RenderAdapter.Render(TestRun.Of(spec, plan), FakeRendering.Instance).WriteTo(Path.Combine(root, "b"));

            Assert.Equal(8, first.Length);
            Assert.Equal(
                first.Select(p => Path.GetRelativePath(Path.Combine(root, "a"), p)).ToArray(),
                second.Select(p => Path.GetRelativePath(Path.Combine(root, "b"), p)).ToArray());
            foreach (var (a, b) in first.Zip(second))
            {
                Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
            }

            Assert.NotEqual(0xEF, File.ReadAllBytes(first[0])[0]);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
