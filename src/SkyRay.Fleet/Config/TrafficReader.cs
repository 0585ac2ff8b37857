using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Fleet.Config;

/// <summary>Reads and checks <c>skyray:traffic</c>: record name → {workload, dns}.</summary>
internal static class TrafficReader
{
    /// <summary>Default TTL: short, so a swap reaches clients within a minute.</summary>
    public const int DefaultTtl = 60;

    private const string Path = "skyray:traffic";

    private static readonly ImmutableArray<string> Keys = ["dns", "workload"];

    private static readonly ImmutableArray<string> DnsKeys = ["name", "project", "provider", "resourceGroup", "ttl", "zone"];

    private static readonly FrozenDictionary<string, DnsProvider> Providers = new Dictionary<string, DnsProvider>
    {
        ["route53"] = DnsProvider.Route53,
        ["azure-dns"] = DnsProvider.AzureDns,
        ["cloud-dns"] = DnsProvider.CloudDns,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The cloud whose credentials manage records of a DNS provider.</summary>
    public static CloudProvider CloudOf(DnsProvider provider) => provider switch
    {
        DnsProvider.Route53 => CloudProvider.Aws,
        DnsProvider.AzureDns => CloudProvider.Azure,
        _ => CloudProvider.Gcp,
    };

    /// <summary>The config word of a DNS provider.</summary>
    public static string Word(DnsProvider provider) => Providers.First(p => p.Value == provider).Key;

    /// <summary>Reads the records and checks their references; problems go to the reader's bag.</summary>
    /// <param name="node">The <c>skyray:traffic</c> value, or null.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    /// <param name="clusters">Clusters read (for the DNS provider's cloud).</param>
    /// <param name="workloads">Workloads read (the record's RayService).</param>
    /// <param name="clustersClean">False when clusters had errors; the cloud check is then skipped rather than guessed.</param>
    /// <returns>Records by name; broken ones are left out.</returns>
    public static ImmutableSortedDictionary<string, TrafficSpec> Read(
        JsonNode? node,
        ConfigReader reader,
        ImmutableSortedDictionary<string, ClusterSpec> clusters,
        ImmutableSortedDictionary<string, WorkloadSpec> workloads,
        bool clustersClean)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, TrafficSpec>(StringComparer.Ordinal);
        if (node is null || reader.Map(node, Path, "traffic records by name") is not { } records)
        {
            return result.ToImmutable();
        }

        var dnsNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, entry) in records.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var at = ConfigReader.Child(Path, name);
            if (ReadOne(name, entry, at, reader, clusters, workloads, clustersClean) is not { } record)
            {
                continue;
            }

            if (dnsNames.TryGetValue(record.Dns.Name, out var first))
            {
                reader.Diagnostics.Error(
                    ConfigReader.Child(ConfigReader.Child(at, "dns"), "name"),
                    $"DNS name '{KubernetesNames.Shorten(record.Dns.Name)}' is already managed by traffic record '{first}'",
                    "one record per DNS name; to serve several RayServices behind one name, give each its own name");
                continue;
            }

            dnsNames[record.Dns.Name] = name;
            result[name] = record;
        }

        return result.ToImmutable();
    }

    private static TrafficSpec? ReadOne(
        string name,
        JsonNode? node,
        string at,
        ConfigReader reader,
        ImmutableSortedDictionary<string, ClusterSpec> clusters,
        ImmutableSortedDictionary<string, WorkloadSpec> workloads,
        bool clustersClean)
    {
        var d = reader.Diagnostics;
        if (KubernetesNames.CheckDnsLabel(name) is { } nameProblem)
        {
            d.Error(at, $"traffic record name '{KubernetesNames.Shorten(name)}' {nameProblem}", "use a name like 'llm' or 'chat-api'");
        }

        if (reader.Map(node, at, "a traffic record") is not { } map)
        {
            return null;
        }

        reader.KnownKeys(map, at, Keys);
        var workload = reader.String(map, "workload", at, required: true, example: "llm-serve");
        if (workload is not null)
        {
            var workloadPath = ConfigReader.Child(at, "workload");
            if (!workloads.TryGetValue(workload, out var target))
            {
                d.Error(
                    workloadPath,
                    $"workload '{KubernetesNames.Shorten(workload)}' is not declared",
                    workloads.IsEmpty ? "declare it under skyray:workloads" : Suggestions.Hint(workload, [.. workloads.Keys], "workloads"));
                workload = null;
            }
            else if (target.Kind != RayKind.RayService)
            {
                d.Error(
                    workloadPath,
                    $"workload '{workload}' is a {target.Kind}; a traffic record points at a RayService's serve endpoint",
                    "name a workload of kind RayService");
                workload = null;
            }
        }

        var dnsPath = ConfigReader.Child(at, "dns");
        DnsRecordSpec? dns = null;
        if (map["dns"] is null)
        {
            d.Error(dnsPath, "'dns' is required", "for example: dns: {provider: route53, zone: Z0123456789ABC, name: llm.example.com}");
        }
        else if (reader.Map(map["dns"], dnsPath, "DNS record settings") is { } dnsMap)
        {
            dns = ReadDns(dnsMap, dnsPath, reader, clusters, clustersClean);
        }

        return workload is null || dns is null ? null : new TrafficSpec(name, workload, dns);
    }

    private static DnsRecordSpec? ReadDns(
        JsonObject map, string at, ConfigReader reader, ImmutableSortedDictionary<string, ClusterSpec> clusters, bool clustersClean)
    {
        var d = reader.Diagnostics;
        reader.KnownKeys(map, at, DnsKeys);
        var provider = reader.Enum(map, "provider", at, Providers, required: true);
        var zone = reader.String(map, "zone", at, required: true, example: ZoneExample(provider));
        var recordName = reader.String(map, "name", at, required: true, example: "llm.example.com");
        var ttl = reader.Int(map, "ttl", at, 1, 86400) ?? DefaultTtl;
        var resourceGroup = reader.String(map, "resourceGroup", at, required: provider == DnsProvider.AzureDns, example: "dns-rg");
        var project = reader.String(map, "project", at, example: "my-project");
        if (recordName is not null)
        {
            recordName = recordName.TrimEnd('.');
            var problem = KubernetesNames.CheckDnsSubdomain(recordName);
            if (problem is not null || !recordName.Contains('.', StringComparison.Ordinal))
            {
                d.Error(ConfigReader.Child(at, "name"), $"'{KubernetesNames.Shorten(recordName)}' is not a fully qualified DNS name{(problem is null ? "" : ": " + problem)}", "write the full name, e.g. llm.example.com");
                recordName = null;
            }
        }

        if (provider is { } p)
        {
            if (map.ContainsKey("resourceGroup") && p != DnsProvider.AzureDns)
            {
                d.Error(ConfigReader.Child(at, "resourceGroup"), $"resourceGroup is for azure-dns, not {Word(p)}", "remove it");
            }

            if (map.ContainsKey("project") && p != DnsProvider.CloudDns)
            {
                d.Error(ConfigReader.Child(at, "project"), $"project is for cloud-dns, not {Word(p)}", "remove it");
            }

            if (p == DnsProvider.AzureDns && zone is not null && recordName is not null && !recordName.EndsWith("." + zone.TrimEnd('.'), StringComparison.Ordinal))
            {
                d.Error(ConfigReader.Child(at, "name"), $"'{KubernetesNames.Shorten(recordName)}' is not inside the Azure DNS zone '{KubernetesNames.Shorten(zone)}'", $"write a name ending in .{zone.TrimEnd('.')}");
            }

            // The record is written with the stack's credentials of the DNS provider's cloud, which the program has only
            // for clouds it deploys clusters to.
            var cloud = CloudOf(p);
            if (clustersClean && !clusters.Values.Any(c => c.Provider == cloud))
            {
                var clouds = clusters.Values.Select(c => c.Provider).Where(c => c != CloudProvider.Existing).Distinct().Order().ToList();
                d.Error(
                    ConfigReader.Child(at, "provider"),
                    $"{Word(p)} records are written with the stack's {ProviderNames.Of(cloud)} credentials, and no cluster of this fleet is on {ProviderNames.Of(cloud)}",
                    clouds.Count == 0
                        ? "traffic records need a cluster on the DNS provider's cloud"
                        : "use the DNS of a cloud the fleet runs on: " + string.Join(", ", clouds.Select(c => Word(DnsOf(c)))));
            }
        }

        return provider is null || zone is null || recordName is null ? null
            : new DnsRecordSpec(provider.Value, zone, recordName, ttl, provider == DnsProvider.AzureDns ? resourceGroup : null, provider == DnsProvider.CloudDns ? project : null);
    }

    private static DnsProvider DnsOf(CloudProvider cloud) => cloud switch
    {
        CloudProvider.Aws => DnsProvider.Route53,
        CloudProvider.Azure => DnsProvider.AzureDns,
        _ => DnsProvider.CloudDns,
    };

    private static string ZoneExample(DnsProvider? provider) => provider switch
    {
        DnsProvider.AzureDns => "example.com",
        DnsProvider.CloudDns => "example-com",
        _ => "Z0123456789ABCDEFGHIJ",
    };
}
