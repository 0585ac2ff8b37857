using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Testing;

namespace SkyRay.Fleet.Tests.Policies;

/// <summary>Every Nova example in shared/nova-policies loads, and SkyRay reads the facts each one states.</summary>
public sealed class SharedNovaPoliciesTests
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["NOVA_WORKLOAD_CLUSTER_1"] = "wlc-1",
        ["NOVA_WORKLOAD_CLUSTER_2"] = "wlc-2",
        ["NOVA_WORKLOAD_CLUSTER_3"] = "wlc-3",
    };

    public static TheoryData<string, int> Files => new()
    {
        { "argo-rollouts__schedule_policy_canary.yaml", 1 },
        { "ferretdb-percona-disaster-recovery__policy-spread-ferretdb.yaml", 3 },
        { "ferretdb-percona-disaster-recovery__schedule-policies.yaml", 4 },
        { "kyverno-setup__schedule-policies.yaml", 3 },
        { "percona-disaster-recovery__schedule-policies.yaml", 4 },
        { "pgvector-disaster-recovery__schedule-policies.yaml", 4 },
        { "sample-group-scheduling__cert-manager-policy.yaml", 1 },
        { "sample-group-scheduling__policy.yaml", 1 },
        { "sample-policy__policy.yaml", 1 },
        { "sample-policy__policy_updated.yaml", 1 },
        { "sample-policy__schedule_policy_namespace.yaml", 1 },
        { "sample-spread-scheduling__policy-override.yaml", 1 },
        { "sample-spread-scheduling__policy-percentage.yaml", 1 },
        { "sample-spread-scheduling__policy.yaml", 1 },
    };

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Shared_nova_policy_file_loads_without_errors_when_its_variables_are_set(string file, int policies)
    {
        var (read, diagnostics) = Load(file);

        Assert.DoesNotContain(diagnostics.Items, d => d.Severity == Severity.Error);
        Assert.Equal(policies, read.Count);
        Assert.All(read, p => Assert.DoesNotContain("${", p.ClusterSelector?.MatchExpressions.SelectMany(e => e.Values).FirstOrDefault() ?? "", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Every_yaml_file_in_the_shared_folder_is_covered()
    {
        var folder = SharedMaterial.Require(SharedMaterial.NovaPolicies);
        var onDisk = Directory.GetFiles(folder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(Files.Select(row => (string)row[0]).Order(StringComparer.Ordinal), onDisk);
    }

    [SkippableFact]
    public void Percentage_sample_divides_20_80_between_the_two_clusters()
    {
        var policy = Assert.Single(Load("sample-spread-scheduling__policy-percentage.yaml").Policies);

        Assert.Equal("spread-group-policy", policy.Name);
        Assert.Equal(SpreadMode.Divide, policy.Spread!.Mode);
        Assert.Equal("kubernetes.io/metadata.name", policy.Spread.TopologyKey);
        Assert.Equal([new PercentageSplit("wlc-1", 20), new PercentageSplit("wlc-2", 80)], policy.Spread.PercentageSplit.ToArray());
        Assert.Equal("app", policy.GroupByLabelKey);
    }

    [SkippableFact]
    public void Override_sample_duplicates_with_one_network_label_override_per_cluster()
    {
        var (policies, diagnostics) = Load("sample-spread-scheduling__policy-override.yaml");
        var policy = Assert.Single(policies);

        Assert.Equal(SpreadMode.Duplicate, policy.Spread!.Mode);
        Assert.Equal(2, policy.Spread.Overrides.Length);
        Assert.Equal(["wlc-1", "wlc-2"], policy.Spread.Overrides.Select(o => o.TopologyValue));
        var west = policy.Spread.Overrides[0];
        Assert.Equal("Namespace", west.Kind);
        Assert.Equal("istio-system", west.Name);
        var field = Assert.Single(west.Overrides);
        Assert.Equal("metadata.labels['topology.istio.io/network']", field.FieldPath);
        Assert.Equal("west-network", field.StaticValue!.GetValue<string>());
        // namespaceSelector: {} selects every namespace.
        Assert.Equal(LabelSelector.Everything.MatchLabels, policy.NamespaceSelector!.MatchLabels);
        Assert.Empty(policy.NamespaceSelector.MatchExpressions);
        // The overrides target a Namespace, which SkyRay never deploys: said, not hidden.
        Assert.Contains(diagnostics.Items, d => d.Severity == Severity.Warning &&
            d.Path == "sample-spread-scheduling__policy-override.yaml:spec.spreadConstraints.overrides[0].resources[0].kind");
    }

    [SkippableFact]
    public void Canary_sample_divides_evenly_and_keeps_every_match_expression()
    {
        var policy = Assert.Single(Load("argo-rollouts__schedule_policy_canary.yaml").Policies);

        Assert.Equal(SpreadMode.Divide, policy.Spread!.Mode);
        Assert.Empty(policy.Spread.PercentageSplit.ToArray());
        Assert.Equal("role", policy.GroupByLabelKey);
        var selector = Assert.Single(policy.ResourceSelectors);
        Assert.Equal(
            [SelectorOperator.In, SelectorOperator.Exists, SelectorOperator.DoesNotExist],
            selector.MatchExpressions.Select(e => e.Operator));
        Assert.Equal(["wlc-1", "wlc-2"], policy.ClusterSelector!.MatchExpressions[0].Values.ToArray());
        Assert.Equal("default", policy.NamespaceSelector!.MatchLabels["kubernetes.io/metadata.name"]);
    }

    [SkippableFact]
    public void Spread_without_a_mode_is_duplicate()
    {
        var policy = Assert.Single(Load("sample-group-scheduling__cert-manager-policy.yaml").Policies);

        Assert.Equal(SpreadMode.Duplicate, policy.Spread!.Mode);
        Assert.Equal("app.kubernetes.io/version", policy.GroupByLabelKey);
    }

    [SkippableFact]
    public void Multi_document_file_reads_policies_in_order_with_their_cluster_pins()
    {
        var policies = Load("ferretdb-percona-disaster-recovery__schedule-policies.yaml").Policies;

        Assert.Equal(["psql-all-clusters", "psql-cluster-1", "psql-cluster-2", "ha-proxy-cluster"], policies.Select(p => p.Name));
        Assert.Equal("wlc-2", policies[3].ClusterSelector!.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("ferretdb-percona-disaster-recovery__schedule-policies.yaml#4", policies[3].Source);
    }

    [SkippableFact]
    public void Kyverno_sample_keeps_both_override_resources_of_one_cluster()
    {
        var policy = Load("kyverno-setup__schedule-policies.yaml").Policies.Single(p => p.Name == "kyverno-policies-all-clusters");

        Assert.Equal(["kyverno.io/v1", "kyverno.io/v2beta1"], policy.Spread!.Overrides.Select(o => o.ApiVersion));
        Assert.All(policy.Spread.Overrides, o => Assert.Equal("wlc-1", o.TopologyValue));
    }

    [SkippableFact]
    public void Empty_match_expressions_select_every_resource()
    {
        var policy = Assert.Single(Load("sample-policy__schedule_policy_namespace.yaml").Policies);

        var selector = Assert.Single(policy.ResourceSelectors);
        Assert.Empty(selector.MatchLabels);
        Assert.Empty(selector.MatchExpressions);
        Assert.Equal("wlc-3", policy.ClusterSelector!.MatchLabels["kubernetes.io/metadata.name"]);
    }

    [SkippableFact]
    public void Shared_file_without_its_variables_reports_each_unset_variable_once()
    {
        var folder = SharedMaterial.Require(SharedMaterial.NovaPolicies);
        var file = "sample-spread-scheduling__policy-percentage.yaml";
        var diagnostics = new DiagnosticBag();

        var policies = NovaPolicyReader.ReadFile(File.ReadAllText(Path.Combine(folder, file)), file, _ => null, diagnostics);

        Assert.Empty(policies);
        var errors = diagnostics.Items.Where(d => d.Severity == Severity.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal(file + ":spec.spreadConstraints.percentageSplit[0].topologyValue", errors[0].Path);
        Assert.Contains("${NOVA_WORKLOAD_CLUSTER_1}", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("used 2 times", errors[0].Message, StringComparison.Ordinal);
    }

    private static (IReadOnlyList<SchedulePolicy> Policies, DiagnosticBag Diagnostics) Load(string file)
    {
        var folder = SharedMaterial.Require(SharedMaterial.NovaPolicies);
        var diagnostics = new DiagnosticBag();
        var policies = NovaPolicyReader.ReadFile(
            File.ReadAllText(Path.Combine(folder, file)),
            file,
            name => Variables.GetValueOrDefault(name),
            diagnostics);
        return (policies, diagnostics);
    }
}
