using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Tests.Policies;

public sealed class NovaPolicyReaderTests
{
    private const string ClusterIn = """
        clusterSelector:
          matchExpressions:
            - key: kubernetes.io/metadata.name
              operator: In
              values: [a, b]
        """;

    [Fact]
    public void Unset_variable_is_an_error_at_its_path_naming_the_variable_and_how_to_set_it()
    {
        var (policies, diagnostics) = PolicyDocument.With("p", """
            clusterSelector:
              matchLabels:
                kubernetes.io/metadata.name: ${CLUSTER_A}
            """).Read();

        Assert.Empty(policies);
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal("policies.yaml:spec.clusterSelector.matchLabels[\"kubernetes.io/metadata.name\"]", error.Path);
        Assert.Contains("${CLUSTER_A} is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("CLUSTER_A", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Caller_can_say_how_its_users_set_variables()
    {
        var diagnostics = new DiagnosticBag();

        NovaPolicyReader.ReadFile(
            PolicyDocument.With("p", "groupBy:\n  labelKey: ${KEY}").Text,
            "policies.yaml",
            _ => null,
            diagnostics,
            "add {0} to skyray:policyFiles[0].variables");

        Assert.Equal("add KEY to skyray:policyFiles[0].variables", Assert.Single(diagnostics.Items).Hint);
    }

    [Fact]
    public void Only_the_document_with_the_unset_variable_is_dropped()
    {
        var (policies, diagnostics) = PolicyDocument
            .With("uses-var", "groupBy:\n  labelKey: ${KEY}")
            .And("plain", "groupBy: {labelKey: app}")
            .Read();

        Assert.Equal("plain", Assert.Single(policies).Name);
        Assert.Equal("policies.yaml#1:spec.groupBy.labelKey", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Variables_fill_keys_and_parts_of_values()
    {
        var (policies, diagnostics) = PolicyDocument.With("p", """
            groupBy:
              labelKey: team-${SUFFIX}
            spreadConstraints:
              topologyKey: kubernetes.io/metadata.name
              spreadMode: Divide
              percentageSplit:
                ${A}: 30
                ${B}: 70
            """).Read(new Dictionary<string, string> { ["SUFFIX"] = "x", ["A"] = "east", ["B"] = "west" });

        Assert.Empty(diagnostics.Items);
        var policy = Assert.Single(policies);
        Assert.Equal("team-x", policy.GroupByLabelKey);
        Assert.Equal(["east", "west"], policy.Spread!.PercentageSplit.Select(s => s.TopologyValue));
    }

    [Fact]
    public void A_variable_value_is_text_and_cannot_change_the_document_structure()
    {
        var (policies, _) = PolicyDocument.With("p", "groupBy:\n  labelKey: ${KEY}")
            .Read(new Dictionary<string, string> { ["KEY"] = "app}\nclusterSelector: {matchLabels: {x: y}" });

        var policy = Assert.Single(policies);
        Assert.Null(policy.ClusterSelector);
        Assert.StartsWith("app}", policy.GroupByLabelKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_form_of_percentage_split_equals_the_list_form()
    {
        const string Header = "topologyKey: kubernetes.io/metadata.name\nspreadMode: Divide\n";
        var list = ReadSpec("spreadConstraints:\n" + Indent(Header + "percentageSplit:\n  - {topologyValue: a, percentage: 25}\n  - {topologyValue: b, percentage: 75}"));
        var map = ReadSpec("spreadConstraints:\n" + Indent(Header + "percentageSplit:\n  a: 25\n  b: 75"));

        Assert.Equal(list.Policy!.Spread!.PercentageSplit.ToArray(), map.Policy!.Spread!.PercentageSplit.ToArray());
        Assert.Equal(list.Policy.Spread.Mode, map.Policy.Spread.Mode);
        Assert.Empty(list.Diagnostics.Items);
        Assert.Empty(map.Diagnostics.Items);
    }

    [Fact]
    public void Fields_skyray_does_not_act_on_are_warnings_at_their_path_and_the_policy_loads()
    {
        var (policies, diagnostics) = PolicyDocument.With(
            "p",
            ClusterIn + "\npriority: 10\ngroupBy: {labelKey: app, sortBy: name}",
            extraHeader: "  namespace: nova-system\n  labels: {team: ml}\nstatus: {}\n").Read();

        Assert.Single(policies);
        Assert.All(diagnostics.Items, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.Equal(
            ["policies.yaml:metadata.labels", "policies.yaml:metadata.namespace", "policies.yaml:spec.groupBy.sortBy", "policies.yaml:spec.priority", "policies.yaml:status"],
            diagnostics.Sorted().Select(d => d.Path));
    }

    [Fact]
    public void Misspelt_spec_field_is_a_warning_with_a_suggestion()
    {
        var (_, diagnostics) = ReadSpec("clusterSelectors: {matchLabels: {a: b}}");

        var warning = Assert.Single(diagnostics.Items);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("skyray:policies.p.clusterSelectors", warning.Path);
        Assert.Equal("did you mean 'clusterSelector'?", warning.Hint);
    }

    [Theory]
    [InlineData("v1", "SchedulePolicy", "apiVersion")]
    [InlineData("policy.elotl.co/v1alpha1", "ClusterPolicy", "kind")]
    public void Other_api_versions_and_kinds_are_errors(string apiVersion, string kind, string field)
    {
        var text = $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: p}}\nspec: {{}}\n";
        var diagnostics = new DiagnosticBag();

        var policies = NovaPolicyReader.ReadFile(text, "policies.yaml", _ => null, diagnostics);

        Assert.Empty(policies);
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal("policies.yaml:" + field, error.Path);
    }

    [Theory]
    [InlineData("in", "In")]
    [InlineData("notin", "NotIn")]
    [InlineData("Exist", "Exists")]
    [InlineData("DoesNotExists", "DoesNotExist")]
    public void Unknown_operator_is_an_error_with_a_suggestion(string written, string suggested)
    {
        var (policy, diagnostics) = ReadSpec($"clusterSelector:\n  matchExpressions:\n    - {{key: tier, operator: {written}, values: [gold]}}");

        Assert.Null(policy);
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal("skyray:policies.p.clusterSelector.matchExpressions[0].operator", error.Path);
        Assert.Equal($"did you mean '{suggested}'?", error.Hint);
    }

    [Fact]
    public void Exists_with_values_is_an_error()
    {
        var (policy, diagnostics) = ReadSpec("clusterSelector:\n  matchExpressions:\n    - {key: gpu, operator: Exists, values: [a100]}");

        Assert.Null(policy);
        Assert.Equal("skyray:policies.p.clusterSelector.matchExpressions[0].values", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void In_without_values_is_an_error()
    {
        var (policy, diagnostics) = ReadSpec("clusterSelector:\n  matchExpressions:\n    - {key: gpu, operator: In}");

        Assert.Null(policy);
        Assert.Contains("at least one value", Assert.Single(diagnostics.Items).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unquoted_number_as_label_value_is_an_error_that_says_to_quote_it()
    {
        var (policy, diagnostics) = ReadSpec("clusterSelector: {matchLabels: {tier: 1}}");

        Assert.Null(policy);
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal("skyray:policies.p.clusterSelector.matchLabels.tier", error.Path);
        Assert.Contains("quote", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{a: 30, b: 60}", "skyray:policies.p.spreadConstraints.percentageSplit", "add up to 90")]
    [InlineData("{a: 130, b: -30}", "skyray:policies.p.spreadConstraints.percentageSplit.a", "between 0 and 100")]
    [InlineData("{a: 50.5, b: 49.5}", "skyray:policies.p.spreadConstraints.percentageSplit.a", "whole number")]
    public void Divide_percentages_must_be_0_to_100_and_add_up_to_100(string split, string path, string message)
    {
        var (policy, diagnostics) = ReadSpec($"spreadConstraints:\n  topologyKey: k\n  spreadMode: Divide\n  percentageSplit: {split}");

        Assert.Null(policy);
        Assert.Contains(diagnostics.Items, d => d.Severity == Severity.Error && d.Path == path && d.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Percentage_split_with_duplicate_mode_is_an_error()
    {
        var (policy, diagnostics) = ReadSpec("spreadConstraints:\n  topologyKey: k\n  spreadMode: Duplicate\n  percentageSplit: {a: 50, b: 50}");

        Assert.Null(policy);
        Assert.Equal("skyray:policies.p.spreadConstraints.percentageSplit", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Unknown_spread_mode_is_an_error_with_a_suggestion()
    {
        var (policy, diagnostics) = ReadSpec("spreadConstraints: {topologyKey: k, spreadMode: divide}");

        Assert.Null(policy);
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal("skyray:policies.p.spreadConstraints.spreadMode", error.Path);
        Assert.Equal("did you mean 'Divide'?", error.Hint);
    }

    [Fact]
    public void Spread_needs_a_topology_key()
    {
        var (policy, diagnostics) = ReadSpec("spreadConstraints: {spreadMode: Duplicate}");

        Assert.Null(policy);
        Assert.Equal("skyray:policies.p.spreadConstraints.topologyKey", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Ordered_cluster_selector_keeps_the_written_preference_order()
    {
        var (policy, diagnostics) = ReadSpec("""
            orderedClusterSelector:
              matchExpressions:
                - key: skyray.io/provider
                  operator: In
                  values: [gcp, aws, azure]
            """);

        Assert.Empty(diagnostics.Items);
        Assert.Equal(["gcp", "aws", "azure"], policy!.OrderedClusterSelector!.MatchExpressions[0].Values.ToArray());
        Assert.Null(policy.ClusterSelector);
    }

    [Fact]
    public void Ordered_cluster_selector_without_in_warns_that_it_gives_no_order()
    {
        var (policy, diagnostics) = ReadSpec("orderedClusterSelector: {matchLabels: {cluster.class: production}}");

        Assert.NotNull(policy);
        var warning = Assert.Single(diagnostics.Items);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("skyray:policies.p.orderedClusterSelector", warning.Path);
    }

    [Fact]
    public void Override_of_a_ray_kind_is_read_without_warnings()
    {
        var (policy, diagnostics) = ReadSpec("""
            spreadConstraints:
              topologyKey: kubernetes.io/metadata.name
              overrides:
                - topologyValue: gke-1
                  resources:
                    - kind: RayService
                      apiVersion: ray.io/v1
                      name: llm
                      override:
                        - fieldPath: spec.rayClusterConfig.workerGroupSpecs[0].replicas
                          value: {staticValue: 3}
            """);

        Assert.Empty(diagnostics.Items);
        var domain = Assert.Single(policy!.Spread!.Overrides);
        Assert.Equal(("gke-1", "RayService", "llm"), (domain.TopologyValue, domain.Kind, domain.Name));
        Assert.Equal(3, Assert.Single(domain.Overrides).StaticValue!.GetValue<long>());
    }

    [Fact]
    public void Spec_in_config_and_a_pasted_whole_document_read_the_same()
    {
        var spec = ReadSpec(ClusterIn);
        var wholeDocument = ReadSpec("apiVersion: policy.elotl.co/v1alpha1\nkind: SchedulePolicy\nmetadata: {name: p}\nspec:\n" + Indent(ClusterIn));

        Assert.Empty(spec.Diagnostics.Items);
        Assert.Empty(wholeDocument.Diagnostics.Items);
        Assert.Equal("p", wholeDocument.Policy!.Name);
        Assert.Equal("skyray:policies.p", wholeDocument.Policy.Source);
        Assert.Equal(spec.Policy!.ClusterSelector!.MatchExpressions[0].Values.ToArray(), wholeDocument.Policy.ClusterSelector!.MatchExpressions[0].Values.ToArray());
    }

    [Fact]
    public void Empty_policy_in_config_is_an_error()
    {
        var diagnostics = new DiagnosticBag();

        Assert.Null(NovaPolicyReader.ReadSpec("p", null, "skyray:policies.p", diagnostics));
        Assert.Equal("skyray:policies.p", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Empty_mapping_is_a_policy_without_selectors()
    {
        var (policy, diagnostics) = ReadSpec("{}");

        Assert.Empty(diagnostics.Items);
        Assert.Null(policy!.ClusterSelector);
        Assert.Null(policy.Spread);
        Assert.Empty(policy.ResourceSelectors);
    }

    [Fact]
    public void The_same_policy_name_twice_in_a_file_is_an_error()
    {
        var (policies, diagnostics) = PolicyDocument.With("p", "{}").And("p", "{}").Read();

        Assert.Single(policies);
        Assert.Equal("policies.yaml#2:metadata.name", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Yaml_syntax_error_is_located_and_yields_no_policies()
    {
        var diagnostics = new DiagnosticBag();

        var policies = NovaPolicyReader.ReadFile("spec: {clusterSelector: [\n", "policies.yaml", _ => null, diagnostics);

        Assert.Empty(policies);
        Assert.StartsWith("policies.yaml:", Assert.Single(diagnostics.Items).Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_trailing_document_is_ignored()
    {
        var (policies, diagnostics) = PolicyDocument.With("p", "{}").And("q", "{}").Read();
        var diagnosticsWithTrailer = new DiagnosticBag();
        var withTrailer = NovaPolicyReader.ReadFile(PolicyDocument.With("p", "{}").Text + "---\n", "policies.yaml", _ => null, diagnosticsWithTrailer);

        Assert.Equal(2, policies.Count);
        Assert.Empty(diagnostics.Items);
        Assert.Single(withTrailer);
        Assert.Empty(diagnosticsWithTrailer.Items);
    }

    private static (SchedulePolicy? Policy, DiagnosticBag Diagnostics) ReadSpec(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        var node = YamlJson.ParseSingle(yaml, "skyray:policies.p", diagnostics);
        Assert.Empty(diagnostics.Items);
        return (NovaPolicyReader.ReadSpec("p", node, "skyray:policies.p", diagnostics), diagnostics);
    }

    private static string Indent(string text) =>
        string.Join("\n", text.ReplaceLineEndings("\n").Split('\n').Select(l => "  " + l));
}
