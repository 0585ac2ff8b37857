using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Validation;
using SkyRay.Testing;

namespace SkyRay.KubeRay.Tests.Support;

/// <summary>The real KubeRay v1.7.0 CRDs from shared/, loaded once per test class that asks.</summary>
public static class Crds
{
    public static CrdSchemaSet Load()
    {
        var dir = SharedMaterial.Require(SharedMaterial.KubeRayCrds);
        var bag = new DiagnosticBag();
        var set = CrdSchemaSet.LoadDirectory(dir, bag);
        Assert.Empty(bag.Items);
        return set;
    }
}
