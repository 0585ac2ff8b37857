using System.Globalization;

namespace SkyRay.Orchestration.Upgrades;

/// <summary>Compares Kubernetes minor versions (<c>1.31</c>).</summary>
internal static class Versions
{
    /// <summary>True when <paramref name="version"/> is an older minor than <paramref name="than"/>; false when either is not <c>MAJOR.MINOR</c>.</summary>
    public static bool Older(string version, string than) =>
        Parse(version) is { } a && Parse(than) is { } b && (a.Major < b.Major || (a.Major == b.Major && a.Minor < b.Minor));

    private static (int Major, int Minor)? Parse(string text)
    {
        var parts = text.Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? (major, minor)
            : null;
    }
}
