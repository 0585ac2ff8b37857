using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Catalog;

/// <summary>The built-in instance catalog and user additions from <c>skyray:instanceTypes</c>.</summary>
public static class InstanceCatalogReader
{
    /// <summary>The catalog shipped with SkyRay (embedded <c>instance-types.json</c>).</summary>
    /// <returns>The built-in catalog.</returns>
    public static InstanceCatalog BuiltIn() => throw new NotImplementedException("owned by the catalog/nova branch");

    /// <summary>Reads user additions; each entry overrides a built-in type of the same provider and name.</summary>
    /// <param name="node">The <c>skyray:instanceTypes</c> tree (may be null).</param>
    /// <param name="path">Config path (<c>skyray:instanceTypes</c>).</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The types read (invalid entries left out and reported).</returns>
    public static IReadOnlyList<InstanceType> ReadUserTypes(JsonNode? node, string path, DiagnosticBag diagnostics) =>
        throw new NotImplementedException("owned by the catalog/nova branch");
}
