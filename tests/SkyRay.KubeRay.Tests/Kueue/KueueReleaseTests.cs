using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Kueue;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Tests.Support;
using SkyRay.Testing;

namespace SkyRay.KubeRay.Tests.Kueue;

/// <summary>Kueue's Helm release: the OCI chart, its version and namespace, and the controller configuration SkyRay writes.</summary>
public sealed class KueueReleaseTests
{
    private const string Stack = """
        kueue: {}
        clusters:
          c:
            provider: aws
            region: us-east-1
            kubernetesVersion: "1.35"
            nodePools: [{name: cpu, instanceType: m6i.2xlarge, maxNodes: 2}]
        """;

    private static JsonObject Config(HelmRelease release)
    {
        var text = release.Values["managerConfig"]!["controllerManagerConfigYaml"]!.GetValue<string>();
        var bag = new DiagnosticBag();
        var config = (JsonObject)YamlJson.ParseSingle(text, "config", bag)!;
        Assert.False(bag.HasErrors);
        return config;
    }

    [Fact]
    public void The_release_is_kueues_oci_chart_in_kueue_system_after_the_kuberay_operator()
    {
        var release = KueueRelease.Build(KueueFleet.Load(Stack).Clusters["c"]);

        Assert.Equal(
            ("kueue", "kueue", "oci://registry.k8s.io/kueue/charts/kueue", "0.19.2", "kueue-system", ""),
            (release.Key, release.ReleaseName, release.Chart, release.Version, release.Namespace, release.Repository));
        Assert.True(release.IsOciChart);
        Assert.Equal<string>(["kuberay"], release.After);
    }

    [Fact]
    public void Only_the_three_ray_integrations_are_on_and_undeclared_resources_do_not_block_admission()
    {
        var config = Config(KueueRelease.Build(KueueFleet.Load(Stack).Clusters["c"]));

        Assert.Equal("config.kueue.x-k8s.io/v1beta2", config["apiVersion"]!.GetValue<string>());
        Assert.Equal("Configuration", config["kind"]!.GetValue<string>());
        Assert.Equal<string>(["ray.io/rayjob", "ray.io/raycluster", "ray.io/rayservice"], KueueFleet.Strings(config["integrations"]!["frameworks"]));
        Assert.Equal("IgnoreUndeclared", config["resources"]!["quotaCheckStrategy"]!.GetValue<string>());
        Assert.Null(config["fairSharing"]);
        Assert.Null(config["admissionFairSharing"]);
    }

    [Fact]
    public void Fair_sharing_and_admission_fair_sharing_turn_on_their_configuration()
    {
        var spec = KueueFleet.Load(Stack.Replace("kueue: {}", "kueue: {cohort: gpus, fairSharing: {}, admissionFairSharing: true}", StringComparison.Ordinal));
        var config = Config(KueueRelease.Build(spec.Clusters["c"]));

        Assert.Equal("""{"preemptionStrategies":["LessThanOrEqualToFinalShare","LessThanInitialShare"]}""", config["fairSharing"]!.ToJsonString());
        Assert.Equal("""{"usageHalfLifeTime":"168h","usageSamplingInterval":"5m"}""", config["admissionFairSharing"]!.ToJsonString());
    }

    [Fact]
    public void User_values_merge_over_skyrays_and_chart_version_and_namespace_come_from_config()
    {
        var spec = KueueFleet.Load(Stack.Replace("kueue: {}", "kueue: {chartVersion: 0.19.3, namespace: queues, values: {controllerManager: {replicas: 2}, enablePrometheus: true}}", StringComparison.Ordinal));
        var release = KueueRelease.Build(spec.Clusters["c"]);

        Assert.Equal(("0.19.3", "queues"), (release.Version, release.Namespace));
        Assert.Equal("2", release.Values["controllerManager"]!["replicas"]!.ToJsonString());
        Assert.True(release.Values["enablePrometheus"]!.GetValue<bool>());
        Assert.NotNull(release.Values["managerConfig"]!["controllerManagerConfigYaml"]);
    }

    [Fact]
    public void The_controller_tolerates_the_first_pool_when_every_pool_is_tainted()
    {
        var spec = KueueFleet.Load(Stack.Replace(
            "nodePools: [{name: cpu, instanceType: m6i.2xlarge, maxNodes: 2}]",
            "nodePools: [{name: gpu, instanceType: g5.2xlarge, maxNodes: 2, taints: [{key: nvidia.com/gpu, value: \"true\", effect: NoSchedule}]}]",
            StringComparison.Ordinal));
        var manager = KueueRelease.Defaults(spec.Clusters["c"])["controllerManager"]!;

        Assert.Equal("""[{"effect":"NoSchedule","key":"nvidia.com/gpu","operator":"Equal","value":"true"}]""", manager["tolerations"]!.ToJsonString());
        Assert.Equal("""{"eks.amazonaws.com/nodegroup":"gpu"}""", manager["nodeSelector"]!.ToJsonString());
        Assert.Null(KueueRelease.Defaults(KueueFleet.Load(Stack).Clusters["c"])["controllerManager"]);
    }

    [SkippableFact]
    public void The_values_keys_and_the_chart_version_are_the_v0_19_2_charts_own()
    {
        var chart = SharedMaterial.Require(SharedMaterial.KueueChart);
        var bag = new DiagnosticBag();
        var values = (JsonObject)YamlJson.ParseSingle(File.ReadAllText(Path.Combine(chart, "values.yaml")), "values.yaml", bag)!;
        var chartYaml = (JsonObject)YamlJson.ParseSingle(File.ReadAllText(Path.Combine(chart, "Chart.yaml")), "Chart.yaml", bag)!;
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));

        Assert.Equal(KueueSettings.DefaultChartVersion, chartYaml["version"]!.GetValue<string>());
        Assert.Equal("kueue", chartYaml["name"]!.GetValue<string>());
        var chartConfig = (JsonObject)YamlJson.ParseSingle(values["managerConfig"]!["controllerManagerConfigYaml"]!.GetValue<string>(), "chart config", bag)!;
        var ours = Config(KueueRelease.Build(KueueFleet.Load(Stack).Clusters["c"]));

        // Every setting of the chart's own configuration is kept as the chart has it; only the integrations differ.
        foreach (var (key, value) in chartConfig.Where(p => p.Key != "integrations"))
        {
            Assert.True(JsonNode.DeepEquals(value, ours[key]), $"{key}: chart {value?.ToJsonString()}, SkyRay {ours[key]?.ToJsonString()}");
        }

        // The chart's default list includes the Ray frameworks among others (pod, deployment, ...) that SkyRay leaves off.
        var chartFrameworks = KueueFleet.Strings(chartConfig["integrations"]!["frameworks"]);
        Assert.Subset(chartFrameworks.ToHashSet(), KueueConfiguration.Frameworks.ToHashSet());
        Assert.Contains("pod", chartFrameworks);
        Assert.NotNull(values["controllerManager"]!["tolerations"]);
        Assert.NotNull(values["controllerManager"]!["nodeSelector"]);
    }
}
