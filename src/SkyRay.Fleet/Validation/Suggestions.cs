namespace SkyRay.Fleet.Validation;

/// <summary>"Did you mean" for misspelt keys and values, by edit distance.</summary>
public static class Suggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/>, or null when none is close enough to be a likely typo
    /// (case-insensitive Damerau–Levenshtein distance at most a third of the word, at least 1; ties go to the first in ordinal order).
    /// </summary>
    /// <param name="input">What the user wrote.</param>
    /// <param name="candidates">The valid spellings.</param>
    /// <returns>The suggestion, or null.</returns>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(candidates);

        // Long inputs are not typos of short keys; bounding the length also bounds the work on garbage input.
        if (input.Length > 100)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Order(StringComparer.Ordinal))
        {
            var limit = Math.Max(1, Math.Max(candidate.Length, input.Length) / 3);
            var distance = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The hint "did you mean 'x'?", or null when nothing is close.</summary>
    /// <param name="input">What the user wrote.</param>
    /// <param name="candidates">The valid spellings.</param>
    /// <returns>The hint text, or null.</returns>
    public static string? DidYouMean(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } closest ? $"did you mean '{closest}'?" : null;

    /// <summary>A hint of the form "did you mean 'x'?", or the list of valid values when nothing is close.</summary>
    /// <param name="input">What the user wrote.</param>
    /// <param name="candidates">The valid spellings.</param>
    /// <param name="what">What the candidates are ("keys", "providers").</param>
    /// <returns>The hint.</returns>
    public static string Hint(string input, IReadOnlyCollection<string> candidates, string what)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var closest = Closest(input, candidates);
        if (closest is not null)
        {
            return $"did you mean '{closest}'?";
        }

        var sorted = candidates.Order(StringComparer.Ordinal).ToList();
        return sorted.Count <= 12
            ? $"valid {what}: {string.Join(", ", sorted)}"
            : $"valid {what} include: {string.Join(", ", sorted.Take(12))}, …";
    }

    /// <summary>Optimal string alignment distance (insert, delete, substitute, swap two neighbours).</summary>
    /// <param name="a">First word.</param>
    /// <param name="b">Second word.</param>
    /// <returns>The number of edits.</returns>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
