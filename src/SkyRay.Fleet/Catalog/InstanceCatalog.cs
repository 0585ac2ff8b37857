using System.Collections.Immutable;

namespace SkyRay.Fleet.Catalog;

/// <summary>Instance types by provider and name. Immutable.</summary>
public sealed class InstanceCatalog
{
    private readonly ImmutableSortedDictionary<string, InstanceType> _byKey;

    /// <summary>Creates a catalog from a list of types; later entries win over earlier ones with the same provider and name.</summary>
    /// <param name="types">The instance types.</param>
    public InstanceCatalog(IEnumerable<InstanceType> types)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, InstanceType>(StringComparer.Ordinal);
        foreach (var t in types)
        {
            builder[Key(t.Provider, t.Name)] = t;
        }

        _byKey = builder.ToImmutable();
    }

    /// <summary>All types, sorted by provider then name.</summary>
    public IEnumerable<InstanceType> All => _byKey.Values;

    /// <summary>Looks up a type of a provider (<c>aws</c>, <c>azure</c>, <c>gcp</c>).</summary>
    /// <param name="provider">Provider, lower case.</param>
    /// <param name="name">Instance type name.</param>
    /// <param name="type">The type, when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string provider, string name, out InstanceType type) =>
        _byKey.TryGetValue(Key(provider, name), out type!);

    private static string Key(string provider, string name) => provider + "/" + name;
}
