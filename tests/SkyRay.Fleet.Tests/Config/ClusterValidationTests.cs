using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

public sealed class ClusterValidationTests
{
    private const string Cluster = "skyray:clusters.aws-west";

    [Fact]
    public void Valid_baseline_stack_loads_with_sorted_pools_and_defaults()
    {
        var spec = StackConfigBuilder.Valid().Load().IsValid();

        var cluster = spec.Clusters["aws-west"];
        Assert.Equal(CloudProvider.Aws, cluster.Provider);
        Assert.Equal(ClusterLifecycle.Static, cluster.Lifecycle);
        Assert.Equal<string>(["cpu", "gpu"], cluster.NodePools.Select(p => p.Name));
        Assert.Equal("10.0.0.0/16", cluster.Aws!.VpcCidr);
        Assert.Empty(cluster.Aws.SubnetIds);
        Assert.Equal("production", cluster.Labels["cluster.class"]);
        Assert.Equal("aws", cluster.CatalogProvider);
    }

    [Fact]
    public void Misspelt_cluster_key_is_an_error_that_suggests_the_right_key()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/regoin", "us-east-1").Load();

        var error = result.HasError($"{Cluster}.regoin", "unknown key 'regoin'");
        Assert.Equal("did you mean 'region'?", error.Hint);
    }

    [Fact]
    public void Misspelt_provider_suggests_the_closest_provider()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/provider", "awss").Load();

        var error = result.HasError($"{Cluster}.provider", "'awss' is not a valid provider");
        Assert.Equal("did you mean 'aws'?", error.Hint);
    }

    [Fact]
    public void Provider_far_from_any_valid_value_lists_the_valid_values()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/provider", "digitalocean").Load();

        var error = result.HasError($"{Cluster}.provider", "is not a valid provider");
        Assert.Equal("valid values: aws, azure, existing, gcp", error.Hint);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var result = StackConfigBuilder.Valid()
            .Set("clusters/aws-west/region", "mars-1")
            .Set("clusters/aws-west/nodePools/0/maxNodes", -1)
            .Set("workloads/job/kind", "RayJobb")
            .Load();

        result.HasError($"{Cluster}.region", "is not a region name for aws");
        result.HasError($"{Cluster}.nodePools[0].maxNodes", "out of range");
        result.HasError("skyray:workloads.job.kind", "'RayJobb' is not a valid kind");
    }

    [Fact]
    public void Cluster_name_must_be_a_dns_label()
    {
        var config = StackConfigBuilder.Valid();
        var values = config.Values();
        var clusters = (JsonObject)values["clusters"]!;
        var aws = clusters["aws-west"]!.DeepClone();
        clusters.Add("AWS_West", aws);

        var result = Fleet.Config.StackLoader.FromValues("test", values, Path.GetTempPath(), config.Options());

        result.HasError("skyray:clusters.AWS_West", "cluster name 'AWS_West' must be lower-case letters");
    }

    [Fact]
    public void Kubernetes_version_written_as_a_number_asks_for_quotes()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/kubernetesVersion", 1.3).Load();

        var error = result.HasError($"{Cluster}.kubernetesVersion", "the version is written as a number (1.3)");
        Assert.Equal("quote it, e.g. kubernetesVersion: \"1.30\"", error.Hint);
    }

    [Fact]
    public void Kubernetes_patch_version_asks_for_the_minor_version()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/kubernetesVersion", "1.31.2").Load();

        var error = result.HasError($"{Cluster}.kubernetesVersion", "'1.31.2' is not a Kubernetes minor version");
        Assert.Contains("\"1.31\"", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_version_outside_the_sane_range_names_what_the_clouds_support()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/kubernetesVersion", "1.99").Load();

        var error = result.HasError($"{Cluster}.kubernetesVersion", "outside the versions SkyRay accepts");
        Assert.Contains("aws 1.29–1.35", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_key_with_a_name_longer_than_63_characters_is_an_error()
    {
        var key = "example.com/" + new string('a', 64);
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/labels", new JsonObject { [key] = "x" }).Load();

        result.HasError($"{Cluster}.labels[\"{key[..60]}…\"]", "has a name part of 64 characters");
    }

    [Fact]
    public void Label_key_prefix_must_be_a_dns_subdomain()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/labels", "{Example_Com/team: ml}").Load();

        result.HasError($"{Cluster}.labels[\"Example_Com/team\"]", "has a prefix 'Example_Com' that must be lower-case");
    }

    [Fact]
    public void Label_value_with_invalid_characters_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/labels/team", "ml platform").Load();

        result.HasError($"{Cluster}.labels.team", "label value 'ml platform' must be letters");
    }

    [Fact]
    public void Label_value_written_as_a_number_asks_for_quotes()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/labels/tier", 1).Load();

        var error = result.HasError($"{Cluster}.labels.tier", "label values are strings, found a number");
        Assert.Equal("quote it: \"1\"", error.Hint);
    }

    [Fact]
    public void Label_set_by_skyray_itself_is_rejected()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/labels", "{skyray.io/provider: gcp}").Load();

        result.HasError($"{Cluster}.labels[\"skyray.io/provider\"]", "is set by SkyRay itself");
    }

    [Fact]
    public void Min_nodes_above_max_nodes_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/minNodes", 5).Load();

        result.HasError($"{Cluster}.nodePools[0].minNodes", "minNodes (5) is more than maxNodes (3)");
    }

    [Fact]
    public void Negative_min_nodes_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/minNodes", -2).Load();

        var error = result.HasError($"{Cluster}.nodePools[0].minNodes", "-2 is out of range");
        Assert.Equal("use a number from 0 to 1000", error.Hint);
    }

    [Fact]
    public void Huge_max_nodes_is_an_error_not_an_overflow()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/maxNodes", JsonNode.Parse("99999999999999999999")).Load();

        result.HasError($"{Cluster}.nodePools[0].maxNodes", "99999999999999999999 is out of range");
    }

    [Fact]
    public void Max_nodes_of_1e308_is_an_error_naming_the_float_not_an_overflow()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/maxNodes", 1e308).Load();

        result.HasError($"{Cluster}.nodePools[0].maxNodes", "found the float 1E+308; an integer is required");
    }

    [Theory]
    [InlineData("1e400", "found the float 1e400; an integer is required")]
    [InlineData(".nan", "found the float .nan; an integer is required")]
    [InlineData("-.inf", "found the float -.inf; an integer is required")]
    [InlineData(".Inf", "found the float .Inf; an integer is required")]
    [InlineData("99999999999999999999999999999999999999999999999999", "99999999999999999999999999999999999999999999999999 is out of range")]
    public void Yaml_floats_and_huge_integers_in_an_integer_field_are_reported_as_what_they_are(string yaml, string message)
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/nodePools/0/maxNodes", yaml).Load();

        var error = result.HasError($"{Cluster}.nodePools[0].maxNodes", message);
        Assert.Equal("use a whole number from 1 to 1000", error.Hint);
    }

    [Fact]
    public void A_quoted_number_in_an_integer_field_is_still_reported_as_a_string()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/nodePools/0/maxNodes", "\"3\"").Load();

        result.HasError($"{Cluster}.nodePools[0].maxNodes", "expected a whole number, found a string");
    }

    [Fact]
    public void Fractional_node_count_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/maxNodes", 2.5).Load();

        result.HasError($"{Cluster}.nodePools[0].maxNodes", "2.5 is not a whole number");
    }

    [Fact]
    public void Node_count_written_as_a_string_is_a_type_error()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/maxNodes", "3").Load();

        result.HasError($"{Cluster}.nodePools[0].maxNodes", "expected a whole number, found a string");
    }

    [Fact]
    public void Node_pool_names_must_be_unique_within_a_cluster()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/1/name", "cpu").Load();

        result.HasError($"{Cluster}.nodePools[1].name", "node pool name 'cpu' is used twice");
    }

    [Fact]
    public void Misspelt_taint_effect_suggests_the_right_effect()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/nodePools/1/taints", "[{key: nvidia.com/gpu, value: present, effect: NoSchedul}]")
            .Load();

        var error = result.HasError($"{Cluster}.nodePools[1].taints[0].effect", "'NoSchedul' is not a taint effect");
        Assert.Equal("did you mean 'NoSchedule'?", error.Hint);
    }

    [Fact]
    public void Taint_without_effect_is_an_error()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/nodePools/1/taints", "[{key: nvidia.com/gpu}]")
            .Load();

        result.HasError($"{Cluster}.nodePools[1].taints[0].effect", "'effect' is required");
    }

    [Fact]
    public void Taints_are_read_in_order()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/nodePools/1/taints", "[{key: nvidia.com/gpu, value: present, effect: NoSchedule}, {key: spot, effect: PreferNoSchedule}]")
            .Load().IsValid();

        var pool = spec.Clusters["aws-west"].NodePools.Single(p => p.Name == "gpu");
        Assert.Equal<NodeTaint>([new NodeTaint("nvidia.com/gpu", "present", "NoSchedule"), new NodeTaint("spot", null, "PreferNoSchedule")], pool.Taints);
    }

    [Fact]
    public void Instance_type_missing_from_the_clusters_cloud_catalog_is_an_error_with_a_suggestion()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/instanceType", "m6i.2xlarg").Load();

        var error = result.HasError($"{Cluster}.nodePools[0].instanceType", "instance type 'm6i.2xlarg' is not in the aws instance catalog");
        Assert.Equal("did you mean 'm6i.2xlarge'? Or describe the type under skyray:instanceTypes", error.Hint);
    }

    [Fact]
    public void Instance_type_of_another_cloud_is_not_in_this_clusters_catalog()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/instanceType", "g2-standard-8").Load();

        result.HasError($"{Cluster}.nodePools[0].instanceType", "'g2-standard-8' is not in the aws instance catalog");
    }

    [Fact]
    public void Cloud_cluster_without_node_pools_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Remove("clusters/aws-west/nodePools").Load();

        result.HasError($"{Cluster}.nodePools", "needs at least one node pool");
    }

    [Fact]
    public void Provider_block_of_another_provider_is_an_error()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/gcp", "{project: my-project-123}").Load();

        result.HasError($"{Cluster}.gcp", "a 'gcp' block on a cluster whose provider is aws");
    }

    [Fact]
    public void Aws_subnets_are_kept_and_a_single_subnet_is_rejected()
    {
        var ok = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/aws", "{subnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e]}").Load().IsValid();
        Assert.Equal<string>(["subnet-0a1b2c3d", "subnet-0a1b2c3e"], ok.Clusters["aws-west"].Aws!.SubnetIds);

        var bad = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/aws", "{subnetIds: [subnet-0a1b2c3d]}").Load();
        bad.HasError($"{Cluster}.aws.subnetIds", "at least two availability zones");
    }

    [Fact]
    public void Create_vpc_together_with_subnets_is_an_error()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/aws", "{createVpc: true, subnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e]}").Load();

        result.HasError($"{Cluster}.aws.createVpc", "createVpc: true and subnetIds both given");
    }

    [Fact]
    public void Vpc_cidr_must_be_an_ipv4_network_from_16_to_24()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/aws", "{vpcCidr: 10.0.0.0/8}").Load();

        result.HasError($"{Cluster}.aws.vpcCidr", "'10.0.0.0/8' is not an IPv4 CIDR from /16 to /24");
    }

    [Fact]
    public void Gcp_zone_given_as_region_suggests_the_region()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/gke", "{provider: gcp, region: us-central1-a, kubernetesVersion: '1.35', nodePools: [{name: l4, instanceType: g2-standard-8, maxNodes: 2, zones: [us-central1-a]}]}")
            .Load();

        var error = result.HasError("skyray:clusters.gke.region", "'us-central1-a' is not a region name for gcp");
        Assert.Equal("that is a zone; give its region 'us-central1'", error.Hint);
    }

    [Fact]
    public void Aks_node_pool_names_follow_the_aks_rule()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/aks", "{provider: azure, region: westeurope, kubernetesVersion: '1.35', nodePools: [{name: gpu-pool-a100, instanceType: Standard_NC24ads_A100_v4, maxNodes: 2}]}")
            .Load();

        result.HasError("skyray:clusters.aks.nodePools[0].name", "AKS node pool name 'gpu-pool-a100' must be 1–12");
    }

    [Fact]
    public void Gke_cluster_name_must_start_with_a_letter()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/1gke", "{provider: gcp, region: us-central1, kubernetesVersion: '1.35', nodePools: [{name: l4, instanceType: g2-standard-8, maxNodes: 2, zones: [us-central1-a]}]}")
            .Load();

        var error = result.HasError("skyray:clusters.1gke", "GKE cluster names start with a lower-case letter");
        Assert.Equal("e.g. 'gke-1gke'", error.Hint);
    }

    [Fact]
    public void Aks_node_pool_cannot_take_the_system_pool_name()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/aks", "{provider: azure, region: westeurope, kubernetesVersion: '1.35', nodePools: [{name: system, instanceType: Standard_D4s_v5, maxNodes: 2}]}")
            .Load();

        var error = result.HasError("skyray:clusters.aks.nodePools[0].name", "AKS node pool name 'system' is taken by the system pool");
        Assert.Equal("use another name, e.g. 'cpu'", error.Hint);
    }

    [Theory]
    [InlineData("4gpu")]
    [InlineData("a-pool-name-that-is-longer-than-forty-chars")]
    public void Gke_node_pool_names_follow_the_gke_rule(string name)
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/gke", $"{{provider: gcp, region: us-central1, kubernetesVersion: '1.35', nodePools: [{{name: {name}, instanceType: g2-standard-8, maxNodes: 2}}]}}")
            .Load();

        var error = result.HasError("skyray:clusters.gke.nodePools[0].name", $"GKE node pool name '{name}' must be 1–40");
        Assert.Equal("use a name like 'gpu' or 'cpu-small'", error.Hint);
    }

    [Fact]
    public void Eks_and_gke_pools_may_have_dashed_names()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/gke", "{provider: gcp, region: us-central1, kubernetesVersion: '1.35', nodePools: [{name: gpu-l4, instanceType: g2-standard-8, maxNodes: 2, zones: [us-central1-a]}]}")
            .Set("clusters/aws-west/nodePools/0/name", "cpu-small")
            .Load()
            .IsValid();

        Assert.Equal("gpu-l4", Assert.Single(result.Clusters["gke"].NodePools).Name);
        Assert.Contains(result.Clusters["aws-west"].NodePools, p => p.Name == "cpu-small");
    }

    [Fact]
    public void Standby_duration_is_parsed_and_defaults_to_30_minutes()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/standby", "{mode: suspend, idleAfter: 1h30m}")
            .SetYaml("clusters/gke", "{provider: gcp, region: us-central1, kubernetesVersion: '1.35', lifecycle: dynamic, standby: {mode: delete}, nodePools: [{name: l4, instanceType: g2-standard-8, maxNodes: 2, zones: [us-central1-a]}]}")
            .Load().IsValid();

        Assert.Equal(new StandbySpec(StandbyMode.Suspend, TimeSpan.FromMinutes(90)), spec.Clusters["aws-west"].Standby);
        Assert.Equal(new StandbySpec(StandbyMode.Delete, TimeSpan.FromMinutes(30)), spec.Clusters["gke"].Standby);
        Assert.Equal(ClusterLifecycle.Dynamic, spec.Clusters["gke"].Lifecycle);
    }

    [Fact]
    public void Standby_duration_in_words_is_an_error()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/standby", "{mode: suspend, idleAfter: 30 minutes}").Load();

        result.HasError($"{Cluster}.standby.idleAfter", "'30 minutes' is not a duration");
    }

    [Fact]
    public void Misspelt_standby_mode_suggests_the_right_mode()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/standby", "{mode: suspnd}").Load();

        var error = result.HasError($"{Cluster}.standby.mode", "'suspnd' is not a valid mode");
        Assert.Equal("did you mean 'suspend'?", error.Hint);
    }

    [Fact]
    public void Misspelt_lifecycle_is_reported_once_without_a_follow_on_standby_error()
    {
        var result = StackConfigBuilder.Valid()
            .Set("clusters/aws-west/lifecycle", "dynamc")
            .SetYaml("clusters/aws-west/standby", "{mode: delete}")
            .Load();

        var error = result.HasError($"{Cluster}.lifecycle", "'dynamc' is not a valid lifecycle");
        Assert.Equal("did you mean 'dynamic'?", error.Hint);
        result.HasNoErrorAt($"{Cluster}.standby");
    }

    [Fact]
    public void Static_cluster_cannot_be_deleted_on_standby()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/standby", "{mode: delete}").Load();

        result.HasError($"{Cluster}.standby.mode", "a static cluster always exists");
    }
}
