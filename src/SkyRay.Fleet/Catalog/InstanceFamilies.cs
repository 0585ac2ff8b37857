using System.Collections.Immutable;

namespace SkyRay.Fleet.Catalog;

/// <summary>
/// What an instance type's name says beyond the catalog's numbers: the CPU architecture and accelerator family of
/// AWS types (which EKS AMI a node group needs), and the GKE accelerator name of a GCP GPU machine.
/// </summary>
public static class InstanceFamilies
{
    /// <summary>AWS families with AWS Inferentia or Trainium accelerators (Neuron devices, not NVIDIA GPUs).</summary>
    public static readonly ImmutableArray<string> AwsNeuronFamilies = ["inf1", "inf2", "trn1", "trn1n", "trn2", "trn2u"];

    /// <summary>The family of an AWS type: the part before the dot (<c>m7g</c> of <c>m7g.xlarge</c>).</summary>
    /// <param name="instanceType">The type name.</param>
    /// <returns>The family.</returns>
    public static string AwsFamily(string instanceType)
    {
        ArgumentNullException.ThrowIfNull(instanceType);
        var dot = instanceType.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? instanceType : instanceType[..dot];
    }

    /// <summary>
    /// True for AWS Graviton (arm64) types: the first generation <c>a1</c>, and every family with a <c>g</c> right after
    /// its generation digits (<c>m7g</c>, <c>c7gn</c>, <c>r8g</c>, <c>t4g</c>, <c>x2gd</c>, <c>im4gn</c>, <c>g5g</c>).
    /// </summary>
    /// <param name="instanceType">The type name.</param>
    /// <returns>True for arm64.</returns>
    public static bool IsAwsArm64(string instanceType)
    {
        var family = AwsFamily(instanceType);
        if (string.Equals(family, "a1", StringComparison.Ordinal))
        {
            return true;
        }

        var i = 0;
        while (i < family.Length && !char.IsAsciiDigit(family[i]))
        {
            i++;
        }

        var digits = i;
        while (i < family.Length && char.IsAsciiDigit(family[i]))
        {
            i++;
        }

        return i > digits && i < family.Length && family[i] == 'g';
    }

    /// <summary>True for AWS Inferentia and Trainium types.</summary>
    /// <param name="instanceType">The type name.</param>
    /// <returns>True for Neuron types.</returns>
    public static bool IsAwsNeuron(string instanceType) => AwsNeuronFamilies.Contains(AwsFamily(instanceType));

    /// <summary>
    /// The EKS AMI type of a node group (Amazon Linux 2023): <c>AL2023_x86_64_NEURON</c> for Inferentia and Trainium,
    /// else the architecture (<c>x86_64</c> or <c>ARM_64</c>) with <c>NVIDIA</c> for GPU types and <c>STANDARD</c> otherwise.
    /// </summary>
    /// <param name="instanceType">The type name.</param>
    /// <param name="gpu">True when the type has NVIDIA GPUs.</param>
    /// <returns>The AMI type.</returns>
    public static string EksAmiType(string instanceType, bool gpu)
    {
        if (IsAwsNeuron(instanceType))
        {
            return "AL2023_x86_64_NEURON";
        }

        return (IsAwsArm64(instanceType) ? "AL2023_ARM_64_" : "AL2023_x86_64_") + (gpu ? "NVIDIA" : "STANDARD");
    }

    /// <summary>GKE's accelerator names by catalog GPU model; A100 80 GB and H100 Mega depend on the machine family.</summary>
    public static readonly ImmutableSortedDictionary<string, string> GkeAccelerators = new Dictionary<string, string>
    {
        ["A100"] = "nvidia-tesla-a100",
        ["A100-80GB"] = "nvidia-a100-80gb",
        ["B200"] = "nvidia-b200",
        ["H100"] = "nvidia-h100-80gb",
        ["H100-MEGA"] = "nvidia-h100-mega-80gb",
        ["H200"] = "nvidia-h200-141gb",
        ["L4"] = "nvidia-l4",
        ["P100"] = "nvidia-tesla-p100",
        ["P4"] = "nvidia-tesla-p4",
        ["T4"] = "nvidia-tesla-t4",
        ["V100"] = "nvidia-tesla-v100",
    }.ToImmutableSortedDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The GKE accelerator type of a GPU machine type, or null when SkyRay has no name for its GPU model. A2 Ultra
    /// machines carry 80 GB A100s and A3 Mega machines the Mega H100s; otherwise the catalog's GPU model decides.
    /// </summary>
    /// <param name="machineType">The machine type.</param>
    /// <param name="gpuType">The catalog GPU model.</param>
    /// <returns>The accelerator name, or null.</returns>
    public static string? GkeAccelerator(string machineType, string? gpuType)
    {
        ArgumentNullException.ThrowIfNull(machineType);
        var model = machineType.StartsWith("a2-ultragpu", StringComparison.Ordinal) ? "A100-80GB"
            : machineType.StartsWith("a3-megagpu", StringComparison.Ordinal) ? "H100-MEGA"
            : gpuType;
        return model is not null && GkeAccelerators.TryGetValue(model, out var accelerator) ? accelerator : null;
    }
}
