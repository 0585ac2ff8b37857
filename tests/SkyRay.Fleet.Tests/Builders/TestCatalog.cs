using SkyRay.Fleet.Catalog;

namespace SkyRay.Fleet.Tests.Builders;

/// <summary>A small fixed instance catalog, so config tests do not depend on the built-in catalog's contents.</summary>
internal static class TestCatalog
{
    public static InstanceCatalog Create() => new(
    [
        new InstanceType("m6i.large", "aws", 2, 8, 0, null, 0.096m),
        new InstanceType("m6i.2xlarge", "aws", 8, 32, 0, null, 0.384m),
        new InstanceType("g5.2xlarge", "aws", 8, 32, 1, "A10G", 1.212m),
        new InstanceType("g5.12xlarge", "aws", 48, 192, 4, "A10G", 5.672m),
        new InstanceType("p5.48xlarge", "aws", 192, 2048, 8, "H100", 98.32m),
        new InstanceType("e2-standard-4", "gcp", 4, 16, 0, null, 0.134m),
        new InstanceType("g2-standard-8", "gcp", 8, 32, 1, "L4", 0.854m),
        new InstanceType("Standard_D4s_v5", "azure", 4, 16, 0, null, 0.192m),
        new InstanceType("Standard_NC24ads_A100_v4", "azure", 24, 220, 1, "A100-80GB", 3.673m),
    ]);
}
