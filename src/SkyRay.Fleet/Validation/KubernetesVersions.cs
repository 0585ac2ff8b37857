using System.Globalization;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;

namespace SkyRay.Fleet.Validation;

/// <summary>Kubernetes minor versions (<c>1.31</c>) and which ones the managed clouds offer.</summary>
public static partial class KubernetesVersions
{
    /// <summary>Oldest minor version accepted at all.</summary>
    public const int MinMinor = 25;

    /// <summary>Newest minor version accepted at all (leaves room for releases after this catalog was written).</summary>
    public const int MaxMinor = 40;

    /// <summary>
    /// The minor versions SkyRay's version calendar lists per cloud (<see cref="KubernetesCalendar"/>), as text
    /// (<c>aws 1.29–1.35, …</c>); which of them a cloud still creates depends on the day (see the calendar).
    /// </summary>
    public static string SupportText =>
        string.Join(", ", KubernetesCalendar.BuiltIn().Versions
            .GroupBy(v => v.Provider)
            .OrderBy(g => g.Key)
            .Select(g => $"{ProviderNames.Of(g.Key)} 1.{g.Min(v => v.Minor)}–1.{g.Max(v => v.Minor)}"));

    /// <summary>Parses <c>1.N</c> to its minor number.</summary>
    /// <param name="text">The version.</param>
    /// <param name="minor">The minor number.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="hint">How to fix it.</param>
    /// <returns>True when valid and within <see cref="MinMinor"/>–<see cref="MaxMinor"/>.</returns>
    public static bool TryParse(string text, out int minor, out string? problem, out string? hint)
    {
        ArgumentNullException.ThrowIfNull(text);
        minor = 0;
        hint = null;
        var match = Syntax().Match(text);
        if (!match.Success)
        {
            var patch = PatchForm().Match(text);
            problem = $"'{KubernetesNames.Shorten(text)}' is not a Kubernetes minor version";
            hint = patch.Success
                ? $"write the minor version only, e.g. \"1.{patch.Groups[1].Value}\"; the cloud picks the patch release"
                : "write it as \"1.N\", e.g. \"1.31\"";
            return false;
        }

        if (!int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out minor) || minor < MinMinor || minor > MaxMinor)
        {
            problem = $"Kubernetes {KubernetesNames.Shorten(text)} is outside the versions SkyRay accepts (1.{MinMinor}–1.{MaxMinor})";
            hint = $"SkyRay's version calendar lists {SupportText}";
            return false;
        }

        problem = null;
        return true;
    }

    [GeneratedRegex(@"^1\.([0-9]{1,4})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();

    [GeneratedRegex(@"^v?1\.([0-9]{1,4})(\.[0-9]+.*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PatchForm();
}
