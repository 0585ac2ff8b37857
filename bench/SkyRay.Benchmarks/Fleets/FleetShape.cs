namespace SkyRay.Benchmarks.Fleets;

/// <summary>The size and mix of a synthetic fleet.</summary>
/// <param name="Clusters">Number of clusters (spread round-robin over aws, azure, gcp).</param>
/// <param name="Workloads">Number of Ray workloads.</param>
/// <param name="Seed">Random seed; the same shape and seed always give the same fleet.</param>
/// <param name="SingleCopy">
/// Only policies that put each workload on exactly one cluster (no policy, or a provider clusterSelector):
/// the shape the exact CP-SAT model can compare against.
/// </param>
/// <param name="GpuShare">Share of workloads that need GPUs.</param>
/// <param name="StaticShare">Share of clusters that are static (the rest are dynamic, created just in time).</param>
/// <param name="StaticMinNodes">MinNodes of a static cluster's CPU pool (nodes it always runs).</param>
internal sealed record FleetShape(
    int Clusters,
    int Workloads,
    int Seed,
    bool SingleCopy = false,
    double GpuShare = 0.15,
    double StaticShare = 0.4,
    int StaticMinNodes = 1);
