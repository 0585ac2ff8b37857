using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>Loader behaviour that goes through other branches' readers: raw spec demand, Nova policies, user instance types.</summary>
public sealed class RawSpecAndPolicyLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-pending-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Raw_spec_demand_comes_from_the_raw_spec_reader()
    {
        var spec = StackConfigBuilder.Empty()
            .SetYaml("clusters", "{aws-west: {provider: aws, region: us-west-2, kubernetesVersion: '1.35', nodePools: [{name: cpu, instanceType: m6i.2xlarge, maxNodes: 3}]}}")
            .SetYaml("workloads/raw", """
                kind: RayCluster
                spec:
                  rayVersion: "2.52.0"
                  headGroupSpec:
                    rayStartParams: {}
                    template:
                      spec:
                        containers:
                          - name: ray-head
                            image: rayproject/ray:2.52.0
                            resources:
                              requests: {cpu: "1", memory: 2Gi}
                  workerGroupSpecs:
                    - groupName: small
                      replicas: 2
                      minReplicas: 1
                      maxReplicas: 3
                      rayStartParams: {}
                      template:
                        spec:
                          containers:
                            - name: ray-worker
                              image: rayproject/ray:2.52.0
                              resources:
                                requests: {cpu: "2", memory: 4Gi}
                """)
            .Load().IsValid();

        var raw = spec.Workloads["raw"];
        Assert.True(raw.IsRaw);
        Assert.Equal(("2.52.0", "rayproject/ray:2.52.0"), (raw.RayVersion, raw.Image));
        Assert.Equal(5000, raw.Demand.TotalCpuMillis);
        Assert.Contains(raw.Demand.Groups, g => g.Group == "small" && g.Count == 2);
    }

    [Fact]
    public void Raw_spec_too_large_for_any_node_is_reported_at_the_spec()
    {
        var result = StackConfigBuilder.Valid()
            .Remove("workloads/job")
            .SetYaml("workloads/raw", """
                kind: RayCluster
                spec:
                  rayVersion: "2.52.0"
                  headGroupSpec:
                    template:
                      spec:
                        containers:
                          - name: ray-head
                            image: rayproject/ray:2.52.0
                            resources:
                              requests: {cpu: "64", memory: 2Gi}
                """)
            .Load();

        result.HasError("skyray:workloads.raw.spec", "the head group needs pods of 64 CPU");
    }

    [Fact]
    public void User_instance_types_extend_the_catalog_for_node_pools()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("instanceTypes", "[{name: x9.huge, provider: aws, vCpus: 96, memoryGiB: 768, hourlyUsd: 4.5}]")
            .Set("clusters/aws-west/nodePools/0/instanceType", "x9.huge")
            .SetYaml("workloads/job/workerGroups/0", "{name: big, cpu: 90, memory: 700Gi}")
            .Load().IsValid();

        Assert.True(spec.Catalog.TryGet("aws", "x9.huge", out var type));
        Assert.Equal(96, type.VCpus);
        Assert.True(spec.Catalog.TryGet("aws", "m6i.2xlarge", out _));
    }

    [Fact]
    public void Invalid_user_instance_type_is_reported_at_its_path()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("instanceTypes", "[{name: x9.huge, provider: aws, vCpus: four, memoryGiB: 768, hourlyUsd: 4.5}]")
            .Load();

        Assert.False(result.Ok);
        Assert.Contains(result.Diagnostics, d => d.Path.StartsWith("skyray:instanceTypes[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Policies_from_config_are_read_and_referenced_by_name()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("policies", "{prod: {clusterSelector: {matchLabels: {cluster.class: production}}}}")
            .Set("workloads/job/policy", "prod")
            .Load().IsValid();

        Assert.Equal("prod", spec.Policies["prod"].Name);
        Assert.Equal("prod", spec.Workloads["job"].Policy);
    }

    [Fact]
    public void Misspelt_policy_reference_suggests_a_defined_policy()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("policies", "{gpu-first: {clusterSelector: {matchLabels: {cluster.class: production}}}}")
            .Set("workloads/job/policy", "gpu-frist")
            .Load();

        var error = result.HasError("skyray:workloads.job.policy", "policy 'gpu-frist' is not defined");
        Assert.Equal("did you mean 'gpu-first'?", error.Hint);
    }

    [Fact]
    public void Policy_files_fill_variables_from_the_environment_then_from_policy_variables()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        File.WriteAllText(Path.Combine(_dir, "policies", "pin.yaml"), """
            apiVersion: policy.elotl.co/v1alpha1
            kind: SchedulePolicy
            metadata:
              name: pin
            spec:
              clusterSelector:
                matchLabels:
                  kubernetes.io/metadata.name: ${CLUSTER_A}
              resourceSelectors:
                labelSelectors:
                  - matchLabels:
                      app: ${APP}
            """);

        var spec = StackConfigBuilder.Valid()
            .SetYaml("policyFiles", "[policies/pin.yaml]")
            .SetYaml("policyVariables", "{CLUSTER_A: from-config, APP: trainer}")
            .WithEnvironment("CLUSTER_A", "aws-west")
            .Load(_dir).IsValid();

        var policy = spec.Policies["pin"];
        Assert.Equal("aws-west", policy.ClusterSelector!.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("trainer", policy.ResourceSelectors.Single().MatchLabels["app"]);
    }

    [Fact]
    public void Policy_files_are_found_relative_to_the_stack_files_folder()
    {
        var stackDir = Directory.CreateDirectory(Path.Combine(_dir, "stacks")).FullName;
        Directory.CreateDirectory(Path.Combine(stackDir, "policies"));
        File.WriteAllText(Path.Combine(stackDir, "policies", "prod.yaml"), """
            apiVersion: policy.elotl.co/v1alpha1
            kind: SchedulePolicy
            metadata:
              name: prod
            spec:
              clusterSelector:
                matchLabels:
                  cluster.class: production
            """);

        var spec = StackConfigBuilder.Valid()
            .SetYaml("policyFiles", "[policies/prod.yaml]")
            .Set("workloads/job/policy", "prod")
            .LoadFile(stackDir).IsValid();

        Assert.Equal("policies/prod.yaml", spec.Policies["prod"].Source);
    }

    [Fact]
    public void Policy_defined_in_config_and_in_a_file_is_an_error_naming_both()
    {
        File.WriteAllText(Path.Combine(_dir, "prod.yaml"), """
            apiVersion: policy.elotl.co/v1alpha1
            kind: SchedulePolicy
            metadata:
              name: prod
            spec:
              clusterSelector:
                matchLabels:
                  cluster.class: production
            """);

        var result = StackConfigBuilder.Valid()
            .SetYaml("policies", "{prod: {clusterSelector: {matchLabels: {cluster.class: production}}}}")
            .SetYaml("policyFiles", "[prod.yaml]")
            .Load(_dir);

        result.HasError("skyray:policyFiles[0]", "policy 'prod' is defined twice: in skyray:policies.prod and in prod.yaml");
    }
}
