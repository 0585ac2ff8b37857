using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Infra.Clusters;
using SkyRay.Infra.Config;
using SkyRay.Infra.Inputs;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>The pure translations the adapter makes: spellings, CIDRs, JSON to Pulumi values, config parsing.</summary>
public sealed class MappingTests
{
    [Theory]
    [InlineData("m6i.xlarge", false, "AL2023_x86_64_STANDARD")]
    [InlineData("g5.xlarge", true, "AL2023_x86_64_NVIDIA")]
    [InlineData("g6e.2xlarge", true, "AL2023_x86_64_NVIDIA")]
    [InlineData("m7g.large", false, "AL2023_ARM_64_STANDARD")]
    [InlineData("c7gn.xlarge", false, "AL2023_ARM_64_STANDARD")]
    [InlineData("g5g.xlarge", true, "AL2023_ARM_64_NVIDIA")]
    [InlineData("p5.48xlarge", true, "AL2023_x86_64_NVIDIA")]
    public void Eks_ami_type_follows_the_gpu_and_the_graviton_family(string instanceType, bool gpu, string expected)
    {
        Assert.Equal(expected, EksCluster.AmiType(instanceType, gpu));
    }

    [Theory]
    [InlineData("10.0.0.0/16", "10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18")]
    [InlineData("172.20.8.0/22", "172.20.8.0/24", "172.20.9.0/24", "172.20.10.0/24", "172.20.11.0/24")]
    [InlineData("192.168.1.0/24", "192.168.1.0/26", "192.168.1.64/26", "192.168.1.128/26", "192.168.1.192/26")]
    public void A_new_vpc_is_split_into_four_equal_subnets(string vpc, string first, string second, string third, string fourth)
    {
        Assert.Equal<string>([first, second, third, fourth], EksCluster.SubnetCidrs(vpc));
    }

    [Theory]
    [InlineData("NoSchedule", "NO_SCHEDULE")]
    [InlineData("PreferNoSchedule", "PREFER_NO_SCHEDULE")]
    [InlineData("NoExecute", "NO_EXECUTE")]
    public void Eks_and_gke_taint_effects_are_upper_snake_case(string effect, string expected)
    {
        Assert.Equal(expected, NodePools.UpperSnakeEffect(effect));
    }

    [Fact]
    public void Aks_taints_are_key_value_effect_strings_and_omit_an_empty_value()
    {
        Assert.Equal("nvidia.com/gpu=present:NoSchedule", NodePools.AksTaint(new NodeTaint("nvidia.com/gpu", "present", "NoSchedule")));
        Assert.Equal("dedicated:NoExecute", NodePools.AksTaint(new NodeTaint("dedicated", null, "NoExecute")));
    }

    [Theory]
    [InlineData("g2-standard-8", "L4", "nvidia-l4")]
    [InlineData("a2-highgpu-1g", "A100", "nvidia-tesla-a100")]
    [InlineData("a2-ultragpu-1g", "A100-80GB", "nvidia-a100-80gb")]
    [InlineData("a3-highgpu-8g", "H100", "nvidia-h100-80gb")]
    [InlineData("a3-megagpu-8g", "H100", "nvidia-h100-mega-80gb")]
    [InlineData("n1-standard-8", "T4", "nvidia-tesla-t4")]
    public void Gke_accelerator_names_come_from_the_gpu_model_and_machine_family(string machineType, string gpu, string expected)
    {
        Assert.Equal(expected, GkeCluster.AcceleratorType(machineType, gpu));
    }

    [Fact]
    public void Every_gpu_machine_type_of_the_built_in_gcp_catalog_has_a_gke_accelerator_name()
    {
        var gpuTypes = InstanceCatalogReader.BuiltIn().All.Where(t => t.Provider == "gcp" && t.Gpus > 0).ToList();

        Assert.NotEmpty(gpuTypes);
        Assert.All(gpuTypes, t => Assert.StartsWith("nvidia-", GkeCluster.AcceleratorType(t.Name, t.GpuType), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_gpu_type_of_the_built_in_aws_catalog_gets_an_nvidia_ami()
    {
        var gpuTypes = InstanceCatalogReader.BuiltIn().All.Where(t => t.Provider == "aws" && t.Gpus > 0).ToList();

        Assert.NotEmpty(gpuTypes);
        Assert.All(gpuTypes, t => Assert.EndsWith("_NVIDIA", EksCluster.AmiType(t.Name, gpu: true), StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_gpu_model_on_gke_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GkeCluster.AcceleratorType("x9-gpu-1g", "Z9"));
        Assert.Contains("Z9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_trees_become_dictionaries_lists_and_int_or_double_scalars()
    {
        var tree = JsonNode.Parse("""{"a":1,"b":2.5,"c":"x","d":[true,null,3000000000],"e":{"f":false}}""")!.AsObject();

        var value = JsonInputs.ToDictionary(tree);

        Assert.Equal(1, value["a"]);
        Assert.Equal(2.5, value["b"]);
        Assert.Equal("x", value["c"]);
        var list = Assert.IsType<ImmutableArray<object?>>(value["d"]);
        Assert.Equal(true, list[0]);
        Assert.Null(list[1]);
        Assert.Equal(3000000000d, list[2]);
        Assert.Equal(false, Assert.IsType<ImmutableDictionary<string, object?>>(value["e"])["f"]);
    }

    [Fact]
    public void Labels_keep_strings_and_write_other_values_as_json()
    {
        var labels = JsonInputs.ToStringMap(JsonNode.Parse("""{"team":"ml","replicas":3}""")!.AsObject());

        Assert.Equal("ml", labels["team"]);
        Assert.Equal("3", labels["replicas"]);
    }

    [Theory]
    [InlineData("""{"a":[1,2]}""", """{"a":[1,2]}""")]
    [InlineData("plain text", "\"plain text\"")]
    [InlineData("1.31", "1.31")]
    public void Config_values_parse_as_json_and_fall_back_to_a_string(string raw, string expectedJson)
    {
        Assert.Equal(expectedJson, StackConfigReader.Parse(raw)!.ToJsonString());
    }

    [Fact]
    public void Only_the_keys_the_core_knows_are_read_from_config()
    {
        var asked = new List<string>();

        var values = StackConfigReader.Read(key =>
        {
            asked.Add(key);
            return key == "clusters" ? """{"lab":{}}""" : null;
        });

        Assert.Equal(StackLoader.Keys.Order(StringComparer.Ordinal), asked.Order(StringComparer.Ordinal));
        Assert.Equal<string>(["clusters"], values.Keys);
    }

    [Fact]
    public void Config_errors_are_listed_sorted_by_path_under_one_header()
    {
        var message = ConfigErrors.Describe(
        [
            new Diagnostic(Severity.Error, "skyray:workloads.llm.policy", "unknown policy 'gpu'", "define it under skyray:policies"),
            new Diagnostic(Severity.Warning, "skyray:clusters.a", "ignored"),
            new Diagnostic(Severity.Error, "skyray:clusters.a.region", "missing"),
        ]);

        Assert.Equal(
            "The skyray stack config is not valid (2 errors); nothing was deployed.\n" +
            "  error: skyray:clusters.a.region: missing\n" +
            "  error: skyray:workloads.llm.policy: unknown policy 'gpu' (define it under skyray:policies)",
            message);
    }

    [Fact]
    public void Exec_kubeconfigs_name_one_cluster_context_and_user()
    {
        var text = Kubeconfigs.WithExec("gke-a", "https://203.0.113.10", "Q0E=", "gke-gcloud-auth-plugin", [], provideClusterInfo: true, installHint: "install it");

        var config = JsonNode.Parse(text)!;
        Assert.Equal("gke-a", (string?)config["current-context"]);
        Assert.Equal("gke-a", (string?)config["contexts"]![0]!["context"]!["cluster"]);
        Assert.Equal(Kubeconfigs.ExecApiVersion, (string?)config["users"]![0]!["user"]!["exec"]!["apiVersion"]);
        Assert.True((bool)config["users"]![0]!["user"]!["exec"]!["provideClusterInfo"]!);
    }
}
