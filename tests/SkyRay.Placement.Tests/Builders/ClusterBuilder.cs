using System.Collections.Immutable;
using SkyRay.Fleet.Config;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>Builds a <see cref="ClusterSpec"/>: static AWS in us-east-1 on Kubernetes 1.31 unless told otherwise.</summary>
internal sealed class ClusterBuilder(string name)
{
    private readonly List<NodePoolSpec> _pools = [];
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private CloudProvider _provider = CloudProvider.Aws;
    private string? _region = "us-east-1";
    private ClusterLifecycle _lifecycle = ClusterLifecycle.Static;
    private StandbySpec? _standby;

    public ClusterBuilder Provider(CloudProvider provider, string? region = null)
    {
        _provider = provider;
        _region = region ?? provider switch
        {
            CloudProvider.Gcp => "us-central1",
            CloudProvider.Azure => "eastus",
            CloudProvider.Existing => null,
            _ => "us-east-1",
        };
        return this;
    }

    public ClusterBuilder Gcp() => Provider(CloudProvider.Gcp);

    public ClusterBuilder Azure() => Provider(CloudProvider.Azure);

    public ClusterBuilder Region(string region)
    {
        _region = region;
        return this;
    }

    public ClusterBuilder Dynamic()
    {
        _lifecycle = ClusterLifecycle.Dynamic;
        return this;
    }

    public ClusterBuilder Standby(StandbyMode mode)
    {
        _standby = new StandbySpec(mode, TimeSpan.FromMinutes(30));
        return this;
    }

    public ClusterBuilder Label(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    public ClusterBuilder Pool(string pool, string instanceType, int min, int max, params NodeTaint[] taints) =>
        Pool(pool, instanceType, min, max, spot: false, taints);

    /// <summary>Adds a pool that may be a spot pool.</summary>
    public ClusterBuilder Pool(string pool, string instanceType, int min, int max, bool spot, NodeTaint[] taints)
    {
        _pools.Add(new NodePoolSpec(pool, instanceType, min, max, spot, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), [.. taints]));
        return this;
    }

    public ClusterSpec Build() => new(
        name,
        _provider,
        _region,
        "1.35",
        _lifecycle,
        _standby,
        _labels.ToImmutableSortedDictionary(StringComparer.Ordinal),
        [.. _pools.OrderBy(p => p.Name, StringComparer.Ordinal)]);
}
