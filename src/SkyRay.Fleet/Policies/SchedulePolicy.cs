using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Policies;

/// <summary>Label selector operators (Kubernetes <c>matchExpressions</c>).</summary>
public enum SelectorOperator
{
    /// <summary>Label value is one of the values.</summary>
    In,

    /// <summary>Label value is none of the values (or the label is absent).</summary>
    NotIn,

    /// <summary>The label is present.</summary>
    Exists,

    /// <summary>The label is absent.</summary>
    DoesNotExist,
}

/// <summary>One <c>matchExpressions</c> entry.</summary>
/// <param name="Key">Label key.</param>
/// <param name="Operator">Operator.</param>
/// <param name="Values">Values, in the order written (order matters for <c>orderedClusterSelector</c>).</param>
public sealed record SelectorRequirement(string Key, SelectorOperator Operator, ImmutableArray<string> Values);

/// <summary>A Kubernetes label selector (matchLabels AND matchExpressions).</summary>
/// <param name="MatchLabels">Exact label matches.</param>
/// <param name="MatchExpressions">Expressions, in the order written.</param>
public sealed record LabelSelector(
    ImmutableSortedDictionary<string, string> MatchLabels,
    ImmutableArray<SelectorRequirement> MatchExpressions)
{
    /// <summary>The selector that matches everything (<c>{}</c>).</summary>
    public static LabelSelector Everything { get; } =
        new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), []);
}

/// <summary>Duplicate: the whole workload on every matching cluster; Divide: replicas split by percentage.</summary>
public enum SpreadMode
{
    /// <summary>Every matching cluster gets the full workload.</summary>
    Duplicate,

    /// <summary>Replicas are split across clusters.</summary>
    Divide,
}

/// <summary>One <c>percentageSplit</c> entry.</summary>
/// <param name="TopologyValue">Value of the topology key (often a cluster name).</param>
/// <param name="Percentage">Share of replicas, 0–100.</param>
public sealed record PercentageSplit(string TopologyValue, int Percentage);

/// <summary>A field override applied to one domain's copy (Nova <c>override[].fieldPath</c> + <c>value.staticValue</c>).</summary>
/// <param name="FieldPath">Path in the object, e.g. <c>spec.workerGroupSpecs[0].replicas</c> or <c>metadata.labels['x']</c>.</param>
/// <param name="StaticValue">The value to set.</param>
public sealed record FieldOverride(string FieldPath, JsonNode? StaticValue);

/// <summary>Overrides for the copy in one topology domain.</summary>
/// <param name="TopologyValue">Value of the topology key the overrides apply to.</param>
/// <param name="Kind">Kind of the resource the overrides target, or null for any.</param>
/// <param name="Name">Name of the resource the overrides target, or null for any.</param>
/// <param name="Overrides">Field overrides in the order written.</param>
/// <param name="ApiVersion">apiVersion of the resource the overrides target, or null for any.</param>
/// <param name="Namespace">Namespace of the resource the overrides target, or null for any.</param>
public sealed record DomainOverride(
    string TopologyValue,
    string? Kind,
    string? Name,
    ImmutableArray<FieldOverride> Overrides,
    string? ApiVersion = null,
    string? Namespace = null);

/// <summary><c>spreadConstraints</c>.</summary>
/// <param name="Mode">Duplicate or Divide.</param>
/// <param name="TopologyKey">Cluster label whose values form the domains.</param>
/// <param name="PercentageSplit">Divide shares, in the order written.</param>
/// <param name="Overrides">Per-domain overrides.</param>
public sealed record SpreadConstraints(
    SpreadMode Mode,
    string TopologyKey,
    ImmutableArray<PercentageSplit> PercentageSplit,
    ImmutableArray<DomainOverride> Overrides);

/// <summary>
/// A Nova SchedulePolicy (<c>policy.elotl.co/v1alpha1</c>) as SkyRay acts on it.
/// </summary>
/// <param name="Name">Policy name.</param>
/// <param name="Source">Where it was defined: a config path (<c>skyray:policies.gpu</c>) or a file path.</param>
/// <param name="NamespaceSelector">Namespaces whose workloads the policy covers, or null (none by selector).</param>
/// <param name="ResourceSelectors">Workload label selectors, OR-ed.</param>
/// <param name="ClusterSelector">Specified-cluster selector, or null.</param>
/// <param name="OrderedClusterSelector">Priority selector (order of <c>In</c> values is preference), or null.</param>
/// <param name="GroupByLabelKey">Workloads sharing this label's value land on one cluster; null for none.</param>
/// <param name="Spread">Spread constraints, or null.</param>
public sealed record SchedulePolicy(
    string Name,
    string Source,
    LabelSelector? NamespaceSelector,
    ImmutableArray<LabelSelector> ResourceSelectors,
    LabelSelector? ClusterSelector,
    LabelSelector? OrderedClusterSelector,
    string? GroupByLabelKey,
    SpreadConstraints? Spread);
