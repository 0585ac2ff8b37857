using System.Collections.Frozen;
using System.Collections.Immutable;

namespace SkyRay.Fleet.Workloads;

/// <summary>
/// Maps the GPU names clouds and device plugins put on nodes (<c>nvidia-l4</c>, <c>NVIDIA-A100-SXM4-80GB</c>,
/// <c>a10g</c>) to the catalog's canonical GPU type names (<c>L4</c>, <c>A100-80GB</c>, <c>A10G</c>).
/// </summary>
public static class GpuTypeNames
{
    /// <summary>
    /// Node label keys whose value names the node's GPU model. Read from a pod's <c>nodeSelector</c> and required
    /// node affinity to learn which GPU type a raw spec asks for.
    /// </summary>
    public static IReadOnlyList<string> NodeLabelKeys { get; } =
    [
        "cloud.google.com/gke-accelerator",
        "karpenter.azure.com/sku-gpu-name",
        "karpenter.k8s.aws/instance-gpu-name",
        "nvidia.com/gpu.product",
    ];

    // Longest and most specific names first: "L40S" must win over "L40" and "L4", "A100…80" over "A100",
    // "GB200" over "B200", "A10G" over "A10".
    private static readonly ImmutableArray<(string Token, string Canonical)> Rules =
    [
        ("GB200", "GB200"),
        ("B200", "B200"),
        ("H200", "H200"),
        ("H100", "H100"),
        ("A100", "A100"),
        ("A10G", "A10G"),
        ("A10", "A10"),
        ("L40S", "L40S"),
        ("L40", "L40"),
        ("L4", "L4"),
        ("T4", "T4"),
        ("V100", "V100"),
        ("P100", "P100"),
        ("P4", "P4"),
        ("K80", "K80"),
    ];

    /// <summary>Generic values that say "some NVIDIA GPU" without naming a model; they imply no type.</summary>
    private static readonly FrozenSet<string> Generic = FrozenSet.Create(StringComparer.Ordinal, "NVIDIA", "GPU", "TRUE", "PRESENT");

    /// <summary>
    /// The canonical GPU type for a node label value or a user-written type, or null when the value names no model
    /// SkyRay knows.
    /// </summary>
    /// <param name="value">A label value or type name, any case (<c>nvidia-tesla-t4</c>, <c>Tesla-T4</c>, <c>t4</c>).</param>
    /// <returns>The canonical name (<c>T4</c>), or null.</returns>
    public static string? Canonicalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var upper = value.Trim().ToUpperInvariant().Replace('_', '-').Replace(' ', '-');
        foreach (var prefix in (string[])["NVIDIA-", "TESLA-"])
        {
            if (upper.StartsWith(prefix, StringComparison.Ordinal))
            {
                upper = upper[prefix.Length..];
            }
        }

        foreach (var (token, canonical) in Rules)
        {
            if (!ContainsToken(upper, token))
            {
                continue;
            }

            // A100 comes in 40 GB and 80 GB; the catalog tells them apart because the 80 GB part fits larger models.
            return canonical == "A100" && upper.Contains("80", StringComparison.Ordinal) ? "A100-80GB" : canonical;
        }

        return null;
    }

    /// <summary>True when the value only says "a GPU" (<c>nvidia</c>, <c>true</c>) rather than naming a model.</summary>
    /// <param name="value">A label value.</param>
    /// <returns>True for generic values.</returns>
    public static bool IsGeneric(string? value) =>
        value is not null && Generic.Contains(value.Trim().ToUpperInvariant());

    // The token must start at a word boundary ("-T4", "T4") and not run into a longer model number ("L40" ≠ "L4").
    private static bool ContainsToken(string text, string token)
    {
        var start = 0;
        while (true)
        {
            var i = text.IndexOf(token, start, StringComparison.Ordinal);
            if (i < 0)
            {
                return false;
            }

            var end = i + token.Length;
            var startOk = i == 0 || !char.IsLetterOrDigit(text[i - 1]);
            var endOk = end == text.Length || !char.IsDigit(text[end]);
            if (startOk && endOk)
            {
                return true;
            }

            start = i + 1;
        }
    }
}
