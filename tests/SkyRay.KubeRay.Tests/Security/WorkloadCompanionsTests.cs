using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Security;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Security;

public class WorkloadCompanionsTests
{
    private static FleetSpec Fleet(WorkloadSpec workload, KubeRaySettings kubeRay) => new(
        "test",
        ImmutableSortedDictionary.Create<string, ClusterSpec>(StringComparer.Ordinal).Add("aws-1", Build.Cluster()),
        ImmutableSortedDictionary.Create<string, WorkloadSpec>(StringComparer.Ordinal).Add(workload.Name, workload),
        ImmutableSortedDictionary.Create<string, SchedulePolicy>(StringComparer.Ordinal),
        kubeRay,
        new InstanceCatalog([]));

    private static JsonNode OperatorRule(KubeRaySettings kubeRay)
    {
        var workload = Build.Structured("lab", RayKind.RayCluster, Build.Head());
        var target = new WorkloadTarget(workload, Build.Cluster(), Build.Copy("lab"), null) { Fleet = Fleet(workload, kubeRay) };
        var companions = WorkloadCompanions.For(target, WorkloadRenderer.Render(target));
        var policy = Assert.Single(companions);
        Assert.Equal("NetworkPolicy", policy.Kind);
        return policy.Manifest["spec"]!["ingress"]![1]!["from"]![0]!;
    }

    [Fact]
    public void The_policy_admits_the_operator_of_the_stacks_namespace_by_the_charts_name()
    {
        // The chart names the operator pods kuberay-operator unless values.nameOverride says otherwise (chart values.yaml).
        var rule = OperatorRule(KubeRaySettings.Default with { Namespace = "ray-ops" });

        Assert.Equal("""{"kubernetes.io/metadata.name":"ray-ops"}""", rule["namespaceSelector"]!["matchLabels"]!.ToJsonString());
        Assert.Equal("""{"app.kubernetes.io/name":"kuberay-operator"}""", rule["podSelector"]!["matchLabels"]!.ToJsonString());
    }

    [Fact]
    public void A_name_override_in_the_stacks_operator_values_names_the_operator_pods()
    {
        var rule = OperatorRule(KubeRaySettings.Default with { Values = new JsonObject { ["nameOverride"] = "ray-op" } });

        Assert.Equal("""{"app.kubernetes.io/name":"ray-op"}""", rule["podSelector"]!["matchLabels"]!.ToJsonString());
    }

    [Fact]
    public void A_null_or_empty_name_override_keeps_the_charts_name()
    {
        // Helm drops a key set to null, and the chart falls back to its name when nameOverride is empty.
        var dropped = OperatorRule(KubeRaySettings.Default with { Values = new JsonObject { ["nameOverride"] = null } });
        var empty = OperatorRule(KubeRaySettings.Default with { Values = new JsonObject { ["nameOverride"] = "" } });

        Assert.Equal("""{"app.kubernetes.io/name":"kuberay-operator"}""", dropped["podSelector"]!["matchLabels"]!.ToJsonString());
        Assert.Equal("""{"app.kubernetes.io/name":"kuberay-operator"}""", empty["podSelector"]!["matchLabels"]!.ToJsonString());
    }
}
