namespace SkyRay.Fleet.Catalog;

/// <summary>One instance type of the catalog.</summary>
/// <param name="Name">Provider's name (<c>g5.xlarge</c>, <c>Standard_NC24ads_A100_v4</c>, <c>g2-standard-8</c>).</param>
/// <param name="Provider">aws, azure or gcp (lower case).</param>
/// <param name="VCpus">vCPUs.</param>
/// <param name="MemoryGiB">Memory in GiB.</param>
/// <param name="Gpus">GPU count (0 for CPU types).</param>
/// <param name="GpuType">GPU model (<c>A10G</c>, <c>L4</c>, <c>A100</c>, <c>H100</c>) or null.</param>
/// <param name="HourlyUsd">On-demand price per hour in USD in the reference region.</param>
/// <param name="GpuMemoryGiB">Memory of one GPU in GiB, or null when unknown or the type has no GPU.</param>
public sealed record InstanceType(
    string Name,
    string Provider,
    int VCpus,
    double MemoryGiB,
    int Gpus,
    string? GpuType,
    decimal HourlyUsd,
    double? GpuMemoryGiB = null)
{
    /// <summary>True when the type has at least one GPU.</summary>
    public bool HasGpu => Gpus > 0;
}
