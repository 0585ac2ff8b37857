using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Validation;
using SkyRay.Testing;

namespace SkyRay.Orchestration.Tests;

public class FleetLoadingTests
{
    private const string Config = """
        clusters:
          aws-1:
            provider: aws
            region: us-east-1
            kubernetesVersion: "1.35"
            nodePools:
              - {name: cpu, instanceType: m6i.2xlarge, minNodes: 0, maxNodes: 6}
        workloads:
          pasted:
            kind: RayJob
            spec:
              entrypoint: python job.py
              submissionMode: Whenever
              rayClusterSpec:
                rayVersion: "2.52.0"
                headGroupSpec:
                  rayStartParams: {}
                  template:
                    spec:
                      containers:
                        - {name: ray-head, image: "rayproject/ray:2.52.0", resources: {requests: {cpu: "1", memory: 2Gi}}}
        """;

    private static Dictionary<string, JsonNode?> Values(string yaml)
    {
        var bag = new DiagnosticBag();
        var root = Assert.IsType<JsonObject>(YamlJson.ParseSingle(yaml, "test", bag));
        return root.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
    }

    [Fact]
    public void Pulumi_path_reports_the_raw_spec_errors_the_fleet_loader_alone_accepts()
    {
        var bare = StackLoader.FromValues("test", Values(Config), Path.GetTempPath());
        var complete = FleetLoading.FromValues("test", Values(Config), Path.GetTempPath());

        Assert.True(bare.Ok);
        Assert.False(complete.Ok);
        Assert.Contains(complete.Diagnostics, d => d.Severity == Severity.Error && d.Path == "skyray:workloads.pasted.spec.submissionMode");
    }

    [Fact]
    public void A_valid_raw_spec_keeps_its_value_and_the_loaders_findings()
    {
        var valid = Values(Config.Replace("      submissionMode: Whenever\n", "", StringComparison.Ordinal));
        var complete = FleetLoading.FromValues("test", valid, Path.GetTempPath());

        Assert.True(complete.Ok, string.Join(Environment.NewLine, complete.Diagnostics));
        Assert.Equal(["pasted"], complete.Value!.Workloads.Keys);
    }

    [SkippableFact]
    public void Crd_schemas_add_the_api_servers_view_of_raw_specs()
    {
        var bag = new DiagnosticBag();
        var schemas = CrdSchemaSet.LoadDirectory(SharedMaterial.Require(SharedMaterial.KubeRayCrds), bag);
        var typo = Values(Config.Replace("      submissionMode: Whenever\n", "      entrypointt: x\n", StringComparison.Ordinal));

        var complete = FleetLoading.FromValues("test", typo, Path.GetTempPath(), schemas);

        Assert.Empty(bag.Items);
        Assert.Contains(complete.Diagnostics, d => d.Severity == Severity.Warning && d.Path == "skyray:workloads.pasted.spec.entrypointt" && d.Message.Contains("API server", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_entry_point_warns_on_operator_values_the_chart_does_not_know()
    {
        var values = Values(Config.Replace("      submissionMode: Whenever\n", "", StringComparison.Ordinal));
        values["kuberay"] = JsonNode.Parse("""{"values": {"watchNamespaces": ["ml"]}}""");

        var complete = FleetLoading.FromValues("test", values, Path.GetTempPath());

        var warning = Assert.Single(complete.Diagnostics, d => d.Path == "skyray:kuberay.values.watchNamespaces");
        Assert.Equal((Severity.Warning, "did you mean 'watchNamespace'?"), (warning.Severity, warning.Hint));
    }

    [Fact]
    public void Every_entry_point_rejects_a_raw_pod_the_restricted_namespace_would_reject()
    {
        var privileged = Config.Replace(
            "image: \"rayproject/ray:2.52.0\",",
            "image: \"rayproject/ray:2.52.0\", securityContext: {privileged: true},",
            StringComparison.Ordinal).Replace("      submissionMode: Whenever\n", "", StringComparison.Ordinal);

        var complete = FleetLoading.FromValues("test", Values(privileged), Path.GetTempPath());

        Assert.False(complete.Ok);
        Assert.Contains(complete.Diagnostics, d => d.Severity == Severity.Error &&
            d.Path == "skyray:workloads.pasted.spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].securityContext.privileged");
    }
}
