using System.Collections.Frozen;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;

namespace SkyRay.KubeRay.Validation;

/// <summary>
/// Checks the Helm values a user sets under <c>skyray:kuberay.values</c> against the keys of the kuberay-operator
/// chart: a key the chart does not know is a warning at its config path with a "did you mean" (Helm ignores it
/// silently, so a typo like <c>singleNamespaceInstal</c> would otherwise pass unnoticed).
/// <para>
/// The keys ship with SkyRay as an embedded list (<c>kuberay-operator-&lt;version&gt;.keys</c>), one dotted path a
/// line, <c>x.*</c> meaning any key below <c>x</c> (free-form maps such as <c>labels</c>, and the Kubernetes objects the
/// chart writes out whole, <c>resources</c> and <c>securityContext</c>). A test regenerates the list from the chart's
/// values.yaml (plus the keys its comments document: <c>watchNamespace</c>, <c>useKubernetesProxy</c>) and fails when
/// they drift. Only chart versions with a list are checked; others are skipped.
/// </para>
/// </summary>
public static class OperatorValuesCheck
{
    /// <summary>The config path of the values.</summary>
    public const string ValuesPath = "skyray:kuberay.values";

    /// <summary>The chart versions whose keys SkyRay knows.</summary>
    public static IReadOnlyList<string> KnownChartVersions { get; } = ["1.7.0"];

    private static readonly Lazy<FrozenDictionary<string, FrozenSet<string>>> KeysByVersion = new(() =>
        KnownChartVersions.ToFrozenDictionary(v => v, v => Parse(ReadResource(v)).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal));

    /// <summary>The embedded resource name of a chart version's key list.</summary>
    /// <param name="chartVersion">The chart version.</param>
    /// <returns>The resource name.</returns>
    public static string ResourceName(string chartVersion) => $"SkyRay.KubeRay.Validation.kuberay-operator-{chartVersion}.keys";

    /// <summary>The key list of a chart version, or null when SkyRay has none.</summary>
    /// <param name="chartVersion">The chart version.</param>
    /// <returns>The dotted key paths (open maps as <c>x.*</c>).</returns>
    public static IReadOnlySet<string>? Keys(string chartVersion) =>
        KeysByVersion.Value.TryGetValue(chartVersion, out var keys) ? keys : null;

    /// <summary>Parses a key list: one key a line; blank lines and <c>#</c> comments skipped.</summary>
    /// <param name="text">The list's text.</param>
    /// <returns>The keys.</returns>
    public static IEnumerable<string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'));
    }

    /// <summary>Warns on every key of the user's values the chart does not know.</summary>
    /// <param name="settings">The operator settings (chart version and values).</param>
    /// <param name="diagnostics">Where warnings go.</param>
    public static void Check(KubeRaySettings settings, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (Keys(settings.ChartVersion) is { } keys)
        {
            Check(settings.Values, keys, settings.ChartVersion, diagnostics);
        }
    }

    /// <summary>Warns on every key of <paramref name="values"/> not in <paramref name="keys"/>.</summary>
    /// <param name="values">The user's values.</param>
    /// <param name="keys">The chart's keys.</param>
    /// <param name="chartVersion">The chart version (for the message).</param>
    /// <param name="diagnostics">Where warnings go.</param>
    public static void Check(JsonObject values, IReadOnlySet<string> keys, string chartVersion, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(diagnostics);
        Walk(values, "", ValuesPath, keys, chartVersion, diagnostics);
    }

    private static void Walk(JsonObject map, string prefix, string path, IReadOnlySet<string> keys, string chartVersion, DiagnosticBag diagnostics)
    {
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var full = prefix.Length == 0 ? key : $"{prefix}.{key}";
            var at = ConfigPath(path, key);
            if (keys.Contains(full + ".*"))
            {
                continue;
            }

            if (!keys.Contains(full))
            {
                var siblings = keys
                    .Where(k => prefix.Length == 0 ? !k.Contains('.', StringComparison.Ordinal) : k.StartsWith(prefix + ".", StringComparison.Ordinal) && !k[(prefix.Length + 1)..].Contains('.', StringComparison.Ordinal))
                    .Select(k => prefix.Length == 0 ? k : k[(prefix.Length + 1)..])
                    .ToList();
                diagnostics.Warning(
                    at,
                    $"the kuberay-operator {chartVersion} chart has no value '{KubernetesNames.Shorten(full)}'; Helm ignores it",
                    Suggestions.DidYouMean(key, siblings) ?? "see the chart's values.yaml for the keys it reads");
                continue;
            }

            if (value is JsonObject child && keys.Any(k => k.StartsWith(full + ".", StringComparison.Ordinal)))
            {
                Walk(child, full, at, keys, chartVersion, diagnostics);
            }
        }
    }

    private static string ConfigPath(string parent, string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? $"{parent}.{key}" : $"{parent}[\"{KubernetesNames.Shorten(key)}\"]";

    private static string ReadResource(string chartVersion)
    {
        using var stream = typeof(OperatorValuesCheck).Assembly.GetManifestResourceStream(ResourceName(chartVersion))
            ?? throw new InvalidOperationException($"embedded key list {ResourceName(chartVersion)} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
