using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Rendering;

public class OperatorReleaseTests
{
    [Fact]
    public void Release_uses_the_chart_version_namespace_and_repository_from_config()
    {
        var release = OperatorReleaseBuilder.Build(new KubeRaySettings("1.6.1", "ray-system", []), Build.Cluster());
        Assert.Equal(("kuberay-operator", "kuberay-operator", "1.6.1", "https://ray-project.github.io/kuberay-helm/", "ray-system"),
            (release.ReleaseName, release.Chart, release.Version, release.Repository, release.Namespace));
        Assert.Equal("1.7.0", OperatorReleaseBuilder.Build(KubeRaySettings.Default, Build.Cluster()).Version);
    }

    [Fact]
    public void User_values_deep_merge_over_the_defaults_with_helm_rules()
    {
        var user = new JsonObject
        {
            ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "2Gi" } },
            ["singleNamespaceInstall"] = true,
            ["watchNamespace"] = new JsonArray("ml", "serving"),
            ["leaderElectionEnabled"] = null,
        };
        var values = OperatorReleaseBuilder.Build(KubeRaySettings.Default with { Values = user }, Build.Cluster()).Values;

        Assert.Equal("2Gi", values["resources"]!["limits"]!["memory"]!.GetValue<string>());
        Assert.Equal("500m", values["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("100m", values["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.True(values["singleNamespaceInstall"]!.GetValue<bool>());
        Assert.Equal(["ml", "serving"], values["watchNamespace"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(values.ContainsKey("leaderElectionEnabled"));
        Assert.False(user["resources"]!["limits"]!.AsObject().ContainsKey("cpu"));
    }

    [Fact]
    public void Defaults_install_the_operator_namespaced_watching_the_workload_namespaces_sorted()
    {
        var values = OperatorReleaseBuilder.Build(KubeRaySettings.Default, Build.Cluster(), ["serving", "ml", "serving"]).Values;

        // The 1.7.0 chart: singleNamespaceInstall true means Roles per watchNamespace and --watch-namespace, no ClusterRole.
        Assert.True(values["singleNamespaceInstall"]!.GetValue<bool>());
        Assert.Equal(["ml", "serving"], values["watchNamespace"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("aws-1", values["labels"]!["skyray.io/cluster"]!.GetValue<string>());
        Assert.Null(values["tolerations"]);
    }

    [Fact]
    public void A_namespaced_operator_with_nothing_to_watch_names_no_namespace_so_the_chart_watches_its_own()
    {
        var values = OperatorReleaseBuilder.Build(KubeRaySettings.Default, Build.Cluster(), []).Values;

        Assert.True(values["singleNamespaceInstall"]!.GetValue<bool>());
        Assert.False(values.ContainsKey("watchNamespace"));
    }

    [Fact]
    public void Cluster_scope_is_the_charts_cluster_wide_install()
    {
        var values = OperatorReleaseBuilder.Build(KubeRaySettings.Default with { Scope = OperatorScope.Cluster }, Build.Cluster(), ["ml"]).Values;

        Assert.False(values["singleNamespaceInstall"]!.GetValue<bool>());
        Assert.False(values.ContainsKey("watchNamespace"));
    }

    [Fact]
    public void Operator_tolerates_the_first_pool_when_every_pool_is_tainted()
    {
        var taint = new NodeTaint("nvidia.com/gpu", "present", "NoSchedule");
        var cluster = Build.Cluster("gpu-only", Build.Pool("b-gpu", taints: taint), Build.Pool("a-gpu", taints: taint));
        var values = OperatorReleaseBuilder.Defaults(cluster);
        var toleration = values["tolerations"]![0]!;
        Assert.Equal(("nvidia.com/gpu", "Equal", "present"), (toleration["key"]!.GetValue<string>(), toleration["operator"]!.GetValue<string>(), toleration["value"]!.GetValue<string>()));
        Assert.Equal("a-gpu", values["nodeSelector"]!["skyray.io/pool"]!.GetValue<string>());
    }

    [Fact]
    public void On_aks_the_operator_runs_on_the_system_pool_tolerating_its_critical_addons_taint()
    {
        var cluster = Build.Cluster("aks", Build.Pool("cpu")) with { Provider = CloudProvider.Azure };

        var values = OperatorReleaseBuilder.Defaults(cluster);

        // AKS taints a system pool with onlyCriticalAddonsEnabled CriticalAddonsOnly=true:NoSchedule and labels it
        // kubernetes.azure.com/mode: system (AKS docs, "Manage system node pools").
        var toleration = values["tolerations"]![0]!;
        Assert.Equal(("CriticalAddonsOnly", "Equal", "true", "NoSchedule"), (toleration["key"]!.GetValue<string>(), toleration["operator"]!.GetValue<string>(), toleration["value"]!.GetValue<string>(), toleration["effect"]!.GetValue<string>()));
        Assert.Equal("system", values["nodeSelector"]!["kubernetes.azure.com/mode"]!.GetValue<string>());
    }

    [Fact]
    public void Operator_tolerates_the_implicit_gpu_taint_of_a_cluster_with_gpu_pools_only()
    {
        var gpu = Build.Pool("gpu", "g5.xlarge") with { ImplicitTaints = [PoolTaints.Gpu] };
        var values = OperatorReleaseBuilder.Defaults(Build.Cluster("gpu-only", gpu));

        Assert.Equal("nvidia.com/gpu", values["tolerations"]![0]!["key"]!.GetValue<string>());
        Assert.Null(OperatorReleaseBuilder.Defaults(Build.Cluster("mixed", gpu, Build.Pool("cpu")))["tolerations"]);
    }
}
