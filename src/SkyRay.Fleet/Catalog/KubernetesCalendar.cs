using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;

namespace SkyRay.Fleet.Catalog;

/// <summary>
/// How long one managed cloud supports one Kubernetes minor version. "Extended" means what each cloud offers after
/// standard support: EKS extended support (on by default, extra cost), AKS long-term support (the
/// <c>AKSLongTermSupport</c> plan on the Premium tier), GKE's Extended release channel.
/// </summary>
/// <param name="Provider">The cloud.</param>
/// <param name="Minor">The minor version (35 for 1.35).</param>
/// <param name="Released">When the cloud made it generally available.</param>
/// <param name="EndOfStandardSupport">The first day without standard support (EKS), community support (AKS) or
/// standard support (GKE): from this day the cloud creates the version only with the extended offer.</param>
/// <param name="EndOfExtendedSupport">The first day the cloud creates the version under no offer at all.</param>
/// <param name="Source">Where the dates come from (the calendar file's per-version note).</param>
public sealed record KubernetesVersionSupport(
    CloudProvider Provider, int Minor, DateOnly Released, DateOnly EndOfStandardSupport, DateOnly EndOfExtendedSupport, string Source)
{
    /// <summary>The version as written in config (<c>1.35</c>).</summary>
    public string Version => "1." + Minor.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The Kubernetes versions each managed cloud creates clusters on, with the dates support ends: catalog data
/// (embedded <c>kubernetes-versions.json</c>) with the source of every date, read once. docs/deploy.md shows the
/// same table.
/// </summary>
public sealed class KubernetesCalendar
{
    /// <summary>Name of the embedded resource.</summary>
    public const string ResourceName = "SkyRay.Fleet.Catalog.kubernetes-versions.json";

    private static readonly Lazy<KubernetesCalendar> Embedded = new(LoadEmbedded);

    private readonly ImmutableSortedDictionary<(CloudProvider, int), KubernetesVersionSupport> _byVersion;

    /// <summary>Creates a calendar from entries (tests build their own).</summary>
    /// <param name="asOf">The day the data was last checked.</param>
    /// <param name="versions">One entry per cloud and minor version.</param>
    /// <param name="sources">The document each cloud's dates come from.</param>
    public KubernetesCalendar(DateOnly asOf, IEnumerable<KubernetesVersionSupport> versions, IReadOnlyDictionary<CloudProvider, string> sources)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(sources);
        AsOf = asOf;
        _byVersion = versions.ToImmutableSortedDictionary(v => (v.Provider, v.Minor), v => v);
        Versions = [.. _byVersion.Values];
        Sources = sources.ToImmutableSortedDictionary();
    }

    /// <summary>The calendar shipped with SkyRay.</summary>
    /// <returns>The built-in calendar.</returns>
    public static KubernetesCalendar BuiltIn() => Embedded.Value;

    /// <summary>The day the data was last checked against the clouds' documents.</summary>
    public DateOnly AsOf { get; }

    /// <summary>Every entry, by cloud then minor version.</summary>
    public ImmutableArray<KubernetesVersionSupport> Versions { get; }

    /// <summary>Per cloud, the document its dates come from.</summary>
    public ImmutableSortedDictionary<CloudProvider, string> Sources { get; }

    /// <summary>The entry of a cloud and minor version, or null when the calendar does not list it.</summary>
    /// <param name="provider">The cloud.</param>
    /// <param name="minor">The minor version.</param>
    /// <returns>The entry or null.</returns>
    public KubernetesVersionSupport? Find(CloudProvider provider, int minor) =>
        _byVersion.TryGetValue((provider, minor), out var entry) ? entry : null;

    /// <summary>The newest minor version the calendar lists for a cloud, or null when it lists none.</summary>
    /// <param name="provider">The cloud.</param>
    /// <returns>The minor version or null.</returns>
    public int? Newest(CloudProvider provider) =>
        Versions.Where(v => v.Provider == provider).Select(v => (int?)v.Minor).Max();

    /// <summary>Versions a cloud has released and still supports under its standard offer on <paramref name="today"/>.</summary>
    /// <param name="provider">The cloud.</param>
    /// <param name="today">The day.</param>
    /// <returns>Entries, oldest first.</returns>
    public ImmutableArray<KubernetesVersionSupport> Current(CloudProvider provider, DateOnly today) =>
        [.. Versions.Where(v => v.Provider == provider && v.Released <= today && today < v.EndOfStandardSupport)];

    /// <summary>The current versions as text (<c>1.34, 1.35</c>), or a note when the calendar has none left.</summary>
    /// <param name="provider">The cloud.</param>
    /// <param name="today">The day.</param>
    /// <returns>Plain words.</returns>
    public string CurrentText(CloudProvider provider, DateOnly today)
    {
        var current = Current(provider, today);
        return current.IsEmpty
            ? $"none in SkyRay's calendar (checked {Format(AsOf)}); see the cloud's version list"
            : string.Join(", ", current.Select(v => v.Version));
    }

    /// <summary>A date as written in messages (<c>2026-11-30</c>).</summary>
    /// <param name="date">The date.</param>
    /// <returns>ISO 8601.</returns>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static KubernetesCalendar LoadEmbedded()
    {
        using var stream = typeof(KubernetesCalendar).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the SkyRay.Fleet assembly");
        var root = JsonNode.Parse(stream) as JsonObject
            ?? throw new InvalidOperationException($"{ResourceName} must hold a JSON object");
        return Parse(root);
    }

    /// <summary>Reads the calendar file's JSON.</summary>
    /// <param name="root">The file's root object.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="InvalidOperationException">The file is malformed (it ships with SkyRay; tests read it).</exception>
    internal static KubernetesCalendar Parse(JsonObject root)
    {
        static DateOnly Date(JsonNode? node, string what) =>
            DateOnly.TryParseExact(node?.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw new InvalidOperationException($"kubernetes-versions.json: {what} is not a yyyy-MM-dd date");

        var providers = new Dictionary<string, CloudProvider>(StringComparer.Ordinal)
        {
            ["aws"] = CloudProvider.Aws,
            ["azure"] = CloudProvider.Azure,
            ["gcp"] = CloudProvider.Gcp,
        };
        var sources = new Dictionary<CloudProvider, string>();
        foreach (var (key, value) in root["sources"]?.AsObject() ?? [])
        {
            sources[providers[key]] = value!.GetValue<string>();
        }

        var versions = new List<KubernetesVersionSupport>();
        foreach (var node in root["versions"]?.AsArray() ?? [])
        {
            var entry = node!.AsObject();
            var provider = providers[entry["provider"]!.GetValue<string>()];
            var version = entry["version"]!.GetValue<string>();
            var minor = int.Parse(version["1.".Length..], NumberStyles.None, CultureInfo.InvariantCulture);
            var support = new KubernetesVersionSupport(
                provider,
                minor,
                Date(entry["released"], version + " released"),
                Date(entry["endOfStandardSupport"], version + " endOfStandardSupport"),
                Date(entry["endOfExtendedSupport"], version + " endOfExtendedSupport"),
                entry["source"]?.GetValue<string>() ?? "");
            if (support.EndOfStandardSupport > support.EndOfExtendedSupport || support.Released > support.EndOfStandardSupport)
            {
                throw new InvalidOperationException($"kubernetes-versions.json: {provider} {version} has its dates out of order");
            }

            versions.Add(support);
        }

        return new KubernetesCalendar(Date(root["asOf"], "asOf"), versions, sources);
    }
}
