using System.Collections.Immutable;

namespace SkyRay.Fleet.Catalog;

/// <summary>
/// Canonical GPU type names used by the catalog and by workloads' <c>gpuType</c>, and the spellings
/// the clouds use for them (GKE accelerator names, marketing names), so a user can write either.
/// </summary>
public static class GpuTypes
{
    /// <summary>NVIDIA A10G (24 GB), AWS g5.</summary>
    public const string A10G = "A10G";

    /// <summary>NVIDIA L4 (24 GB), AWS g6, GCP g2.</summary>
    public const string L4 = "L4";

    /// <summary>NVIDIA A100 40 GB.</summary>
    public const string A100 = "A100";

    /// <summary>NVIDIA A100 80 GB.</summary>
    public const string A100With80GB = "A100-80GB";

    /// <summary>NVIDIA H100 (80 GB SXM, or 94 GB NVL on Azure NC H100 v5).</summary>
    public const string H100 = "H100";

    /// <summary>The canonical names SkyRay knows, sorted.</summary>
    public static ImmutableArray<string> Known { get; } = [A100, A100With80GB, A10G, H100, L4];

    // Other spellings seen in cloud APIs and docs → canonical name (compared case-insensitively).
    private static readonly ImmutableDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["nvidia-a10g"] = A10G,
        ["nvidia-l4"] = L4,
        ["nvidia-tesla-a100"] = A100,
        ["nvidia-a100"] = A100,
        ["a100-40gb"] = A100,
        ["nvidia-a100-80gb"] = A100With80GB,
        ["a100-80g"] = A100With80GB,
        ["a100_80gb"] = A100With80GB,
        ["nvidia-h100-80gb"] = H100,
        ["nvidia-h100"] = H100,
        ["h100-80gb"] = H100,
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Maps a user's spelling to the canonical name: <c>a100</c> → <c>A100</c>, <c>nvidia-l4</c> → <c>L4</c>,
    /// node-label spellings through <see cref="Workloads.GpuTypeNames.Canonicalize"/> (<c>Tesla-T4</c> → <c>T4</c>).
    /// Unknown names come back unchanged (users may add types of their own).
    /// </summary>
    /// <param name="gpuType">A GPU type as written.</param>
    /// <returns>The canonical name, or <paramref name="gpuType"/> trimmed when it is not a known spelling.</returns>
    public static string Canonical(string gpuType)
    {
        ArgumentNullException.ThrowIfNull(gpuType);
        var trimmed = gpuType.Trim();
        foreach (var known in Known)
        {
            if (string.Equals(known, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        if (Aliases.TryGetValue(trimmed, out var canonical))
        {
            return canonical;
        }

        // Node-label spellings (NVIDIA-A100-SXM4-80GB, Tesla-T4, …) are known to the workload reader; one mapping, not two.
        return Workloads.GpuTypeNames.Canonicalize(trimmed) ?? trimmed;
    }

    /// <summary>
    /// True when a GPU of type <paramref name="offered"/> satisfies a request for <paramref name="requested"/>:
    /// the same type, or the bigger-memory variant of the requested model (a request for <c>A100</c> is met by
    /// <c>A100-80GB</c>; a request for <c>A100-80GB</c> is not met by <c>A100</c>). A null request means any GPU.
    /// </summary>
    /// <param name="requested">Requested type (canonical or any known spelling), or null for any.</param>
    /// <param name="offered">The type an instance has.</param>
    /// <returns>True when the offered GPU can run the request.</returns>
    public static bool Satisfies(string? requested, string? offered)
    {
        if (offered is null)
        {
            return false;
        }

        if (requested is null)
        {
            return true;
        }

        var want = Canonical(requested);
        var have = Canonical(offered);
        return string.Equals(want, have, StringComparison.Ordinal) ||
               have.StartsWith(want + "-", StringComparison.Ordinal);
    }
}
