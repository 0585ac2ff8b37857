using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

public sealed class TrafficConfigTests
{
    private const string Record = "skyray:traffic.llm";

    private static StackConfigBuilder Serving() => StackConfigBuilder.Valid()
        .SetYaml("workloads/llm", """
            kind: RayService
            workerGroups: [{name: workers, cpu: 2, memory: 8Gi, replicas: 1}]
            serveConfigV2: {applications: [{name: llm, import_path: app:deployment}]}
            """)
        .SetYaml("traffic", """
            llm:
              workload: llm
              dns: {provider: route53, zone: Z0123456789ABC, name: llm.example.com}
            """);

    [Fact]
    public void Traffic_record_loads_with_a_short_default_ttl()
    {
        var spec = Serving().Load().IsValid();

        var record = spec.Traffic["llm"];
        Assert.Equal("llm", record.Workload);
        Assert.Equal(new DnsRecordSpec(DnsProvider.Route53, "Z0123456789ABC", "llm.example.com", 60), record.Dns);
    }

    [Fact]
    public void Traffic_record_naming_an_unknown_workload_suggests_the_closest_one()
    {
        var result = Serving().Set("traffic/llm/workload", "lm").Load();

        var error = result.HasError($"{Record}.workload", "workload 'lm' is not declared");
        Assert.Equal("did you mean 'llm'?", error.Hint);
    }

    [Fact]
    public void Traffic_record_must_point_at_a_RayService()
    {
        var result = Serving().Set("traffic/llm/workload", "job").Load();

        result.HasError($"{Record}.workload", "workload 'job' is a RayJob; a traffic record points at a RayService's serve endpoint");
    }

    [Fact]
    public void Unknown_dns_key_and_misspelt_provider_are_errors_with_suggestions()
    {
        var result = Serving().Set("traffic/llm/dns/tll", 30).Set("traffic/llm/dns/provider", "route-53").Load();

        Assert.Equal("did you mean 'ttl'?", result.HasError($"{Record}.dns.tll", "unknown key 'tll'").Hint);
        Assert.Equal("did you mean 'route53'?", result.HasError($"{Record}.dns.provider", "'route-53' is not a valid provider").Hint);
    }

    [Fact]
    public void Dns_provider_of_a_cloud_the_fleet_does_not_run_on_is_an_error()
    {
        var result = Serving().Set("traffic/llm/dns/provider", "cloud-dns").Set("traffic/llm/dns/zone", "example-com").Load();

        var error = result.HasError($"{Record}.dns.provider", "cloud-dns records are written with the stack's gcp credentials, and no cluster of this fleet is on gcp");
        Assert.Equal("use the DNS of a cloud the fleet runs on: route53", error.Hint);
    }

    [Fact]
    public void Azure_dns_needs_a_resource_group_and_a_name_inside_its_zone()
    {
        var result = Serving()
            .SetYaml("traffic/llm/dns", "{provider: azure-dns, zone: example.org, name: llm.example.com}")
            .Load();

        result.HasError($"{Record}.dns.resourceGroup", "'resourceGroup' is required");
        result.HasError($"{Record}.dns.name", "'llm.example.com' is not inside the Azure DNS zone 'example.org'");
    }

    [Fact]
    public void Two_records_for_one_dns_name_are_an_error()
    {
        var result = Serving()
            .SetYaml("traffic/llm-b", "{workload: llm, dns: {provider: route53, zone: Z0123456789ABC, name: llm.example.com}}")
            .Load();

        result.HasError("skyray:traffic.llm-b.dns.name", "DNS name 'llm.example.com' is already managed by traffic record 'llm'");
    }

    [Fact]
    public void Cluster_upgrade_strategy_is_read_and_misspellings_are_suggested()
    {
        var spec = Serving().SetYaml("clusters/aws-west/upgrade", "{strategy: cloneAndSwap}").Load().IsValid();
        Assert.Equal(UpgradeStrategy.CloneAndSwap, spec.Clusters["aws-west"].Upgrade);
        Assert.Null(StackConfigBuilder.Valid().Load().IsValid().Clusters["aws-west"].Upgrade);

        var result = Serving().SetYaml("clusters/aws-west/upgrade", "{strategy: cloneandswap, when: now}").Load();
        Assert.Equal("did you mean 'cloneAndSwap'?", result.HasError("skyray:clusters.aws-west.upgrade.strategy", "'cloneandswap' is not a valid strategy").Hint);
        result.HasError("skyray:clusters.aws-west.upgrade.when", "unknown key 'when'");
    }
}
