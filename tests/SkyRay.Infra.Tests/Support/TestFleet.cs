using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using Pulumi.Testing;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Clusters;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Tests.Support;

/// <summary>Builders for the core records the adapter takes, so adapter tests need neither the config reader nor the planner.</summary>
internal static class TestFleet
{
    public static InstanceCatalog Catalog { get; } = new(
    [
        new InstanceType("m6i.xlarge", "aws", 4, 16, 0, null, 0.192m),
        new InstanceType("g5.xlarge", "aws", 4, 16, 1, "A10G", 1.006m),
        new InstanceType("m7g.xlarge", "aws", 4, 16, 0, null, 0.163m),
        new InstanceType("Standard_D4s_v5", "azure", 4, 16, 0, null, 0.192m),
        new InstanceType("Standard_NC24ads_A100_v4", "azure", 24, 220, 1, "A100-80GB", 3.67m),
        new InstanceType("n2-standard-4", "gcp", 4, 16, 0, null, 0.194m),
        new InstanceType("g2-standard-8", "gcp", 8, 32, 1, "L4", 0.85m),
    ]);

    public static ImmutableSortedDictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);

    public static NodePoolSpec Pool(string name, string instanceType, int min, int max, bool spot = false, ImmutableArray<NodeTaint> taints = default, ImmutableSortedDictionary<string, string>? labels = null) =>
        new(name, instanceType, min, max, spot, labels ?? Labels(), taints.IsDefault ? [] : taints);

    public static ClusterSpec Aws(string name, params NodePoolSpec[] pools) =>
        new(name, CloudProvider.Aws, "us-east-1", "1.31", ClusterLifecycle.Static, null, Labels(), [.. pools.OrderBy(p => p.Name, StringComparer.Ordinal)],
            Aws: new AwsSettings([], "10.0.0.0/16"));

    public static ClusterSpec Azure(string name, params NodePoolSpec[] pools) =>
        new(name, CloudProvider.Azure, "westeurope", "1.31", ClusterLifecycle.Static, null, Labels(), [.. pools.OrderBy(p => p.Name, StringComparer.Ordinal)],
            Azure: new AzureSettings(null));

    public static ClusterSpec Gcp(string name, params NodePoolSpec[] pools) =>
        new(name, CloudProvider.Gcp, "us-central1", "1.31", ClusterLifecycle.Dynamic, null, Labels(), [.. pools.OrderBy(p => p.Name, StringComparer.Ordinal)],
            Gcp: new GcpSettings("my-project-123"));

    public static ClusterSpec Existing(string name, string? context, string? secretKey) =>
        new(name, CloudProvider.Existing, null, "1.30", ClusterLifecycle.Static, null, Labels(), [], Existing: new ExistingSettings(context, secretKey));

    /// <summary>A plan that keeps each pool at its minimum (desired = max(min, <paramref name="desired"/>)).</summary>
    public static ClusterPlan Plan(ClusterSpec cluster, ClusterState state = ClusterState.Active, int desired = 0) =>
        new(
            cluster.Name,
            state,
            cluster.Labels,
            [.. cluster.NodePools.Select(p => state == ClusterState.Standby
                ? new NodePoolPlan(p.Name, p.InstanceType, 0, p.MaxNodes, 0, 0m)
                : new NodePoolPlan(p.Name, p.InstanceType, p.MinNodes, p.MaxNodes, Math.Max(p.MinNodes, desired), 1m))],
            [],
            1m,
            "test plan");

    public static HelmRelease Release(string @namespace = "kuberay-system") =>
        new(OperatorReleaseBuilder.Key, "kuberay-operator", "kuberay-operator", "1.7.0", OperatorReleaseBuilder.Repository, @namespace, new JsonObject { ["replicas"] = 1 });

    public static KubeObject RayCluster(string name, string @namespace) =>
        new("ray.io/v1", "RayCluster", name, @namespace, new JsonObject
        {
            ["apiVersion"] = "ray.io/v1",
            ["kind"] = "RayCluster",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = @namespace,
                ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "skyray" },
                ["annotations"] = new JsonObject { ["pulumi.com/waitFor"] = "condition=Ready" },
            },
            ["spec"] = new JsonObject
            {
                ["rayVersion"] = "2.52.0",
                ["headGroupSpec"] = new JsonObject { ["rayStartParams"] = new JsonObject() },
                ["workerGroupSpecs"] = new JsonArray { new JsonObject { ["groupName"] = "cpu", ["replicas"] = 2, ["minReplicas"] = 1, ["maxReplicas"] = 4 } },
            },
        });

    /// <summary>Declares resources with the adapter inside a mocked deployment and returns the mocks.</summary>
    public static async Task<Mocks> DeclareAsync(Action declare, Mocks? mocks = null)
    {
        mocks ??= new Mocks();
        var options = new TestOptions { ProjectName = PulumiRun.Project, StackName = "adapter", IsPreview = false };
        await Task.Run(() => Deployment.TestAsync(mocks, options, declare));
        return mocks;
    }

    /// <summary>Declares one cluster component and returns its kubeconfig output holder.</summary>
    public static FleetCluster Declare(ClusterSpec cluster, ClusterPlan? plan = null) =>
        new(new FleetClusterArgs(cluster, plan ?? (cluster.Provider == CloudProvider.Existing ? null : Plan(cluster)), Catalog));
}
