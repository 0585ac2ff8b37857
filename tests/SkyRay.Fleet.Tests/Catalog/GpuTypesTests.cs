using SkyRay.Fleet.Catalog;

namespace SkyRay.Fleet.Tests.Catalog;

public sealed class GpuTypesTests
{
    [Theory]
    [InlineData("a100", "A100")]
    [InlineData("nvidia-tesla-a100", "A100")]
    [InlineData("nvidia-a100-80gb", "A100-80GB")]
    [InlineData("nvidia-l4", "L4")]
    [InlineData("h100", "H100")]
    [InlineData("NVIDIA-A100-SXM4-80GB", "A100-80GB")]
    [InlineData("nvidia-tesla-t4", "T4")]
    [InlineData("MI300X", "MI300X")]
    public void Cloud_spellings_map_to_the_canonical_name(string written, string canonical)
    {
        Assert.Equal(canonical, GpuTypes.Canonical(written));
    }

    [Theory]
    [InlineData("A100", "A100", true)]
    [InlineData("A100", "A100-80GB", true)]
    [InlineData("A100-80GB", "A100", false)]
    [InlineData("L4", "A10G", false)]
    [InlineData(null, "L4", true)]
    [InlineData("L4", null, false)]
    public void A_request_is_met_by_the_same_model_or_its_bigger_memory_variant(string? requested, string? offered, bool expected)
    {
        Assert.Equal(expected, GpuTypes.Satisfies(requested, offered));
    }
}
