using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Infra.Clusters;
using SkyRay.Infra.Tests.Support;

namespace SkyRay.Infra.Tests.Program;

/// <summary>Pulumi names (unique per stack) and cloud names (within each cloud's limit) of what the program declares.</summary>
public sealed class ResourceNameTests
{
    [Fact]
    public async Task Cluster_and_workload_names_that_join_to_the_same_resource_name_fail_before_anything_is_declared()
    {
        var config = StackConfig.FromTrees("clash", new Dictionary<string, JsonNode>
        {
            ["clusters"] = new JsonObject { ["east"] = Existing("east"), ["east-west"] = Existing("east-west") },
            ["workloads"] = new JsonObject { ["west-llm"] = RayCluster("on-east"), ["llm"] = RayCluster("on-east-west") },
            ["policies"] = new JsonObject { ["on-east"] = Pin("east"), ["on-east-west"] = Pin("east-west") },
        });
        var mocks = new Mocks();

        var error = await Record.ExceptionAsync(() => PulumiRun.RunAsync(config, mocks));

        var message = Assert.IsType<RunException>(error).Message;
        Assert.Contains(
            "the workload resource name 'east-west-llm' would be used by workload 'llm' on cluster 'east-west' and workload 'west-llm' on cluster 'east'",
            message,
            StringComparison.Ordinal);
        Assert.Contains("skyray:workloads.west-llm", message, StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type == "pulumi:providers:kubernetes");
    }

    [Fact]
    public async Task Long_cluster_names_get_cloud_names_within_the_cloud_limits_and_short_ones_keep_pulumis_auto_names()
    {
        var longName = "gpu-burst-us-central1-team-research"; // 35 characters: valid for GKE, too long once Pulumi adds "-gke-xxxxxxx"
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            TestFleet.Declare(TestFleet.Gcp(longName, TestFleet.Pool("cpu", "n2-standard-4", 0, 2)));
            TestFleet.Declare(TestFleet.Gcp("short", TestFleet.Pool("cpu", "n2-standard-4", 0, 2)));
            TestFleet.Declare(TestFleet.Aws(longName + "-and-more-words", TestFleet.Pool("cpu", "m6i.xlarge", 0, 2)));
        });

        var gke = (string)Values.At(Single(mocks, "gcp:container/cluster:Cluster", longName + "-gke"), "name")!;
        Assert.True(gke.Length <= PhysicalNames.GkeCluster, gke);
        Assert.StartsWith("gpu-burst-us-central1-team-re", gke, StringComparison.Ordinal);
        Assert.Null(Values.At(Single(mocks, "gcp:container/cluster:Cluster", "short-gke"), "name"));
        var roles = mocks.Resources.Where(r => r.Type == "aws:iam/role:Role").Select(r => (string)Values.At(r, "name")!).ToList();
        Assert.Equal(2, roles.Count);
        Assert.All(roles, r => Assert.True(r.Length <= PhysicalNames.IamRole, r));
        Assert.Equal(roles.Count, roles.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Bounded_names_are_stable_per_stack_and_differ_between_stacks()
    {
        const string resource = "a-cluster-name-that-is-quite-long-gke";

        var first = PhysicalNames.Bounded(resource, PhysicalNames.GkeCluster, "org/skyray-infra/dev");
        var again = PhysicalNames.Bounded(resource, PhysicalNames.GkeCluster, "org/skyray-infra/dev");
        var otherStack = PhysicalNames.Bounded(resource, PhysicalNames.GkeCluster, "org/skyray-infra/prod");

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherStack);
        Assert.Equal(PhysicalNames.GkeCluster, first!.Length);
        Assert.Matches("^a-cluster-name-that-is-quite-lon-[0-9a-f]{7}$", first);
        Assert.Null(PhysicalNames.Bounded("short-gke", PhysicalNames.GkeCluster, "org/skyray-infra/dev"));
    }

    [Fact]
    public void Aks_dns_prefix_is_the_cluster_name_cut_to_54_characters_without_a_trailing_dash()
    {
        Assert.Equal("west", AksCluster.DnsPrefix("west"));
        var cut = AksCluster.DnsPrefix(new string('a', 53) + "-" + new string('b', 9));
        Assert.Equal(new string('a', 53), cut);
    }

    private static Pulumi.Testing.MockResourceArgs Single(Mocks mocks, string type, string name) =>
        Assert.Single(mocks.Resources, r => r.Type == type && r.Name == name);

    private static JsonObject Existing(string name) => new()
    {
        ["provider"] = "existing",
        ["kubernetesVersion"] = "1.30",
        ["existing"] = new JsonObject { ["context"] = "kind-" + name, ["cloud"] = "aws" },
        ["nodePools"] = new JsonArray
        {
            new JsonObject { ["name"] = "workers", ["instanceType"] = "m6i.xlarge", ["minNodes"] = 2, ["maxNodes"] = 2 },
        },
    };

    private static JsonObject RayCluster(string policy) => new()
    {
        ["kind"] = "RayCluster",
        ["policy"] = policy,
        ["head"] = new JsonObject { ["cpu"] = 1, ["memory"] = "2Gi" },
        ["workerGroups"] = new JsonArray { new JsonObject { ["name"] = "workers", ["cpu"] = 1, ["memory"] = "2Gi", ["replicas"] = 1 } },
    };

    private static JsonObject Pin(string cluster) => new()
    {
        ["clusterSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/metadata.name"] = cluster } },
    };
}
