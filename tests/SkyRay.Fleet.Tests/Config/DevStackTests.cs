using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Tests.Builders;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;
using SkyRay.Testing;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>The repository's Pulumi.dev.yaml, loaded with the built-in catalog and the real policy reader.</summary>
public sealed class DevStackTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string DevFile => Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml");

    [Fact]
    public void Dev_stack_is_valid_and_warns_only_that_its_eks_api_endpoint_is_open_to_everyone()
    {
        var result = StackLoader.LoadFile(DevFile);

        var spec = result.IsValid();
        // EKS's default endpoint access, kept so a CI runner can reach the cluster; the warning says how to narrow it.
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("skyray:clusters.aws-west.aws.publicAccessCidrs", Fleet.Diagnostics.Severity.Warning), (warning.Path, warning.Severity));
        Assert.Equal("dev", spec.Stack);
        Assert.Equal<string>(["aws-west", "gcp-l4", "lab"], spec.Clusters.Keys);
        Assert.Equal<string>(["gpu-priority", "production-only"], spec.Policies.Keys);
        Assert.Equal(CloudProvider.Aws, spec.Clusters["lab"].Existing!.Cloud);
        Assert.Equal(RayKind.RayService, spec.Workloads["llm-serve"].Kind);
    }

    [Fact]
    public void Dev_stack_read_as_pulumi_config_values_gives_the_same_fleet_spec_as_the_file()
    {
        var bag = new DiagnosticBag();
        var config = YamlJson.ParseSingle(File.ReadAllText(DevFile), "dev", bag)!["config"]!.AsObject();
        // Pulumi hands each structured value to the program as JSON text.
        var values = config
            .Where(p => p.Key.StartsWith("skyray:", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["skyray:".Length..], p => JsonNode.Parse(p.Value!.ToJsonString()), StringComparer.Ordinal);

        var fromFile = StackLoader.LoadFile(DevFile).IsValid();
        var fromValues = StackLoader.FromValues("dev", values, SharedMaterial.RepositoryRoot).IsValid();

        Assert.Equal(JsonSerializer.Serialize(fromFile, Indented), JsonSerializer.Serialize(fromValues, Indented));
    }
}
