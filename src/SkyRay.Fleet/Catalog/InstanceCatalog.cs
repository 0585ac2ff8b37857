using System.Collections.Immutable;

namespace SkyRay.Fleet.Catalog;

/// <summary>Instance types by provider and name. Immutable.</summary>
public sealed class InstanceCatalog
{
    private readonly ImmutableSortedDictionary<string, InstanceType> _byKey;
    private readonly ImmutableSortedDictionary<string, ImmutableArray<InstanceType>> _byName;

    /// <summary>Creates a catalog from a list of types; later entries win over earlier ones with the same provider and name.</summary>
    /// <param name="types">The instance types.</param>
    public InstanceCatalog(IEnumerable<InstanceType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, InstanceType>(StringComparer.Ordinal);
        foreach (var t in types)
        {
            builder[Key(t.Provider, t.Name)] = t;
        }

        _byKey = builder.ToImmutable();
        _byName = _byKey.Values
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
    }

    /// <summary>The providers the catalog knows, in the order <c>aws</c>, <c>azure</c>, <c>gcp</c>.</summary>
    public static ImmutableArray<string> Providers { get; } = ["aws", "azure", "gcp"];

    /// <summary>All types, sorted by provider then name.</summary>
    public IEnumerable<InstanceType> All => _byKey.Values;

    /// <summary>Number of types.</summary>
    public int Count => _byKey.Count;

    /// <summary>Looks up a type of a provider (<c>aws</c>, <c>azure</c>, <c>gcp</c>).</summary>
    /// <param name="provider">Provider, lower case.</param>
    /// <param name="name">Instance type name.</param>
    /// <param name="type">The type, when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string provider, string name, out InstanceType type) =>
        _byKey.TryGetValue(Key(provider, name), out type!);

    /// <summary>
    /// Every type called <paramref name="name"/>, whatever its provider, sorted by provider. Cloud naming
    /// schemes do not overlap, so this is usually one type; it serves clusters whose provider is not a cloud
    /// (existing clusters) and error messages ("g5.xlarge is an aws type").
    /// </summary>
    /// <param name="name">Instance type name.</param>
    /// <returns>The matching types, empty when none.</returns>
    public ImmutableArray<InstanceType> FindByName(string name) =>
        _byName.TryGetValue(name, out var found) ? found : [];

    /// <summary>Types of one provider, sorted by name.</summary>
    /// <param name="provider">Provider, lower case.</param>
    /// <returns>The provider's types.</returns>
    public IEnumerable<InstanceType> ForProvider(string provider) =>
        _byKey.Values.Where(t => string.Equals(t.Provider, provider, StringComparison.Ordinal));

    /// <summary>The GPU types a provider offers in this catalog (canonical names, sorted, distinct).</summary>
    /// <param name="provider">Provider, lower case.</param>
    /// <returns>GPU types, e.g. <c>A100, A10G, H100, L4</c> for aws.</returns>
    public ImmutableArray<string> GpuTypes(string provider) =>
        [.. ForProvider(provider)
            .Where(t => t.HasGpu && t.GpuType is not null)
            .Select(t => t.GpuType!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>Instance types of a provider whose GPUs satisfy <paramref name="gpuType"/> (see <see cref="Catalog.GpuTypes.Satisfies"/>), sorted by name.</summary>
    /// <param name="provider">Provider, lower case.</param>
    /// <param name="gpuType">Requested GPU type, or null for any GPU.</param>
    /// <returns>Matching GPU instance types.</returns>
    public IEnumerable<InstanceType> WithGpu(string provider, string? gpuType) =>
        ForProvider(provider).Where(t => t.HasGpu && Catalog.GpuTypes.Satisfies(gpuType, t.GpuType));

    /// <summary>A new catalog with <paramref name="overrides"/> added; each replaces a type of the same provider and name.</summary>
    /// <param name="overrides">Types to add or replace (e.g. from <c>skyray:instanceTypes</c>).</param>
    /// <returns>The combined catalog; this one is unchanged.</returns>
    public InstanceCatalog With(IEnumerable<InstanceType> overrides) => new(_byKey.Values.Concat(overrides));

    private static string Key(string provider, string name) => provider + "/" + name;
}
