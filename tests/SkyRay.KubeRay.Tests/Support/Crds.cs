using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Validation;
using SkyRay.Testing;

namespace SkyRay.KubeRay.Tests.Support;

/// <summary>The real KubeRay v1.7.0 CRDs from shared/, read once per test run (75k lines of YAML take seconds).</summary>
public static class Crds
{
    private static readonly Lazy<(CrdSchemaSet Set, IReadOnlyList<Diagnostic> Diagnostics)> Loaded = new(() =>
    {
        var bag = new DiagnosticBag();
        var set = CrdSchemaSet.LoadDirectory(SharedMaterial.KubeRayCrds!, bag);
        return (set, bag.Items);
    });

    public static CrdSchemaSet Load()
    {
        SharedMaterial.Require(SharedMaterial.KubeRayCrds);
        Assert.Empty(Loaded.Value.Diagnostics);
        return Loaded.Value.Set;
    }
}
