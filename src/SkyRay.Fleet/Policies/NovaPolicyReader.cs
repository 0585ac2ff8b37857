using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Policies;

/// <summary>Reads Nova SchedulePolicy specs (policy.elotl.co/v1alpha1) from stack config and from policy files.</summary>
/// <remarks>
/// Fields SkyRay does not act on (<c>metadata.namespace</c>, unknown keys, …) are reported as warnings at
/// their path and the policy still loads; wrong values of the fields it does act on are errors.
/// Field reference: docs/policies.md.
/// </remarks>
public static class NovaPolicyReader
{
    /// <summary>The only policy API version read.</summary>
    public const string ApiVersion = "policy.elotl.co/v1alpha1";

    /// <summary>The only policy kind read.</summary>
    public const string Kind = "SchedulePolicy";

    private static readonly ImmutableArray<string> SpecFields =
        ["clusterSelector", "groupBy", "namespaceSelector", "orderedClusterSelector", "resourceSelectors", "spreadConstraints"];

    private static readonly ImmutableArray<string> DocumentFields = ["apiVersion", "kind", "metadata", "spec"];
    private static readonly ImmutableArray<string> MetadataFields = ["name"];
    private static readonly ImmutableArray<string> ResourceSelectorFields = ["labelSelectors"];
    private static readonly ImmutableArray<string> GroupByFields = ["labelKey"];

    /// <summary>Reads one policy <c>spec</c> given in <c>skyray:policies.NAME</c>.</summary>
    /// <remarks>
    /// The value is the SchedulePolicy <c>spec</c> (clusterSelector, spreadConstraints, …). A whole Nova document
    /// (apiVersion, kind, metadata, spec) pasted as is is read too; the config key names the policy.
    /// </remarks>
    /// <param name="name">Policy name.</param>
    /// <param name="spec">The spec tree.</param>
    /// <param name="path">Config path of the spec, e.g. <c>skyray:policies.gpu</c>.</param>
    /// <param name="diagnostics">Where problems are reported (unknown or unsupported fields as warnings at their path).</param>
    /// <returns>The policy, or null when it has errors.</returns>
    public static SchedulePolicy? ReadSpec(string name, JsonNode? spec, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        switch (spec)
        {
            case null:
                diagnostics.Error(path, "policy is empty", "give a clusterSelector, orderedClusterSelector, spreadConstraints or groupBy, or {} to use available capacity");
                return null;
            case JsonObject obj when obj.ContainsKey("spec") && (obj.ContainsKey("apiVersion") || obj.ContainsKey("kind")):
                return ReadDocument(obj, path, path, name, diagnostics);
            case JsonObject obj:
                return ReadSpecBody(name, obj, path, path, diagnostics);
            default:
                diagnostics.Error(path, $"must be a SchedulePolicy spec (a mapping), found {NodeReader.Describe(spec)}", "see docs/policies.md");
                return null;
        }
    }

    /// <summary>Reads every SchedulePolicy document of a Nova YAML file, filling <c>${VAR}</c> placeholders.</summary>
    /// <remarks>
    /// Diagnostics are located as <c>FILE:spec.clusterSelector…</c>, or <c>FILE#N:…</c> (N counted from 1) when the
    /// file holds several documents. Each unset variable is one error, at its first use.
    /// </remarks>
    /// <param name="text">File text (multi-document YAML).</param>
    /// <param name="path">File path used in diagnostics.</param>
    /// <param name="variables">Resolves a placeholder name to its value, or null when unset (reported as an error).</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The policies read.</returns>
    public static IReadOnlyList<SchedulePolicy> ReadFile(string text, string path, Func<string, string?> variables, DiagnosticBag diagnostics) =>
        ReadFile(text, path, variables, diagnostics, null);

    /// <summary>Reads every SchedulePolicy document of a Nova YAML file, filling <c>${VAR}</c> placeholders.</summary>
    /// <param name="text">File text (multi-document YAML).</param>
    /// <param name="path">File path used in diagnostics.</param>
    /// <param name="variables">Resolves a placeholder name to its value, or null when unset (reported as an error).</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <param name="variableHint">
    /// How the caller lets users set a variable, used in the unset-variable error; <c>{0}</c> is replaced by the
    /// variable name. Null for a generic hint.
    /// </param>
    /// <returns>The policies read.</returns>
    public static IReadOnlyList<SchedulePolicy> ReadFile(
        string text,
        string path,
        Func<string, string?> variables,
        DiagnosticBag diagnostics,
        string? variableHint)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(diagnostics);

        var documents = YamlJson.ParseDocuments(text, path, diagnostics);
        var multi = documents.Count > 1;
        var policies = new List<SchedulePolicy>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var unset = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstUse = new List<(string Name, string Path)>();
        var filled = new List<(JsonNode? Node, string Root, bool Unset)>();
        for (var i = 0; i < documents.Count; i++)
        {
            var root = multi ? $"{path}#{i + 1}:" : $"{path}:";
            var unsetBefore = unset.Values.Sum();
            var node = PolicyVariables.Fill(documents[i], root, variables, unset, firstUse);
            filled.Add((node, root, unset.Values.Sum() > unsetBefore));
        }

        foreach (var (variable, usePath) in firstUse)
        {
            var count = unset[variable];
            var uses = count == 1 ? "" : $" (used {count} times in this file)";
            var hint = variableHint is null
                ? $"set {variable} under skyray:policyVariables, or as an environment variable"
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, variableHint, variable);
            diagnostics.Error(usePath, $"variable ${{{variable}}} is not set{uses}", hint);
        }

        foreach (var (node, root, hasUnset) in filled)
        {
            switch (node)
            {
                case null:
                    // An empty document (a trailing '---') holds nothing to read.
                    continue;
                case JsonObject doc:
                    var errorsBefore = diagnostics.ErrorCount;
                    var policy = ReadDocument(doc, root, root.TrimEnd(':'), null, diagnostics);
                    if (policy is null)
                    {
                        continue;
                    }

                    if (names.TryGetValue(policy.Name, out var first))
                    {
                        diagnostics.Error(NodeReader.Child(NodeReader.Child(root, "metadata"), "name"), $"policy '{policy.Name}' is already defined at {first}", "give each policy its own name");
                        continue;
                    }

                    names[policy.Name] = policy.Source;
                    if (diagnostics.ErrorCount == errorsBefore && !hasUnset)
                    {
                        policies.Add(policy);
                    }

                    break;
                default:
                    diagnostics.Error(root.TrimEnd(':'), $"a policy document must be a mapping, found {NodeReader.Describe(node)}", "each document is one SchedulePolicy");
                    break;
            }
        }

        return policies;
    }

    private static SchedulePolicy? ReadDocument(JsonObject doc, string root, string source, string? configName, DiagnosticBag diagnostics)
    {
        var errors = diagnostics.ErrorCount;
        NovaFields.WarnUnknown(doc, root, DocumentFields, "SchedulePolicy document", diagnostics);

        var apiVersionPath = NodeReader.Child(root, "apiVersion");
        var apiVersion = NodeReader.String(doc["apiVersion"], apiVersionPath, diagnostics);
        if (apiVersion is not null && apiVersion != ApiVersion)
        {
            diagnostics.Error(apiVersionPath, $"apiVersion '{apiVersion}' is not {ApiVersion}", $"SkyRay reads Nova SchedulePolicy {ApiVersion}");
        }

        var kindPath = NodeReader.Child(root, "kind");
        var kind = NodeReader.String(doc["kind"], kindPath, diagnostics);
        if (kind is not null && kind != Kind)
        {
            diagnostics.Error(kindPath, $"kind '{kind}' is not {Kind}", "only SchedulePolicy documents belong in a policy file");
        }

        var metadataPath = NodeReader.Child(root, "metadata");
        string? name = configName;
        if (doc["metadata"] is JsonObject metadata)
        {
            NovaFields.WarnUnknown(metadata, metadataPath, MetadataFields, "metadata", diagnostics);
            var namePath = NodeReader.Child(metadataPath, "name");
            if (configName is null)
            {
                name = NodeReader.String(metadata["name"], namePath, diagnostics);
            }
            else if (metadata["name"] is { } written && NodeReader.IsString(written) && written.GetValue<string>() != configName)
            {
                diagnostics.Warning(namePath, $"metadata.name '{written.GetValue<string>()}' differs from the config key; the policy is called '{configName}'", "workloads refer to the policy by its config key");
            }
        }
        else if (configName is null)
        {
            diagnostics.Error(NodeReader.Child(metadataPath, "name"), "is missing", "give the policy a name under metadata.name");
        }
        else if (doc["metadata"] is not null)
        {
            diagnostics.Error(metadataPath, $"must be a mapping, found {NodeReader.Describe(doc["metadata"])}");
        }

        var specPath = NodeReader.Child(root, "spec");
        SchedulePolicy? policy = null;
        if (doc["spec"] is JsonObject spec)
        {
            policy = ReadSpecBody(name ?? "", spec, specPath, source, diagnostics);
        }
        else
        {
            diagnostics.Error(specPath, doc["spec"] is null ? "is missing" : $"must be a mapping, found {NodeReader.Describe(doc["spec"])}", "a SchedulePolicy needs a spec");
        }

        return diagnostics.ErrorCount > errors || name is null ? null : policy;
    }

    private static SchedulePolicy? ReadSpecBody(string name, JsonObject spec, string path, string source, DiagnosticBag diagnostics)
    {
        var errors = diagnostics.ErrorCount;
        NovaFields.WarnUnknown(spec, path, SpecFields, "SchedulePolicy spec", diagnostics);

        var namespaceSelector = ReadOptionalSelector(spec, "namespaceSelector", path, diagnostics);
        var clusterSelector = ReadOptionalSelector(spec, "clusterSelector", path, diagnostics);
        var ordered = ReadOptionalSelector(spec, "orderedClusterSelector", path, diagnostics);
        if (ordered is not null && !ordered.MatchExpressions.Any(e => e.Operator == SelectorOperator.In))
        {
            diagnostics.Warning(
                NodeReader.Child(path, "orderedClusterSelector"),
                "has no 'In' expression, so it gives no preference order; it only selects clusters",
                "list the clusters (or label values) in preference order under an 'In' expression");
        }

        var resourceSelectors = ReadResourceSelectors(spec["resourceSelectors"], NodeReader.Child(path, "resourceSelectors"), diagnostics);

        string? groupBy = null;
        var groupByPath = NodeReader.Child(path, "groupBy");
        switch (spec["groupBy"])
        {
            case null:
                break;
            case JsonObject group:
                NovaFields.WarnUnknown(group, groupByPath, GroupByFields, "groupBy", diagnostics);
                groupBy = NodeReader.String(group["labelKey"], NodeReader.Child(groupByPath, "labelKey"), diagnostics);
                break;
            default:
                diagnostics.Error(groupByPath, $"must be a mapping with labelKey, found {NodeReader.Describe(spec["groupBy"])}", "write groupBy: {labelKey: app}");
                break;
        }

        var spread = spec["spreadConstraints"] is null
            ? null
            : SpreadConstraintsReader.Read(spec["spreadConstraints"], NodeReader.Child(path, "spreadConstraints"), diagnostics);

        if (diagnostics.ErrorCount > errors)
        {
            return null;
        }

        return new SchedulePolicy(name, source, namespaceSelector, resourceSelectors, clusterSelector, ordered, groupBy, spread);
    }

    private static LabelSelector? ReadOptionalSelector(JsonObject spec, string key, string path, DiagnosticBag diagnostics) =>
        spec.ContainsKey(key) && spec[key] is not null
            ? LabelSelectorReader.Read(spec[key], NodeReader.Child(path, key), diagnostics)
            : spec.ContainsKey(key) ? LabelSelector.Everything : null;

    private static ImmutableArray<LabelSelector> ReadResourceSelectors(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject obj)
        {
            diagnostics.Error(path, $"must be a mapping with labelSelectors, found {NodeReader.Describe(node)}", "write resourceSelectors: {labelSelectors: [{matchLabels: {app: x}}]}");
            return [];
        }

        NovaFields.WarnUnknown(obj, path, ResourceSelectorFields, "resourceSelectors", diagnostics);
        var listPath = NodeReader.Child(path, "labelSelectors");
        switch (obj["labelSelectors"])
        {
            case null:
                return [];
            case JsonArray list:
                var result = ImmutableArray.CreateBuilder<LabelSelector>();
                for (var i = 0; i < list.Count; i++)
                {
                    if (LabelSelectorReader.Read(list[i], NodeReader.Item(listPath, i), diagnostics) is { } selector)
                    {
                        result.Add(selector);
                    }
                }

                return result.ToImmutable();
            default:
                diagnostics.Error(listPath, $"must be a list of label selectors, found {NodeReader.Describe(obj["labelSelectors"])}");
                return [];
        }
    }
}
