using SkyRay.Fleet.Catalog;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>A small fixed catalog so tests do not move when built-in prices change.</summary>
internal static class TestCatalog
{
    public static InstanceCatalog Instance { get; } = new(
    [
        new InstanceType("m5.xlarge", "aws", 4, 16, 0, null, 0.192m),
        new InstanceType("m5.4xlarge", "aws", 16, 64, 0, null, 0.768m),
        new InstanceType("g5.xlarge", "aws", 4, 16, 1, "A10G", 1.006m),
        new InstanceType("g5.12xlarge", "aws", 48, 192, 4, "A10G", 5.672m),
        new InstanceType("p4d.24xlarge", "aws", 96, 1152, 8, "A100", 21.96m),
        new InstanceType("n2-standard-8", "gcp", 8, 32, 0, null, 0.388m),
        new InstanceType("g2-standard-8", "gcp", 8, 32, 1, "L4", 0.85m),
        new InstanceType("g2-standard-24", "gcp", 24, 96, 2, "L4", 2.0m),
        new InstanceType("a2-highgpu-1g", "gcp", 12, 85, 1, "A100", 3.67m),
        new InstanceType("Standard_D8s_v5", "azure", 8, 32, 0, null, 0.384m),
        new InstanceType("Standard_NC24ads_A100_v4", "azure", 24, 220, 1, "A100", 3.67m),
    ]);
}
