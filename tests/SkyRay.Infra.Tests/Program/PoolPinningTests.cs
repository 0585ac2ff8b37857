using System.Text.Json.Nodes;
using Pulumi.Testing;
using SkyRay.Infra.Tests.Support;

namespace SkyRay.Infra.Tests.Program;

/// <summary>
/// The renderer pins Ray pods to a pool by the label each cloud puts the pool's name in, and tolerates the pool's
/// taints. These run the whole program and check both halves meet: the cloud pool is created under the name the pods
/// select, and carries no taint the pods do not tolerate.
/// </summary>
public sealed class PoolPinningTests
{
    public static TheoryData<string, string, string, string, string> Clouds() => new()
    {
        { "aws", "m6i.xlarge", "aws:eks/nodeGroup:NodeGroup", "nodeGroupName", "eks.amazonaws.com/nodegroup" },
        { "azure", "Standard_D4s_v5", "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "name", "kubernetes.azure.com/agentpool" },
        { "gcp", "n2-standard-4", "gcp:container/nodePool:NodePool", "name", "cloud.google.com/gke-nodepool" },
    };

    [Theory]
    [MemberData(nameof(Clouds))]
    public async Task Cloud_pool_is_created_under_the_name_the_ray_pods_select(
        string provider, string instanceType, string poolType, string nameInput, string poolLabel)
    {
        // A name the cloud would not pick by itself: with an auto-name the pods would select a pool that does not exist.
        var poolName = provider == "azure" ? "raypool1" : "ray-pool-1";
        var result = await PulumiRun.RunAsync(Stack(provider, Pool(poolName, instanceType)));

        var pool = result.Single(poolType, "burst-pool-" + poolName);
        Assert.Equal(poolName, Values.At(pool, nameInput));
        var templates = PodTemplates(Assert.Single(result.Mocks.Resources, r => r.Type == "kubernetes:ray.io/v1:RayCluster")).ToList();
        Assert.Equal(2, templates.Count);
        Assert.All(templates, t => Assert.Equal(poolName, ((IReadOnlyDictionary<string, object>)t["nodeSelector"])[poolLabel]));
    }

    [Fact]
    public async Task Aks_spot_pool_declares_exactly_the_taints_its_ray_pods_tolerate()
    {
        var pool = Pool("spot1", "Standard_D4s_v5");
        pool["spot"] = true;
        pool["taints"] = new JsonArray { new JsonObject { ["key"] = "dedicated", ["value"] = "ray", ["effect"] = "NoSchedule" } };
        // The workload tolerates the configured taint (else placement keeps it off the pool); the spot toleration it earns.
        var result = await PulumiRun.RunAsync(Stack("azure", pool, new JsonArray { new JsonObject { ["key"] = "dedicated", ["value"] = "ray", ["effect"] = "NoSchedule" } }));

        var declared = ((IEnumerable<object>)Values.At(result.Single("azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "burst-pool-spot1"), "nodeTaints")!)
            .Cast<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal<string>(["dedicated=ray:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"], declared);
        foreach (var template in PodTemplates(Assert.Single(result.Mocks.Resources, r => r.Type == "kubernetes:ray.io/v1:RayCluster")))
        {
            var tolerated = ((IEnumerable<object>)template["tolerations"])
                .Cast<IReadOnlyDictionary<string, object>>()
                .Select(t => $"{t["key"]}={t["value"]}:{t["effect"]}")
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(declared, tolerated);
        }
    }

    [Fact]
    public async Task Aks_spot_pool_that_configures_the_spot_taint_itself_declares_it_once()
    {
        var pool = Pool("spot1", "Standard_D4s_v5");
        pool["spot"] = true;
        pool["taints"] = new JsonArray { new JsonObject { ["key"] = "kubernetes.azure.com/scalesetpriority", ["value"] = "spot", ["effect"] = "NoSchedule" } };
        var result = await PulumiRun.RunAsync(Stack("azure", pool));

        var declared = (IEnumerable<object>)Values.At(result.Single("azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "burst-pool-spot1"), "nodeTaints")!;
        Assert.Equal(new object[] { "kubernetes.azure.com/scalesetpriority=spot:NoSchedule" }, declared);
    }

    private static JsonObject Pool(string name, string instanceType) => new()
    {
        ["name"] = name,
        ["instanceType"] = instanceType,
        ["minNodes"] = 1,
        ["maxNodes"] = 3,
    };

    /// <summary>One static cluster named burst with one pool, and one small RayCluster that has to land on it.</summary>
    private static StackConfig Stack(string provider, JsonObject pool, JsonArray? tolerations = null)
    {
        var cluster = new JsonObject
        {
            ["provider"] = provider,
            ["region"] = provider switch { "aws" => "us-east-1", "azure" => "westeurope", _ => "us-central1" },
            ["kubernetesVersion"] = "1.35",
            ["nodePools"] = new JsonArray { pool },
        };
        if (provider == "gcp")
        {
            cluster["gcp"] = new JsonObject { ["project"] = "my-project-123" };
        }

        return StackConfig.FromTrees("pinning", new Dictionary<string, JsonNode>
        {
            ["clusters"] = new JsonObject { ["burst"] = cluster },
            ["workloads"] = new JsonObject
            {
                ["batch"] = new JsonObject
                {
                    ["kind"] = "RayCluster",
                    ["head"] = new JsonObject { ["cpu"] = 1, ["memory"] = "2Gi" },
                    ["workerGroups"] = new JsonArray { new JsonObject { ["name"] = "workers", ["cpu"] = 2, ["memory"] = "4Gi", ["replicas"] = 1 } },
                    ["tolerations"] = tolerations ?? [],
                },
            },
        });
    }

    /// <summary>The pod specs of a declared RayCluster: the head's, then each worker group's.</summary>
    private static IEnumerable<IReadOnlyDictionary<string, object>> PodTemplates(MockResourceArgs rayCluster)
    {
        yield return (IReadOnlyDictionary<string, object>)Values.At(rayCluster, "spec.headGroupSpec.template.spec")!;
        foreach (var group in (IEnumerable<object>)Values.At(rayCluster, "spec.workerGroupSpecs")!)
        {
            var template = (IReadOnlyDictionary<string, object>)((IReadOnlyDictionary<string, object>)group)["template"];
            yield return (IReadOnlyDictionary<string, object>)template["spec"];
        }
    }
}
