using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Tests.Builders;
using SkyRay.Fleet.Workloads;
using SkyRay.Testing;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>Loader behaviour that goes through other branches' entry points; skipped with the reason until they land on main.</summary>
public sealed class PendingContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-pending-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Raw_spec_demand_comes_from_the_raw_spec_reader()
    {
        RequireRawSpecDemand();
        var spec = StackConfigBuilder.Empty()
            .SetYaml("clusters", "{aws-west: {provider: aws, region: us-west-2, kubernetesVersion: '1.31', nodePools: [{name: cpu, instanceType: m6i.2xlarge, maxNodes: 3}]}}")
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

    [SkippableFact]
    public void Raw_spec_too_large_for_any_node_is_reported_at_the_spec()
    {
        RequireRawSpecDemand();
        var result = StackConfigBuilder.Valid()
            .Remove("workloads/job")
            .SetYaml("workloads/raw", """
                kind: RayCluster
                spec:
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

    [SkippableFact]
    public void Policies_from_config_are_read_and_referenced_by_name()
    {
        RequirePolicies();
        var spec = StackConfigBuilder.Valid()
            .SetYaml("policies", "{prod: {clusterSelector: {matchLabels: {cluster.class: production}}}}")
            .Set("workloads/job/policy", "prod")
            .Load().IsValid();

        Assert.Equal("prod", spec.Policies["prod"].Name);
        Assert.Equal("prod", spec.Workloads["job"].Policy);
    }

    [SkippableFact]
    public void Misspelt_policy_reference_suggests_a_defined_policy()
    {
        RequirePolicies();
        var result = StackConfigBuilder.Valid()
            .SetYaml("policies", "{gpu-first: {clusterSelector: {matchLabels: {cluster.class: production}}}}")
            .Set("workloads/job/policy", "gpu-frist")
            .Load();

        var error = result.HasError("skyray:workloads.job.policy", "policy 'gpu-frist' is not defined");
        Assert.Equal("did you mean 'gpu-first'?", error.Hint);
    }

    [SkippableFact]
    public void Policy_files_fill_variables_from_the_environment_then_from_policy_variables()
    {
        RequirePolicies();
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

    [SkippableFact]
    public void Policy_defined_in_config_and_in_a_file_is_an_error_naming_both()
    {
        RequirePolicies();
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

    private static void RequireRawSpecDemand() =>
        PendingContract.Require("RawSpecDemand.Compute", () => RawSpecDemand.Compute(RayKind.RayCluster, [], "probe", new DiagnosticBag()));

    private static void RequirePolicies() =>
        PendingContract.Require("NovaPolicyReader", () =>
        {
            NovaPolicyReader.ReadSpec("probe", new JsonObject(), "probe", new DiagnosticBag());
            NovaPolicyReader.ReadFile("", "probe", _ => null, new DiagnosticBag());
        });
}
