using System.Collections.Immutable;
using SkyRay.Fleet.Policies;

namespace SkyRay.Placement.Labels;

/// <summary>Kubernetes label selector semantics (matchLabels AND matchExpressions), with plain-words explanations.</summary>
public static class SelectorMatch
{
    /// <summary>True when every matchLabels entry and every expression holds for <paramref name="labels"/>.</summary>
    /// <param name="selector">The selector.</param>
    /// <param name="labels">The labels.</param>
    /// <returns>True on a match.</returns>
    public static bool Matches(LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        // The answer of FirstMismatch(...) is null, without writing the explanation of a mismatch: policy scopes ask
        // this for every cluster of every consolidate trial's setup, and read the explanation only for verdicts.
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (key, value) in selector.MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions)
        {
            if (!Holds(requirement, labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Describes the first requirement <paramref name="labels"/> fail, or null when they match.</summary>
    /// <param name="selector">The selector.</param>
    /// <param name="labels">The labels.</param>
    /// <returns>E.g. <c>needs cluster.class=production, has development</c>; null on a match.</returns>
    public static string? FirstMismatch(LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (key, value) in selector.MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual))
            {
                return $"needs {key}={value}, label absent";
            }

            if (!string.Equals(actual, value, StringComparison.Ordinal))
            {
                return $"needs {key}={value}, has {actual}";
            }
        }

        foreach (var requirement in selector.MatchExpressions)
        {
            var mismatch = Mismatch(requirement, labels);
            if (mismatch is not null)
            {
                return mismatch;
            }
        }

        return null;
    }

    /// <summary>
    /// Position of the cluster in an ordered selector: the index of its value in the first <c>In</c> expression
    /// (the order written is the preference), 0 when the selector has no <c>In</c> expression.
    /// </summary>
    /// <param name="selector">The ordered selector.</param>
    /// <param name="labels">Labels of a cluster that matches it.</param>
    /// <returns>The rank, 0 is the most preferred.</returns>
    public static int Rank(LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var requirement in selector.MatchExpressions)
        {
            if (requirement.Operator == SelectorOperator.In && labels.TryGetValue(requirement.Key, out var value))
            {
                var index = requirement.Values.IndexOf(value, StringComparer.Ordinal);
                return index < 0 ? 0 : index;
            }
        }

        return 0;
    }

    /// <summary>Whether the requirement holds for the labels: the one decision, which <see cref="Mismatch"/> only puts in words.</summary>
    private static bool Holds(SelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(requirement.Key, out var actual);
        return requirement.Operator switch
        {
            SelectorOperator.In => has && requirement.Values.Contains(actual!, StringComparer.Ordinal),
            SelectorOperator.NotIn => !(has && requirement.Values.Contains(actual!, StringComparer.Ordinal)),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
            _ => false,
        };
    }

    private static string? Mismatch(SelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        if (Holds(requirement, labels))
        {
            return null;
        }

        var has = labels.TryGetValue(requirement.Key, out var actual);
        return requirement.Operator switch
        {
            SelectorOperator.In => has
                ? $"needs {requirement.Key} in [{Join(requirement.Values)}], has {actual}"
                : $"needs {requirement.Key} in [{Join(requirement.Values)}], label absent",
            SelectorOperator.NotIn => $"needs {requirement.Key} not in [{Join(requirement.Values)}], has {actual}",
            SelectorOperator.Exists => $"needs label {requirement.Key}, absent",
            SelectorOperator.DoesNotExist => $"needs no label {requirement.Key}, has {actual}",
            _ => $"unknown operator {requirement.Operator}",
        };
    }

    private static string Join(ImmutableArray<string> values) => string.Join(", ", values);
}
