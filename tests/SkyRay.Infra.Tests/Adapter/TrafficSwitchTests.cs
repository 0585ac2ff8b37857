using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using Pulumi.Testing;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Ports;
using SkyRay.Infra.Tests.Support;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>Traffic records: the DNS record each provider gets, pointed at the serving clusters' serve Service load balancers.</summary>
public sealed class TrafficSwitchTests
{
    private const string ServiceType = "kubernetes:core/v1:Service";

    /// <summary>The adapter's mocks, plus a load balancer in the status of every Service read (host name or IP per cluster).</summary>
    private sealed class ServingMocks(bool ipAddresses) : IMocks
    {
        public Mocks Inner { get; } = new();

        public async Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
        {
            var (id, state) = await Inner.NewResourceAsync(args);
            if (args.Type != ServiceType)
            {
                return (id, state);
            }

            // The read is named <cluster>-traffic-<record>.
            var cluster = args.Name![..args.Name!.IndexOf("-traffic-", StringComparison.Ordinal)];
            var ingress = ipAddresses
                ? ImmutableDictionary<string, object>.Empty.Add("ip", cluster == "lab" ? "203.0.113.10" : "203.0.113.20")
                : ImmutableDictionary<string, object>.Empty.Add("hostname", cluster + ".elb.example");
            var status = ImmutableDictionary<string, object>.Empty.Add(
                "loadBalancer", ImmutableDictionary<string, object>.Empty.Add("ingress", ImmutableArray.Create<object>(ingress)));
            return (args.Id ?? id, ((ImmutableDictionary<string, object>)state).SetItem("status", status));
        }

        public Task<object> CallAsync(MockCallArgs args) => Inner.CallAsync(args);
    }

    private static KubeObject RayService(string name, string @namespace) =>
        new("ray.io/v1", "RayService", name, @namespace, new JsonObject
        {
            ["apiVersion"] = "ray.io/v1",
            ["kind"] = "RayService",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = new JsonObject { ["serveService"] = new JsonObject { ["spec"] = new JsonObject { ["type"] = "LoadBalancer" } } },
        });

    private static TrafficRecordSpec Record(DnsRecordSpec dns, TrafficRecordType type, params string[] targets) =>
        new(new TrafficSpec("llm", "llm", dns), [.. targets], type, [], "clusters serving llm");

    /// <summary>Connects existing clusters, applies the RayService on each target, and points the record.</summary>
    private static async Task<Mocks> PointAsync(TrafficRecordSpec record, bool ipAddresses)
    {
        var mocks = new ServingMocks(ipAddresses);
        var options = new TestOptions { ProjectName = PulumiRun.Project, StackName = "adapter", IsPreview = false };
        await Task.Run(() => Deployment.TestAsync(mocks, options, () =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            var serving = new List<IPortHandle>();
            foreach (var cluster in record.Targets)
            {
                var connection = adapter.Ports.Connector.Connect(TestFleet.Existing(cluster, "ctx-" + cluster, null), null);
                var kubeRayOperator = adapter.Ports.Releases.Install(connection, TestFleet.Release(), []);
                serving.Add(adapter.Ports.Workloads.Apply(connection, RayService("llm", "serving"), [kubeRayOperator]));
            }

            Assert.Same(adapter.Traffic, adapter.Ports.Traffic);
            adapter.Ports.Traffic!.Point(record, serving);
        }));
        return mocks.Inner;
    }

    private static object[] List(MockResourceArgs resource, string path) =>
        [.. (IEnumerable<object>)Values.At(resource, path)!];

    [Fact]
    public async Task Route53_record_is_a_CNAME_to_the_serve_service_load_balancer_host_name()
    {
        var record = Record(new DnsRecordSpec(DnsProvider.Route53, "Z0123456789ABC", "llm.example.com", 60), TrafficRecordType.Cname, "lab");

        var mocks = await PointAsync(record, ipAddresses: false);

        var dns = Assert.Single(mocks.Resources, r => r.Type == "aws:route53/record:Record");
        Assert.Equal("traffic-llm", dns.Name);
        Assert.Equal("Z0123456789ABC", Values.At(dns, "zoneId"));
        Assert.Equal("llm.example.com", Values.At(dns, "name"));
        Assert.Equal("CNAME", Values.At(dns, "type"));
        Assert.Equal(60, Convert.ToInt32(Values.At(dns, "ttl"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal<object>(["lab.elb.example"], List(dns, "records"));
        // An explicit provider with a region, whatever the stack's aws:region (the upgrade stack sets none).
        Assert.Contains("::traffic-llm-aws::", dns.Provider, StringComparison.Ordinal);
        Assert.Equal("us-east-1", Values.At(Assert.Single(mocks.Resources, r => r.Type == "pulumi:providers:aws" && r.Name == "traffic-llm-aws"), "region"));
        var read = Assert.Single(mocks.Resources, r => r.Type == ServiceType);
        Assert.Equal("lab-traffic-llm", read.Name);
        Assert.Equal("serving/llm-serve-svc", read.Id);
        Assert.Contains("::lab-k8s::", read.Provider, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_observed_load_balancer_address_is_written_without_reading_any_Service()
    {
        var record = Record(new DnsRecordSpec(DnsProvider.Route53, "Z0123456789ABC", "llm.example.com", 60), TrafficRecordType.Cname, "lab") with
        {
            Addresses = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("lab", ImmutableArray.Create("a1b2.elb.us-east-1.amazonaws.com"))]),
        };

        var mocks = await PointAsync(record, ipAddresses: false);

        var dns = Assert.Single(mocks.Resources, r => r.Type == "aws:route53/record:Record");
        Assert.Equal<object>(["a1b2.elb.us-east-1.amazonaws.com"], List(dns, "records"));
        Assert.DoesNotContain(mocks.Resources, r => r.Type == ServiceType);
    }

    [Fact]
    public async Task Azure_dns_A_record_lists_every_target_ip_under_its_zone_relative_name()
    {
        var record = Record(new DnsRecordSpec(DnsProvider.AzureDns, "example.com", "llm.example.com", 30, ResourceGroup: "dns-rg"), TrafficRecordType.A, "lab", "lab2");

        var mocks = await PointAsync(record, ipAddresses: true);

        var dns = Assert.Single(mocks.Resources, r => r.Type == "azure:dns/aRecord:ARecord");
        Assert.Equal("llm", Values.At(dns, "name"));
        Assert.Equal("example.com", Values.At(dns, "zoneName"));
        Assert.Equal("dns-rg", Values.At(dns, "resourceGroupName"));
        Assert.Equal<object>(["203.0.113.10", "203.0.113.20"], List(dns, "records"));
        Assert.Contains("::traffic-llm-azure::", dns.Provider, StringComparison.Ordinal);
        Assert.Equal(2, mocks.Resources.Count(r => r.Type == ServiceType));
    }

    [Fact]
    public async Task Azure_dns_CNAME_record_points_at_the_one_target_host_name()
    {
        var record = Record(new DnsRecordSpec(DnsProvider.AzureDns, "example.com", "llm.example.com", 30, ResourceGroup: "dns-rg"), TrafficRecordType.Cname, "lab");

        var mocks = await PointAsync(record, ipAddresses: false);

        var dns = Assert.Single(mocks.Resources, r => r.Type == "azure:dns/cNameRecord:CNameRecord");
        Assert.Equal("lab.elb.example", Values.At(dns, "record"));
        Assert.DoesNotContain(mocks.Resources, r => r.Type == "azure:dns/aRecord:ARecord");
    }

    [Fact]
    public async Task Cloud_dns_record_set_uses_fully_qualified_names()
    {
        var record = Record(new DnsRecordSpec(DnsProvider.CloudDns, "example-com", "llm.example.com", 60, Project: "dns-project"), TrafficRecordType.Cname, "lab");

        var mocks = await PointAsync(record, ipAddresses: false);

        var dns = Assert.Single(mocks.Resources, r => r.Type == "gcp:dns/recordSet:RecordSet");
        Assert.Equal("example-com", Values.At(dns, "managedZone"));
        Assert.Equal("llm.example.com.", Values.At(dns, "name"));
        Assert.Equal("CNAME", Values.At(dns, "type"));
        Assert.Equal("dns-project", Values.At(dns, "project"));
        Assert.Equal<object>(["lab.elb.example."], List(dns, "rrdatas"));
        Assert.Contains("::traffic-llm-gcp::", dns.Provider, StringComparison.Ordinal);
        Assert.Equal("dns-project", Values.At(Assert.Single(mocks.Resources, r => r.Type == "pulumi:providers:gcp"), "project"));
    }
}
