using System.Globalization;
using System.Text.RegularExpressions;

namespace SkyRay.Fleet.Validation;

/// <summary>Durations written like Go's (<c>90s</c>, <c>30m</c>, <c>1h30m</c>): hours, minutes and seconds in that order.</summary>
public static partial class Durations
{
    /// <summary>Longest duration accepted (30 days).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(30);

    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration.</param>
    /// <param name="problem">What is wrong.</param>
    /// <returns>True when valid, above zero and at most <see cref="Max"/>.</returns>
    public static bool TryParse(string text, out TimeSpan value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = TimeSpan.Zero;
        problem = null;
        var match = Syntax().Match(text);
        if (text.Length == 0 || !match.Success)
        {
            problem = "is not a duration";
            return false;
        }

        long Part(string name) => match.Groups[name].Success ? long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = (Part("h") * 3600) + (Part("m") * 60) + Part("s");
        if (seconds <= 0)
        {
            problem = "must be longer than 0s";
            return false;
        }

        if (seconds > Max.TotalSeconds)
        {
            problem = $"is longer than {Max.TotalHours}h (30 days)";
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    [GeneratedRegex(@"^(?:(?<h>[0-9]{1,7})h)?(?:(?<m>[0-9]{1,9})m)?(?:(?<s>[0-9]{1,11})s)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
