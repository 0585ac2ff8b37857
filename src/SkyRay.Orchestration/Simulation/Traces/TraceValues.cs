using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SkyRay.Orchestration.Simulation.Traces;

/// <summary>The value syntax traces share in YAML and CSV: durations with days (<c>2d4h30m</c>), times (ISO 8601), replicas.</summary>
public static partial class TraceValues
{
    /// <summary>Longest offset or duration accepted (ten years).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(3650);

    /// <summary>Most replicas a worker group may be given (the stack's own limit).</summary>
    public const int MaxReplicas = 10_000;

    /// <summary>Reads a duration: days, hours, minutes and seconds in that order (<c>90s</c>, <c>1h30m</c>, <c>2d</c>); <c>0</c> only when allowed.</summary>
    /// <param name="text">The text.</param>
    /// <param name="allowZero">True for offsets (an arrival at the start), false for lengths.</param>
    /// <param name="value">The duration.</param>
    /// <param name="problem">What is wrong, or null.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseDuration(string text, bool allowZero, out TimeSpan value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = TimeSpan.Zero;
        problem = null;
        var trimmed = text.Trim();
        if (trimmed == "0")
        {
            problem = allowZero ? null : "must be longer than 0s";
            return allowZero;
        }

        var match = Syntax().Match(trimmed);
        if (trimmed.Length == 0 || !match.Success)
        {
            problem = $"'{Shorten(text)}' is not a duration";
            return false;
        }

        long Part(string name) => match.Groups[name].Success ? long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = (Part("d") * 86_400) + (Part("h") * 3600) + (Part("m") * 60) + Part("s");
        if (seconds > Max.TotalSeconds)
        {
            problem = "is longer than ten years";
            return false;
        }

        if (seconds == 0 && !allowZero)
        {
            problem = "must be longer than 0s";
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Reads an ISO 8601 time (<c>2026-01-05T09:00:00Z</c>); a time without an offset is UTC.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The time.</param>
    /// <returns>True when it is a time with a date.</returns>
    public static bool TryParseTime(string text, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var trimmed = text.Trim();
        return trimmed.Length >= 10 && char.IsAsciiDigit(trimmed[0]) && trimmed[4] == '-'
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Reads replicas: a number for every worker group (<c>8</c>), or per group (<c>gpu-workers=8;cpu=2</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="all">Replicas for every worker group, or null.</param>
    /// <param name="groups">Replicas per group.</param>
    /// <param name="problem">What is wrong, or null.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseReplicas(string text, out int? all, out ImmutableSortedDictionary<string, int> groups, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        all = null;
        groups = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);
        problem = null;
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var number = eq < 0 ? part : part[(eq + 1)..].Trim();
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) || replicas > MaxReplicas)
            {
                problem = $"'{Shorten(part)}' is not a replica count (0 to {MaxReplicas})";
                return false;
            }

            if (eq < 0)
            {
                all = replicas;
            }
            else
            {
                groups = groups.SetItem(part[..eq].Trim(), replicas);
            }
        }

        if (all is null && groups.IsEmpty)
        {
            problem = "no replica count given";
            return false;
        }

        return true;
    }

    /// <summary>Formats a duration the way traces write it (<c>1d2h30m</c>, <c>0s</c>).</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new System.Text.StringBuilder();
        void Part(int amount, char unit)
        {
            if (amount > 0)
            {
                text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(value.Days, 'd');
        Part(value.Hours, 'h');
        Part(value.Minutes, 'm');
        Part(value.Seconds, 's');
        return text.ToString();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^(?:(?<d>[0-9]{1,5})d)?(?:(?<h>[0-9]{1,7})h)?(?:(?<m>[0-9]{1,9})m)?(?:(?<s>[0-9]{1,11})s)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
