using System.Collections.Immutable;
using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Traffic;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.Ports;

/// <summary>A declared traffic record.</summary>
/// <param name="Cluster">The record's first target cluster.</param>
/// <param name="Record">The DNS resource (Route 53 record, Azure DNS record or Cloud DNS record set).</param>
/// <param name="Addresses">The load balancer addresses it points at, in target order.</param>
internal sealed record TrafficHandle(string Cluster, CustomResource Record, Output<ImmutableArray<string>> Addresses) : IPortHandle;

/// <summary>
/// Writes traffic records as DNS records, with every decision taken by the core (<see cref="TrafficRecordSpec"/>): per
/// target cluster it reads the RayService's serve Service (<c>&lt;workload&gt;-serve-svc</c>, a LoadBalancer because the core
/// exposes RayServices behind a record) through the cluster's Kubernetes provider, after the RayService is Ready, and
/// points the record at the load balancer: a CNAME to its host name (EKS) or an A record with the IP addresses (AKS, GKE).
/// Resource <c>traffic-&lt;record&gt;</c>, stable across runs, so a swap updates the record in place.
/// </summary>
internal sealed class PulumiTrafficSwitch : ITrafficSwitch
{
    private readonly SortedDictionary<string, K8s.Provider> _providers = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Output<ImmutableArray<string>>> _read = new(StringComparer.Ordinal);

    /// <summary>The addresses read from serve Services during this deployment (records without observed addresses), by record:
    /// exported as <c>trafficAddresses</c> so a later run can keep a record where it is.</summary>
    public IReadOnlyDictionary<string, Output<ImmutableArray<string>>> ReadAddresses => _read;

    /// <summary>Wraps a connector so this switch learns each cluster's Kubernetes provider as clusters are connected.</summary>
    /// <param name="inner">The adapter's connector.</param>
    /// <returns>A connector that forwards every call.</returns>
    public IClusterConnector Remembering(IClusterConnector inner) => new RememberingConnector(inner, _providers);

    /// <summary>The resource name of a traffic record.</summary>
    public static string ResourceName(TrafficRecordSpec record) => "traffic-" + record.Traffic.Name;

    /// <summary>
    /// The name of the serve Service read from one target cluster: the cluster's name first, like every resource declared through
    /// that cluster's provider, then the record's (per record: two records may serve one RayService).
    /// </summary>
    public static string ServiceResourceName(TrafficRecordSpec record, string cluster) => $"{cluster}-{ResourceName(record)}";

    /// <inheritdoc />
    public IPortHandle Point(TrafficRecordSpec record, IReadOnlyList<IPortHandle> servingWorkloads)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(servingWorkloads);
        if (record.Targets.IsEmpty)
        {
            throw new ArgumentException($"traffic record '{record.Traffic.Name}' has no target", nameof(record));
        }

        var wantsHost = record.RecordType == TrafficRecordType.Cname;
        Output<ImmutableArray<string>> all;
        if (!record.KnownAddresses.IsEmpty)
        {
            // Observed before the run (or held from the previous run): nothing is read during the deployment, so nothing can fail it.
            all = Output.Create(wantsHost
                ? ImmutableArray.Create(record.Addresses[record.Targets[0]][0])
                : record.KnownAddresses);
        }
        else
        {
            var byCluster = servingWorkloads.OfType<WorkloadHandle>().ToDictionary(w => w.Cluster, StringComparer.Ordinal);
            var addresses = record.Targets
                .Select(cluster => Address(record, cluster, byCluster.TryGetValue(cluster, out var w) ? w : throw new ArgumentException($"no serving workload on target '{cluster}' of record '{record.Traffic.Name}'", nameof(servingWorkloads))))
                .ToList();
            all = Output.All(addresses);
            _read[record.Traffic.Name] = all;
        }

        var values = record.RecordType == TrafficRecordType.Cname && record.Traffic.Dns.Provider == DnsProvider.CloudDns
            ? all.Apply(v => v.Select(host => host + ".").ToImmutableArray()) // Cloud DNS wants fully qualified rrdatas.
            : all;
        return new TrafficHandle(record.Targets[0], Declare(record, values), all);
    }

    /// <summary>The load balancer address of the serve Service on one target, read once its RayService is declared.</summary>
    private Output<string> Address(TrafficRecordSpec record, string cluster, IPortHandle servingWorkload)
    {
        var workload = servingWorkload as WorkloadHandle
            ?? throw new ArgumentException("the workload handle does not come from the Pulumi adapter", nameof(servingWorkload));
        if (!_providers.TryGetValue(cluster, out var provider))
        {
            throw new ArgumentException($"cluster '{cluster}' was not connected through this adapter", nameof(servingWorkload));
        }

        var rendered = workload.Component.Rendered;
        // Without an observation the core points a record only at RayServices a previous run declared on an active cluster, so
        // their serve Service exists: the read uses its known id (a preview reads it, it never plans to create it), after the
        // RayService's registration.
        var id = $"{rendered.Namespace}/{record.ServeServiceName}";
        var service = K8s.Core.V1.Service.Get(ServiceResourceName(record, cluster), id, new CustomResourceOptions
        {
            Provider = provider,
            DependsOn = new List<Resource> { workload.Component.RayObject },
        });
        var wantsHost = record.RecordType == TrafficRecordType.Cname;
        return service.Status.Apply(status =>
        {
            var ingress = status?.LoadBalancer?.Ingress ?? ImmutableArray<K8s.Types.Outputs.Core.V1.LoadBalancerIngress>.Empty;
            var address = ingress.IsDefaultOrEmpty ? null : wantsHost ? ingress[0].Hostname : ingress[0].Ip;
            if (!string.IsNullOrEmpty(address))
            {
                return address;
            }

            // No address yet (the cloud is still provisioning the load balancer): the record keeps what it had, with a warning.
            var kept = record.PreviousAddresses.FirstOrDefault(a => wantsHost != System.Net.IPAddress.TryParse(a, out _));
            if (kept is not null)
            {
                Log.Warn($"Service {rendered.Namespace}/{record.ServeServiceName} on cluster '{cluster}' has no load balancer address yet; " +
                    $"traffic record '{record.Traffic.Name}' keeps {kept} until it has one (observe the fleet so the record waits for the address instead)");
                return kept;
            }

            throw new InvalidOperationException(
                $"Service {rendered.Namespace}/{record.ServeServiceName} on cluster '{cluster}' has no load balancer {(wantsHost ? "host name" : "IP address")} yet and " +
                $"traffic record '{record.Traffic.Name}' has no previous address to keep; with live observation (skyray-infra:observe) the record waits for it instead.");
        });
    }

    private static CustomResource Declare(TrafficRecordSpec record, Output<ImmutableArray<string>> values)
    {
        var dns = record.Traffic.Dns;
        var name = ResourceName(record);
        var type = record.RecordType == TrafficRecordType.Cname ? "CNAME" : "A";
        // Each record gets an explicit provider of its own, never the stack's default one (which may lack a region).
        switch (dns.Provider)
        {
            case DnsProvider.Route53:
                var aws = new Pulumi.Aws.Provider(name + "-aws", new Pulumi.Aws.ProviderArgs { Region = DnsProviders.Route53Region });
                return new Pulumi.Aws.Route53.Record(name, new Pulumi.Aws.Route53.RecordArgs
                {
                    ZoneId = dns.Zone,
                    Name = dns.Name,
                    Type = type,
                    Ttl = dns.Ttl,
                    Records = values.Apply(v => (IEnumerable<string>)v),
                }, new CustomResourceOptions { Provider = aws });
            case DnsProvider.AzureDns:
                // Azure DNS names records relative to their zone; validation made sure the name lies inside it.
                var relative = dns.Name == dns.Zone ? "@" : dns.Name[..^(dns.Zone.Length + 1)];
                var azure = new CustomResourceOptions { Provider = new Pulumi.Azure.Provider(name + "-azure", new Pulumi.Azure.ProviderArgs()) };
                return record.RecordType == TrafficRecordType.Cname
                    ? new Pulumi.Azure.Dns.CNameRecord(name, new Pulumi.Azure.Dns.CNameRecordArgs
                    {
                        Name = relative,
                        ZoneName = dns.Zone,
                        ResourceGroupName = dns.ResourceGroup!,
                        Ttl = dns.Ttl,
                        Record = values.Apply(v => v[0]),
                    }, azure)
                    : new Pulumi.Azure.Dns.ARecord(name, new Pulumi.Azure.Dns.ARecordArgs
                    {
                        Name = relative,
                        ZoneName = dns.Zone,
                        ResourceGroupName = dns.ResourceGroup!,
                        Ttl = dns.Ttl,
                        Records = values.Apply(v => (IEnumerable<string>)v),
                    }, azure);
            default:
                var gcp = new Pulumi.Gcp.Provider(name + "-gcp", new Pulumi.Gcp.ProviderArgs
                {
                    Project = dns.Project is { } dnsProject ? (Input<string>)dnsProject : null,
                });
                return new Pulumi.Gcp.Dns.RecordSet(name, new Pulumi.Gcp.Dns.RecordSetArgs
                {
                    ManagedZone = dns.Zone,
                    Name = dns.Name + ".",
                    Type = type,
                    Ttl = dns.Ttl,
                    Rrdatas = values.Apply(v => (IEnumerable<string>)v),
                    Project = dns.Project is { } project ? (Input<string>)project : null,
                }, new CustomResourceOptions { Provider = gcp });
        }
    }

    /// <summary>Forwards to the adapter's connector and keeps each connection's Kubernetes provider.</summary>
    private sealed class RememberingConnector(IClusterConnector inner, SortedDictionary<string, K8s.Provider> providers) : IClusterConnector
    {
        public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned) => Connect(cluster, provisioned, ConnectionOptions.Reachable);

        public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned, ConnectionOptions options)
        {
            var handle = inner.Connect(cluster, provisioned, options);
            if (handle is ConnectionHandle connection)
            {
                providers[connection.Cluster] = connection.Provider;
            }

            return handle;
        }
    }
}
