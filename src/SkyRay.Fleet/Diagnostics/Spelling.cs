namespace SkyRay.Fleet.Diagnostics;

/// <summary>"Did you mean …?" suggestions for misspelt keys and values.</summary>
public static class Spelling
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/>: a case-insensitive match first, else the one
    /// within an edit distance of a third of the input's length (at least 2). Ties go to the first in ordinal order.
    /// </summary>
    /// <param name="input">What the user wrote.</param>
    /// <param name="candidates">Accepted spellings.</param>
    /// <returns>The suggestion, or null when nothing is close.</returns>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(candidates);
        var sorted = candidates.Order(StringComparer.Ordinal).ToList();
        var exact = sorted.Find(c => string.Equals(c, input, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        var limit = Math.Max(2, input.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in sorted)
        {
            var d = Distance(input.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (d <= limit && d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return best;
    }

    /// <summary>A hint "did you mean 'X'?" or null when nothing is close.</summary>
    /// <param name="input">What the user wrote.</param>
    /// <param name="candidates">Accepted spellings.</param>
    /// <returns>The hint text, or null.</returns>
    public static string? DidYouMean(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } s ? $"did you mean '{s}'?" : null;

    private static int Distance(string a, string b)
    {
        // Two-row Levenshtein; inputs are short keys, so no need for anything cleverer.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
