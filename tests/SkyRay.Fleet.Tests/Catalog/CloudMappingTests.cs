using SkyRay.Fleet.Catalog;

namespace SkyRay.Fleet.Tests.Catalog;

/// <summary>
/// Exact cloud names for instance families, written out from the clouds' documents: EKS AMI types (AL2023 standard, arm64
/// for Graviton, NVIDIA), GKE accelerator types (GKE's GPU documentation: nvidia-l4, nvidia-tesla-a100, nvidia-a100-80gb on
/// A2 Ultra, nvidia-h100-80gb, nvidia-h100-mega-80gb on A3 Mega, nvidia-tesla-t4).
/// </summary>
public sealed class CloudMappingTests
{
    [Theory]
    [InlineData("m6i.2xlarge", false, "AL2023_x86_64_STANDARD")]
    [InlineData("c7gn.xlarge", false, "AL2023_ARM_64_STANDARD")]
    [InlineData("a1.large", false, "AL2023_ARM_64_STANDARD")]
    [InlineData("t4g.medium", false, "AL2023_ARM_64_STANDARD")]
    [InlineData("g5.2xlarge", true, "AL2023_x86_64_NVIDIA")]
    [InlineData("p5.48xlarge", true, "AL2023_x86_64_NVIDIA")]
    [InlineData("g5g.xlarge", true, "AL2023_ARM_64_NVIDIA")]
    public void Eks_ami_type_of_an_instance_type(string instanceType, bool gpu, string amiType) =>
        Assert.Equal(amiType, InstanceFamilies.EksAmiType(instanceType, gpu));

    [Theory]
    [InlineData("g2-standard-8", "L4", "nvidia-l4")]
    [InlineData("a2-highgpu-1g", "A100", "nvidia-tesla-a100")]
    [InlineData("a2-ultragpu-1g", "A100", "nvidia-a100-80gb")]
    [InlineData("a3-highgpu-8g", "H100", "nvidia-h100-80gb")]
    [InlineData("a3-megagpu-8g", "H100", "nvidia-h100-mega-80gb")]
    [InlineData("n1-standard-8", "T4", "nvidia-tesla-t4")]
    public void Gke_accelerator_type_of_a_gpu_machine_type(string machineType, string gpuType, string accelerator) =>
        Assert.Equal(accelerator, InstanceFamilies.GkeAccelerator(machineType, gpuType));

    [Fact]
    public void A_gpu_model_gke_has_no_name_for_maps_to_nothing() =>
        Assert.Null(InstanceFamilies.GkeAccelerator("custom-gpu-8", "A10G"));
}
