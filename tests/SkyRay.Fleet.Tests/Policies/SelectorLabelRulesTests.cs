using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Policies;

/// <summary>
/// Label values and keys inside policy selectors follow the Kubernetes label rules that cluster and workload labels
/// follow (docs/config.md): a selector value no label can have would silently match nothing.
/// </summary>
public sealed class SelectorLabelRulesTests
{
    private const string Policy = "skyray:policies.p";

    private static Result<FleetSpec> WithPolicy(string yaml) =>
        StackConfigBuilder.Valid().SetYaml("policies/p", yaml).Load();

    [Fact]
    public void A_match_labels_value_with_a_space_is_an_error_at_its_path()
    {
        var result = WithPolicy("clusterSelector: {matchLabels: {cluster.class: \"bad value\"}}");

        result.HasError($"{Policy}.clusterSelector.matchLabels[\"cluster.class\"]", "label value 'bad value' must be letters, digits, '-', '_' and '.'");
    }

    [Fact]
    public void A_match_labels_value_of_64_characters_is_an_error()
    {
        var result = WithPolicy($"clusterSelector: {{matchLabels: {{team: {new string('a', 64)}}}}}");

        result.HasError($"{Policy}.clusterSelector.matchLabels.team", "is 64 characters long; at most 63 are allowed");
    }

    [Theory]
    [InlineData("In")]
    [InlineData("NotIn")]
    public void An_expression_value_that_is_no_label_value_is_an_error_at_its_index(string op)
    {
        var result = WithPolicy($"clusterSelector: {{matchExpressions: [{{key: team, operator: {op}, values: [ok, -bad]}}]}}");

        result.HasError($"{Policy}.clusterSelector.matchExpressions[0].values[1]", "label value '-bad' must be letters, digits");
    }

    [Fact]
    public void Resource_selector_values_follow_the_same_rules()
    {
        var result = WithPolicy("resourceSelectors: {labelSelectors: [{matchLabels: {app: \"a/b\"}}]}");

        result.HasError($"{Policy}.resourceSelectors.labelSelectors[0].matchLabels.app", "label value 'a/b'");
    }

    [Fact]
    public void An_expression_key_that_is_no_label_key_is_an_error()
    {
        var result = WithPolicy("clusterSelector: {matchExpressions: [{key: \"bad key\", operator: Exists}]}");

        result.HasError($"{Policy}.clusterSelector.matchExpressions[0].key", "label key 'bad key'");
    }

    [Fact]
    public void An_empty_value_and_well_known_keys_are_valid()
    {
        var result = WithPolicy("""
            clusterSelector:
              matchLabels: {team: ""}
              matchExpressions:
                - {key: kubernetes.io/metadata.name, operator: In, values: [aws-west, v1.2_x]}
            """);

        Assert.DoesNotContain(result.Diagnostics, d => d.Path.StartsWith(Policy, StringComparison.Ordinal));
    }
}
