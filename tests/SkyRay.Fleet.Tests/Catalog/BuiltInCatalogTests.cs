using System.Text.Json.Nodes;
using SkyRay.Fleet.Catalog;

namespace SkyRay.Fleet.Tests.Catalog;

public sealed class BuiltInCatalogTests
{
    private static readonly InstanceCatalog Catalog = InstanceCatalogReader.BuiltIn();

    [Theory]
    [InlineData("aws", "m6i.", 5)]
    [InlineData("aws", "m7i.", 5)]
    [InlineData("aws", "c6i.", 5)]
    [InlineData("aws", "c7i.", 5)]
    [InlineData("aws", "r6i.", 5)]
    [InlineData("aws", "r7i.", 5)]
    [InlineData("aws", "g5.", 8)]
    [InlineData("aws", "g6.", 8)]
    [InlineData("aws", "p4d.", 1)]
    [InlineData("aws", "p5.", 1)]
    [InlineData("azure", "Standard_D", 7)]
    [InlineData("azure", "Standard_E", 7)]
    [InlineData("azure", "Standard_NC", 5)]
    [InlineData("gcp", "n2-standard-", 5)]
    [InlineData("gcp", "e2-standard-", 5)]
    [InlineData("gcp", "c3-standard-", 5)]
    [InlineData("gcp", "g2-standard-", 8)]
    [InlineData("gcp", "a2-highgpu-", 4)]
    [InlineData("gcp", "a2-ultragpu-", 4)]
    [InlineData("gcp", "a3-highgpu-", 1)]
    public void Catalog_covers_every_common_family(string provider, string prefix, int atLeast)
    {
        var family = Catalog.ForProvider(provider).Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        Assert.True(family.Count >= atLeast, $"{provider} {prefix}*: {family.Count} types, expected at least {atLeast}");
    }

    [Theory]
    [InlineData("aws", "m6i.large", 2, 8)]
    [InlineData("aws", "m6i.8xlarge", 32, 128)]
    [InlineData("aws", "c7i.4xlarge", 16, 32)]
    [InlineData("aws", "r7i.2xlarge", 8, 64)]
    [InlineData("azure", "Standard_D2s_v5", 2, 8)]
    [InlineData("azure", "Standard_D64s_v5", 64, 256)]
    [InlineData("azure", "Standard_E64s_v5", 64, 512)]
    [InlineData("gcp", "n2-standard-8", 8, 32)]
    [InlineData("gcp", "e2-standard-2", 2, 8)]
    [InlineData("gcp", "c3-standard-22", 22, 88)]
    public void Cpu_types_have_the_published_shape_and_no_gpu(string provider, string name, int vCpus, double memoryGiB)
    {
        Assert.True(Catalog.TryGet(provider, name, out var type), $"{provider}/{name} missing");
        Assert.Equal(vCpus, type.VCpus);
        Assert.Equal(memoryGiB, type.MemoryGiB);
        Assert.Equal(0, type.Gpus);
        Assert.Null(type.GpuType);
    }

    [Theory]
    [InlineData("aws", "p4d.24xlarge", 8, "A100", 40)]
    [InlineData("aws", "p5.48xlarge", 8, "H100", 80)]
    [InlineData("aws", "g5.xlarge", 1, "A10G", 24)]
    [InlineData("aws", "g5.48xlarge", 8, "A10G", 24)]
    [InlineData("aws", "g6.xlarge", 1, "L4", 24)]
    [InlineData("aws", "g6.12xlarge", 4, "L4", 24)]
    [InlineData("gcp", "a3-highgpu-8g", 8, "H100", 80)]
    [InlineData("gcp", "a2-highgpu-1g", 1, "A100", 40)]
    [InlineData("gcp", "a2-highgpu-8g", 8, "A100", 40)]
    [InlineData("gcp", "a2-ultragpu-8g", 8, "A100-80GB", 80)]
    [InlineData("gcp", "g2-standard-4", 1, "L4", 24)]
    [InlineData("gcp", "g2-standard-96", 8, "L4", 24)]
    // The NC A100 v4 series carries the 80 GB PCIe A100 (it satisfies a request for "A100", see GpuTypesTests).
    [InlineData("azure", "Standard_NC24ads_A100_v4", 1, "A100-80GB", 80)]
    [InlineData("azure", "Standard_NC96ads_A100_v4", 4, "A100-80GB", 80)]
    [InlineData("azure", "Standard_NC40ads_H100_v5", 1, "H100", 94)]
    public void Gpu_types_carry_their_gpu_count_and_model(string provider, string name, int gpus, string gpuType, double gpuMemoryGiB)
    {
        Assert.True(Catalog.TryGet(provider, name, out var type), $"{provider}/{name} missing");
        Assert.Equal(gpus, type.Gpus);
        Assert.Equal(gpuType, type.GpuType);
        Assert.Equal(gpuMemoryGiB, type.GpuMemoryGiB);
    }

    [Fact]
    public void Azure_nc24ads_a100_v4_is_one_a100_that_serves_an_a100_request()
    {
        Assert.True(Catalog.TryGet("azure", "Standard_NC24ads_A100_v4", out var type));

        Assert.Equal(1, type.Gpus);
        Assert.True(GpuTypes.Satisfies("A100", type.GpuType));
    }

    [Fact]
    public void Every_type_has_positive_price_cpu_and_memory_and_a_known_gpu_model()
    {
        Assert.All(Catalog.All, t =>
        {
            Assert.True(t.HourlyUsd > 0, $"{t.Name} price");
            Assert.True(t.VCpus > 0, $"{t.Name} vCPUs");
            Assert.True(t.MemoryGiB > 0, $"{t.Name} memory");
            Assert.Equal(t.Gpus > 0, t.GpuType is not null);
            if (t.GpuType is not null)
            {
                Assert.Contains(t.GpuType, GpuTypes.Known);
            }
        });
    }

    [Fact]
    public void Bigger_sizes_of_a_family_cost_more()
    {
        var m6i = Catalog.ForProvider("aws").Where(t => t.Name.StartsWith("m6i.", StringComparison.Ordinal)).OrderBy(t => t.VCpus).ToList();

        Assert.Equal(m6i.OrderBy(t => t.HourlyUsd).Select(t => t.Name), m6i.Select(t => t.Name));
    }

    [Fact]
    public void Names_are_unique_per_provider_in_the_shipped_file()
    {
        using var stream = typeof(InstanceCatalogReader).Assembly.GetManifestResourceStream(InstanceCatalogReader.ResourceName)!;
        var types = JsonNode.Parse(stream)!["types"]!.AsArray();

        var keys = types.Select(t => t!["provider"]!.GetValue<string>() + "/" + t["name"]!.GetValue<string>()).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(keys.Count, Catalog.Count);
    }

    [Fact]
    public void Source_note_says_the_prices_are_approximate_and_names_the_reference_regions()
    {
        var source = InstanceCatalogReader.BuiltInSource();

        Assert.Contains("approximate", source, StringComparison.Ordinal);
        Assert.Contains("us-east-1", source, StringComparison.Ordinal);
        Assert.Contains("eastus", source, StringComparison.Ordinal);
        Assert.Contains("us-central1", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_catalog_is_parsed_once_and_shared()
    {
        Assert.Same(InstanceCatalogReader.BuiltIn(), InstanceCatalogReader.BuiltIn());
    }

    [Theory]
    [InlineData("aws", "A100,A10G,H100,L4")]
    [InlineData("azure", "A100,A100-80GB,H100")]
    [InlineData("gcp", "A100,A100-80GB,H100,L4")]
    [InlineData("existing", "")]
    public void Gpu_types_per_provider_are_sorted_and_distinct(string provider, string expected)
    {
        Assert.Equal(expected, string.Join(",", Catalog.GpuTypes(provider)));
    }

    [Fact]
    public void Lookup_by_name_finds_the_type_whatever_its_provider()
    {
        var found = Catalog.FindByName("a3-highgpu-8g");

        var type = Assert.Single(found);
        Assert.Equal("gcp", type.Provider);
        Assert.Empty(Catalog.FindByName("no-such-type"));
    }

    [Fact]
    public void Gpu_filter_offers_l4_types_on_aws_and_gcp_only()
    {
        Assert.NotEmpty(Catalog.WithGpu("aws", "L4"));
        Assert.NotEmpty(Catalog.WithGpu("gcp", "L4"));
        Assert.All(Catalog.WithGpu("aws", "L4"), t => Assert.StartsWith("g6.", t.Name, StringComparison.Ordinal));
        Assert.All(Catalog.WithGpu("gcp", "L4"), t => Assert.StartsWith("g2-", t.Name, StringComparison.Ordinal));
        Assert.Empty(Catalog.WithGpu("azure", "L4"));
    }
}
