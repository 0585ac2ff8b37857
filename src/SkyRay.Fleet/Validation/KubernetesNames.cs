using System.Text.RegularExpressions;

namespace SkyRay.Fleet.Validation;

/// <summary>Kubernetes naming rules (DNS-1123 labels and subdomains, label keys and values). Each check returns what is wrong, or null.</summary>
public static partial class KubernetesNames
{
    /// <summary>Longest DNS-1123 label.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Longest DNS-1123 subdomain.</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>Checks a DNS-1123 label (object names such as clusters, workloads, namespaces).</summary>
    /// <param name="value">The name.</param>
    /// <returns>What is wrong, or null when valid.</returns>
    public static string? CheckDnsLabel(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Length > MaxLabelLength)
        {
            return $"is {value.Length} characters long; at most {MaxLabelLength} are allowed";
        }

        return DnsLabel().IsMatch(value)
            ? null
            : "must be lower-case letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label)";
    }

    /// <summary>Checks a DNS-1123 subdomain (dot-separated labels, at most 253 characters).</summary>
    /// <param name="value">The name.</param>
    /// <returns>What is wrong, or null when valid.</returns>
    public static string? CheckDnsSubdomain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "is empty";
        }

        if (value.Length > MaxSubdomainLength)
        {
            return $"is {value.Length} characters long; at most {MaxSubdomainLength} are allowed";
        }

        return DnsSubdomain().IsMatch(value)
            ? null
            : "must be lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (a DNS-1123 subdomain)";
    }

    /// <summary>Checks a label or taint key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    /// <param name="key">The key.</param>
    /// <returns>What is wrong, or null when valid.</returns>
    public static string? CheckLabelKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            var prefixProblem = CheckDnsSubdomain(prefix);
            if (prefixProblem is not null)
            {
                return $"has a prefix '{Shorten(prefix)}' that {prefixProblem}";
            }
        }

        if (name.Length == 0)
        {
            return "has an empty name part";
        }

        if (name.Length > MaxLabelLength)
        {
            return $"has a name part of {name.Length} characters; at most {MaxLabelLength} are allowed";
        }

        return QualifiedName().IsMatch(name)
            ? null
            : "must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit (optionally prefixed by a DNS subdomain and '/')";
    }

    /// <summary>Checks a label value: empty, or at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit.</summary>
    /// <param name="value">The value.</param>
    /// <returns>What is wrong, or null when valid.</returns>
    public static string? CheckLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > MaxLabelLength)
        {
            return $"is {value.Length} characters long; at most {MaxLabelLength} are allowed";
        }

        return QualifiedName().IsMatch(value)
            ? null
            : "must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    }

    /// <summary>Shortens text for a message so garbage input cannot flood the output.</summary>
    /// <param name="text">Any text.</param>
    /// <returns>At most 60 characters, with control characters escaped.</returns>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= 60 && !text.AsSpan().ContainsAny(ControlCharacters))
        {
            // Nearly every text shown is short and clean: it is shown as it is.
            return text;
        }

        var clean = new string([.. text.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 60 ? clean + "…" : clean;
    }

    /// <summary>What <see cref="char.IsControl(char)"/> is true for: U+0000–U+001F and U+007F–U+009F.</summary>
    private static readonly System.Buffers.SearchValues<char> ControlCharacters =
        System.Buffers.SearchValues.Create([.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)]);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedName();
}
