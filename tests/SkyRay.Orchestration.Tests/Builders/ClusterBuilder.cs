using System.Collections.Immutable;
using SkyRay.Fleet.Config;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>Builds a <see cref="ClusterSpec"/>: a static AWS cluster with no pools unless told otherwise.</summary>
public sealed class ClusterBuilder(string name)
{
    private readonly List<NodePoolSpec> _pools = [];
    private readonly SortedDictionary<string, string> _labels = new(StringComparer.Ordinal);
    private CloudProvider _provider = CloudProvider.Aws;
    private string? _region = "us-east-1";
    private string _version = "1.31";
    private ClusterLifecycle _lifecycle = ClusterLifecycle.Static;
    private StandbySpec? _standby;
    private ExistingSettings? _existing;

    public static ClusterBuilder Aws(string name) => new ClusterBuilder(name).On(CloudProvider.Aws, "us-east-1");

    public static ClusterBuilder Azure(string name) => new ClusterBuilder(name).On(CloudProvider.Azure, "westeurope");

    public static ClusterBuilder Gcp(string name) => new ClusterBuilder(name).On(CloudProvider.Gcp, "us-central1");

    public static ClusterBuilder Existing(string name, string context)
    {
        var b = new ClusterBuilder(name).On(CloudProvider.Existing, null);
        b._existing = new ExistingSettings(context, null);
        return b;
    }

    public ClusterBuilder On(CloudProvider provider, string? region)
    {
        _provider = provider;
        _region = region;
        return this;
    }

    public ClusterBuilder Version(string version)
    {
        _version = version;
        return this;
    }

    public ClusterBuilder Dynamic()
    {
        _lifecycle = ClusterLifecycle.Dynamic;
        return this;
    }

    public ClusterBuilder Standby(StandbyMode mode, TimeSpan idleAfter)
    {
        _standby = new StandbySpec(mode, idleAfter);
        return this;
    }

    public ClusterBuilder Label(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    public ClusterBuilder Pool(string pool, string instanceType, int min, int max)
    {
        _pools.Add(new NodePoolSpec(
            pool, instanceType, min, max, Spot: false, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), []));
        return this;
    }

    public ClusterBuilder Upgrade(UpgradeStrategy strategy)
    {
        _upgrade = strategy;
        return this;
    }

    private UpgradeStrategy? _upgrade;

    public ClusterSpec Build() => new(
        name,
        _provider,
        _region,
        _version,
        _lifecycle,
        _standby,
        _labels.ToImmutableSortedDictionary(StringComparer.Ordinal),
        [.. _pools.OrderBy(p => p.Name, StringComparer.Ordinal)],
        Existing: _existing)
    {
        Upgrade = _upgrade,
    };
}
