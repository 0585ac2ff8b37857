using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Policies;

/// <summary>Reads Kubernetes label selectors (<c>matchLabels</c> + <c>matchExpressions</c>) with located errors.</summary>
internal static class LabelSelectorReader
{
    private static readonly ImmutableArray<string> Fields = ["matchExpressions", "matchLabels"];
    private static readonly ImmutableArray<string> ExpressionFields = ["key", "operator", "values"];
    private static readonly ImmutableArray<string> Operators = [.. Enum.GetNames<SelectorOperator>()];

    /// <summary>Reads a selector; <c>{}</c> and an empty selector match everything. Returns null on errors.</summary>
    public static LabelSelector? Read(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        if (node is null)
        {
            return LabelSelector.Everything;
        }

        if (node is not JsonObject obj)
        {
            diagnostics.Error(path, $"must be a label selector (matchLabels / matchExpressions), found {NodeReader.Describe(node)}", "write {} to match everything");
            return null;
        }

        var errors = diagnostics.ErrorCount;
        NovaFields.WarnUnknown(obj, path, Fields, "label selector", diagnostics);

        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var matchLabelsPath = NodeReader.Child(path, "matchLabels");
        switch (obj["matchLabels"])
        {
            case null:
                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    var valuePath = NodeReader.Child(matchLabelsPath, key);
                    if (key.Length == 0)
                    {
                        diagnostics.Error(valuePath, "label key is empty");
                    }
                    else if (!NodeReader.IsString(value))
                    {
                        diagnostics.Error(valuePath, $"label value must be text, found {NodeReader.Describe(value)}", "quote it, e.g. \"true\" or \"1\"");
                    }
                    else if (CheckKey(key, valuePath, diagnostics) & CheckValue(value!.GetValue<string>(), valuePath, diagnostics))
                    {
                        labels[key] = value!.GetValue<string>();
                    }
                }

                break;
            default:
                diagnostics.Error(matchLabelsPath, $"must be a mapping of label key to value, found {NodeReader.Describe(obj["matchLabels"])}");
                break;
        }

        var expressions = ImmutableArray.CreateBuilder<SelectorRequirement>();
        var expressionsPath = NodeReader.Child(path, "matchExpressions");
        switch (obj["matchExpressions"])
        {
            case null:
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (ReadExpression(list[i], NodeReader.Item(expressionsPath, i), diagnostics) is { } requirement)
                    {
                        expressions.Add(requirement);
                    }
                }

                break;
            default:
                diagnostics.Error(expressionsPath, $"must be a list of {{key, operator, values}}, found {NodeReader.Describe(obj["matchExpressions"])}");
                break;
        }

        return diagnostics.ErrorCount > errors ? null : new LabelSelector(labels.ToImmutable(), expressions.ToImmutable());
    }

    private static SelectorRequirement? ReadExpression(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        if (node is not JsonObject obj)
        {
            diagnostics.Error(path, $"must be a mapping {{key, operator, values}}, found {NodeReader.Describe(node)}");
            return null;
        }

        NovaFields.WarnUnknown(obj, path, ExpressionFields, "match expression", diagnostics);
        var key = NodeReader.String(obj["key"], NodeReader.Child(path, "key"), diagnostics);
        var operatorPath = NodeReader.Child(path, "operator");
        var operatorText = NodeReader.String(obj["operator"], operatorPath, diagnostics);
        SelectorOperator? op = null;
        if (operatorText is not null)
        {
            if (Operators.Contains(operatorText) && Enum.TryParse<SelectorOperator>(operatorText, out var parsed))
            {
                op = parsed;
            }
            else
            {
                diagnostics.Error(
                    operatorPath,
                    $"operator '{operatorText}' is not one of {string.Join(", ", Operators)}",
                    Suggestions.DidYouMean(operatorText, Operators));
            }
        }

        var valuesPath = NodeReader.Child(path, "values");
        var values = ImmutableArray.CreateBuilder<string>();
        var valuesOk = true;
        switch (obj["values"])
        {
            case null:
                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (NodeReader.IsString(list[i]))
                    {
                        valuesOk &= CheckValue(list[i]!.GetValue<string>(), NodeReader.Item(valuesPath, i), diagnostics);
                        values.Add(list[i]!.GetValue<string>());
                    }
                    else
                    {
                        diagnostics.Error(NodeReader.Item(valuesPath, i), $"must be text, found {NodeReader.Describe(list[i])}", "quote it");
                        valuesOk = false;
                    }
                }

                break;
            default:
                diagnostics.Error(valuesPath, $"must be a list of values, found {NodeReader.Describe(obj["values"])}", "write values as a list, e.g. [a, b]");
                valuesOk = false;
                break;
        }

        if (key is not null && !CheckKey(key, NodeReader.Child(path, "key"), diagnostics))
        {
            return null;
        }

        if (key is null || op is null || !valuesOk)
        {
            return null;
        }

        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0:
                diagnostics.Error(valuesPath, $"operator {op} needs at least one value", "list the label values to match");
                return null;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count > 0:
                diagnostics.Error(valuesPath, $"operator {op} takes no values, found {values.Count}", $"remove values, or use {(op == SelectorOperator.Exists ? "In" : "NotIn")} to match specific values");
                return null;
        }

        return new SelectorRequirement(key, op.Value, values.ToImmutable());
    }

    /// <summary>A selector only ever matches labels Kubernetes accepts, so a key it could never match is a mistake.</summary>
    private static bool CheckKey(string key, string path, DiagnosticBag diagnostics)
    {
        if (KubernetesNames.CheckLabelKey(key) is not { } problem)
        {
            return true;
        }

        diagnostics.Error(path, $"label key '{KubernetesNames.Shorten(key)}' {problem}", "label keys look like 'team' or 'example.com/team'");
        return false;
    }

    /// <summary>The value rules of cluster and workload labels (docs/config.md), so a selector value can match one.</summary>
    private static bool CheckValue(string value, string path, DiagnosticBag diagnostics)
    {
        if (PolicyVariables.HasPlaceholder(value) || KubernetesNames.CheckLabelValue(value) is not { } problem)
        {
            return true;
        }

        diagnostics.Error(path, $"label value '{KubernetesNames.Shorten(value)}' {problem}", "label values look like 'production' or 'v1.2'");
        return false;
    }
}
