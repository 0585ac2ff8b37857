using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Policies;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>Builds a <see cref="SchedulePolicy"/>; with no selectors it only covers workloads that name it.</summary>
internal sealed class PolicyBuilder(string name)
{
    private readonly List<LabelSelector> _resources = [];
    private readonly List<PercentageSplit> _split = [];
    private readonly List<DomainOverride> _overrides = [];
    private LabelSelector? _namespace;
    private LabelSelector? _cluster;
    private LabelSelector? _ordered;
    private string? _groupBy;
    private SpreadMode? _spread;
    private string _topologyKey = "kubernetes.io/metadata.name";

    public PolicyBuilder InNamespace(string ns)
    {
        _namespace = Match("kubernetes.io/metadata.name", ns);
        return this;
    }

    public PolicyBuilder SelectsWorkloads(string key, string value)
    {
        _resources.Add(Match(key, value));
        return this;
    }

    public PolicyBuilder Clusters(string key, string value)
    {
        _cluster = Match(key, value);
        return this;
    }

    public PolicyBuilder ClustersIn(string key, params string[] values)
    {
        _cluster = Expr(key, SelectorOperator.In, values);
        return this;
    }

    public PolicyBuilder ClusterSelector(LabelSelector selector)
    {
        _cluster = selector;
        return this;
    }

    public PolicyBuilder Ordered(string key, params string[] values)
    {
        _ordered = Expr(key, SelectorOperator.In, values);
        return this;
    }

    public PolicyBuilder GroupBy(string key)
    {
        _groupBy = key;
        return this;
    }

    public PolicyBuilder Duplicate(string topologyKey = "kubernetes.io/metadata.name")
    {
        _spread = SpreadMode.Duplicate;
        _topologyKey = topologyKey;
        return this;
    }

    public PolicyBuilder Divide(string topologyKey = "kubernetes.io/metadata.name", params (string Value, int Percent)[] split)
    {
        _spread = SpreadMode.Divide;
        _topologyKey = topologyKey;
        _split.AddRange(split.Select(s => new PercentageSplit(s.Value, s.Percent)));
        return this;
    }

    public PolicyBuilder Override(string domain, string fieldPath, string value, string? kind = null)
    {
        _overrides.Add(new DomainOverride(domain, kind, null, [new FieldOverride(fieldPath, JsonValue.Create(value))]));
        return this;
    }

    public SchedulePolicy Build() => new(
        name,
        $"skyray:policies.{name}",
        _namespace,
        [.. _resources],
        _cluster,
        _ordered,
        _groupBy,
        _spread is { } mode ? new SpreadConstraints(mode, _topologyKey, [.. _split], [.. _overrides]) : null);

    public static LabelSelector Match(string key, string value) =>
        new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add(key, value), []);

    public static LabelSelector Expr(string key, SelectorOperator op, params string[] values) =>
        new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), [new SelectorRequirement(key, op, [.. values])]);
}
