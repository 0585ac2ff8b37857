using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace SkyRay.Fleet.Validation;

/// <summary>Kubernetes resource quantities (<c>500m</c>, <c>4</c>, <c>16Gi</c>, <c>1e3</c>), parsed with KubernetesClient's <see cref="ResourceQuantity"/>.</summary>
public static partial class Quantities
{
    /// <summary>Largest CPU request per pod SkyRay accepts (cores); bigger values are typos, and bounding them keeps sums from overflowing.</summary>
    public const int MaxCpuCores = 1024;

    /// <summary>Largest memory request per pod SkyRay accepts (64 TiB).</summary>
    public const long MaxMemoryBytes = 64L * 1024 * 1024 * 1024 * 1024;

    /// <summary>Parses a quantity to its exact value.</summary>
    /// <param name="text">The quantity as written.</param>
    /// <param name="value">The value in base units (cores, bytes).</param>
    /// <param name="problem">What is wrong, when the result is false.</param>
    /// <returns>True when <paramref name="text"/> is a non-negative quantity within ±10^18.</returns>
    public static bool TryParse(string text, out decimal value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Parsed.TryGetValue(text, out var known))
        {
            (value, problem) = (known.Value, known.Problem);
            return known.Ok;
        }

        var ok = Parse(text, out value, out problem);
        if (Parsed.Count < MaxRemembered)
        {
            Parsed.TryAdd(text, (ok, value, problem));
        }

        return ok;
    }

    // A stack of 20,000 workloads writes a few dozen distinct quantities; KubernetesClient's parser (exact fractions)
    // is most of reading a workload's resources, so each text's answer is kept (the answer depends on the text alone).
    private const int MaxRemembered = 4_096;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (bool Ok, decimal Value, string? Problem)> Parsed = new(StringComparer.Ordinal);

    private static bool Parse(string text, out decimal value, out string? problem)
    {
        value = 0;
        problem = null;

        // The syntax check comes first: ResourceQuantity throws on bad input and does unbounded
        // arithmetic on huge exponents, so only well-formed, bounded text reaches it.
        var match = Syntax().Match(text);
        if (text.Length > 40 || !match.Success)
        {
            problem = "is not a Kubernetes quantity";
            return false;
        }

        if (match.Groups["exp"].Success &&
            (!int.TryParse(match.Groups["exp"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > 18))
        {
            problem = "has an exponent out of range (at most e18)";
            return false;
        }

        if (text.StartsWith('-'))
        {
            problem = "is negative";
            return false;
        }

        try
        {
            value = new ResourceQuantity(text).ToDecimal();
        }
#pragma warning disable CA1031 // A third-party parser: whatever it throws means "not a usable quantity".
        catch (Exception)
#pragma warning restore CA1031
        {
            problem = "is not a Kubernetes quantity KubernetesClient can read";
            return false;
        }

        if (value > 1e18m)
        {
            problem = "is too large";
            return false;
        }

        return true;
    }

    /// <summary>Parses a CPU quantity to millicores (rounded up, as Kubernetes does).</summary>
    /// <param name="text">The quantity.</param>
    /// <param name="millis">Millicores.</param>
    /// <param name="problem">What is wrong.</param>
    /// <returns>True when valid, above zero and at most <see cref="MaxCpuCores"/>.</returns>
    public static bool TryParseCpu(string text, out long millis, out string? problem)
    {
        millis = 0;
        if (!TryParse(text, out var cores, out problem))
        {
            return false;
        }

        if (cores <= 0)
        {
            problem = "must be more than 0";
            return false;
        }

        if (cores > MaxCpuCores)
        {
            problem = $"is {cores.ToString(CultureInfo.InvariantCulture)} cores; at most {MaxCpuCores} per pod are accepted";
            return false;
        }

        millis = (long)Math.Ceiling(cores * 1000);
        return true;
    }

    /// <summary>Parses a memory quantity to bytes (rounded up).</summary>
    /// <param name="text">The quantity.</param>
    /// <param name="bytes">Bytes.</param>
    /// <param name="problem">What is wrong.</param>
    /// <returns>True when valid, above zero and at most <see cref="MaxMemoryBytes"/>.</returns>
    public static bool TryParseMemory(string text, out long bytes, out string? problem)
    {
        bytes = 0;
        if (!TryParse(text, out var value, out problem))
        {
            return false;
        }

        if (value <= 0)
        {
            problem = "must be more than 0";
            return false;
        }

        if (value > MaxMemoryBytes)
        {
            problem = "is more than 64Ti per pod";
            return false;
        }

        bytes = (long)Math.Ceiling(value);
        return true;
    }

    /// <summary>Formats millicores for messages (<c>3.5</c>).</summary>
    /// <param name="millis">Millicores.</param>
    /// <returns>Cores as text.</returns>
    public static string FormatCpu(long millis) => (millis / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Formats bytes for messages (<c>15.5Gi</c>).</summary>
    /// <param name="bytes">Bytes.</param>
    /// <returns>GiB as text.</returns>
    public static string FormatMemory(long bytes) => (bytes / (1024m * 1024 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + "Gi";

    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE](?<exp>[+-]?[0-9]+))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
