using SkyRay.Fleet.Config;
using SkyRay.Infra.Clusters;
using SkyRay.Infra.Config;
using SkyRay.Infra.Tests.Support;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>
/// The repository's stack files, planned by the core, join cleanly with their configuration: every planned pool is
/// configured, and every cloud pool maps to a provider spelling (no Pulumi engine needed).
/// </summary>
public sealed class PlannedPoolTests
{
    [SkippableTheory]
    [MemberData(nameof(Program.StackFileDeploymentTests.StackFiles), MemberType = typeof(Program.StackFileDeploymentTests))]
    public void Config_values_as_pulumi_hands_them_over_load_like_the_stack_file(string stackFile)
    {
        Skip.If(stackFile.StartsWith('('), "no stack files in the repository yet");
        var config = StackConfig.FromFile(stackFile);
        var fromFile = ExpectedFleet.ForFile(stackFile).Spec;

        var values = StackConfigReader.Read(key => config.Values.GetValueOrDefault(StackConfigReader.Namespace + ":" + key));
        var loaded = StackLoader.FromValues(config.Stack, values, SkyRay.Testing.SharedMaterial.RepositoryRoot);

        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
        Assert.Equal(fromFile.Clusters.Keys, loaded.Value!.Clusters.Keys);
        Assert.Equal(fromFile.Workloads.Keys, loaded.Value.Workloads.Keys);
        Assert.Equal(fromFile.Policies.Keys, loaded.Value.Policies.Keys);
        Assert.Equal(fromFile.KubeRay.ChartVersion, loaded.Value.KubeRay.ChartVersion);
        foreach (var (name, cluster) in fromFile.Clusters)
        {
            Assert.Equal(cluster.NodePools, loaded.Value.Clusters[name].NodePools, (a, b) => a.Name == b.Name && a.MinNodes == b.MinNodes && a.MaxNodes == b.MaxNodes && a.InstanceType == b.InstanceType && a.Spot == b.Spot);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Program.StackFileDeploymentTests.StackFiles), MemberType = typeof(Program.StackFileDeploymentTests))]
    public void Every_planned_pool_of_a_live_cloud_cluster_maps_onto_its_cloud(string stackFile)
    {
        Skip.If(stackFile.StartsWith('('), "no stack files in the repository yet");
        var expected = ExpectedFleet.ForFile(stackFile);

        foreach (var cluster in expected.Live().Where(c => c.Provider != CloudProvider.Existing))
        {
            var pools = NodePools.Join(cluster, expected.Plan.Clusters[cluster.Name], expected.Spec.Catalog);
            Assert.Equal(expected.Plan.Clusters[cluster.Name].Pools.Length, pools.Length);
            foreach (var pool in pools)
            {
                Assert.NotNull(pool.Type);
                Assert.All(pool.Spec.Taints, t => Assert.NotEmpty(NodePools.UpperSnakeEffect(t.Effect)));
                if (cluster.Provider == CloudProvider.Gcp && pool.HasGpu)
                {
                    Assert.StartsWith("nvidia-", GkeCluster.AcceleratorType(pool.Plan.InstanceType, pool.Type!.GpuType), StringComparison.Ordinal);
                }

                if (cluster.Provider == CloudProvider.Aws)
                {
                    Assert.Equal(pool.HasGpu, EksCluster.AmiType(pool.Plan.InstanceType, pool.HasGpu).EndsWith("_NVIDIA", StringComparison.Ordinal));
                }

                if (expected.Plan.Clusters[cluster.Name].State == ClusterState.Standby)
                {
                    Assert.Equal(0, pool.Plan.DesiredNodes);
                }
            }
        }
    }
}
