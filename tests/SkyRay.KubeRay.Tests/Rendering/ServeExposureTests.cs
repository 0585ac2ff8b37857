using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Rendering;

/// <summary>A RayService behind a traffic record is exposed by rendering itself: the object rendered is the object deployed.</summary>
public sealed class ServeExposureTests
{
    private static FleetSpec Fleet(WorkloadSpec workload, bool record) => new(
        "test",
        ImmutableSortedDictionary.Create<string, ClusterSpec>(StringComparer.Ordinal).Add("aws-1", Build.Cluster()),
        ImmutableSortedDictionary.Create<string, WorkloadSpec>(StringComparer.Ordinal).Add(workload.Name, workload),
        ImmutableSortedDictionary.Create<string, SchedulePolicy>(StringComparer.Ordinal),
        KubeRaySettings.Default,
        new InstanceCatalog([]))
    {
        Traffic = record
            ? ImmutableSortedDictionary.Create<string, TrafficSpec>(StringComparer.Ordinal)
                .Add("llm", new TrafficSpec("llm", workload.Name, new DnsRecordSpec(DnsProvider.Route53, "Z1", "llm.example.com", 60, null)))
            : ImmutableSortedDictionary.Create<string, TrafficSpec>(StringComparer.Ordinal),
    };

    private static KubeObject Render(WorkloadSpec workload, bool record) =>
        WorkloadRenderer.Render(new WorkloadTarget(workload, Build.Cluster(), Build.Copy(workload.Name, pools: [("head", "cpu")]), null) { Fleet = Fleet(workload, record) });

    private static string? ServeType(KubeObject o) => o.Manifest["spec"]?["serveService"]?["spec"]?["type"]?.GetValue<string>();

    [Fact]
    public void RayService_behind_a_traffic_record_renders_with_a_LoadBalancer_serve_service()
    {
        var llm = Build.Structured("llm", RayKind.RayService, Build.Head());

        Assert.Equal("LoadBalancer", ServeType(Render(llm, record: true)));
    }

    [Fact]
    public void RayService_without_a_record_and_a_workload_rendered_on_its_own_get_no_serve_service()
    {
        var llm = Build.Structured("llm", RayKind.RayService, Build.Head());

        Assert.False(Render(llm, record: false).Manifest["spec"]!.AsObject().ContainsKey("serveService"));
        Assert.False(WorkloadRenderer.Render(llm, Build.Cluster(), Build.Copy("llm", pools: [("head", "cpu")]), null).Manifest["spec"]!.AsObject().ContainsKey("serveService"));
    }

    [Fact]
    public void A_serve_service_type_the_user_wrote_in_a_raw_spec_is_kept()
    {
        var spec = JsonNode.Parse("""
            {"serveService": {"spec": {"type": "NodePort"}},
             "rayClusterConfig": {"headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}]}}}}}
            """)!.AsObject();
        var llm = Build.Raw("llm", RayKind.RayService, spec);

        Assert.Equal("NodePort", ServeType(Render(llm, record: true)));
    }

    [Fact]
    public void By_default_the_load_balancer_is_internal_and_takes_clients_from_the_private_ranges_only()
    {
        var llm = Build.Structured("llm", RayKind.RayService, Build.Head());

        var service = Render(llm, record: true).Manifest["spec"]!["serveService"]!;

        // Build.Cluster() is an EKS cluster: the Kubernetes documentation's internal load balancer annotation for AWS, and the
        // AWS Load Balancer Controller's scheme annotation.
        Assert.Equal(
            """{"service.beta.kubernetes.io/aws-load-balancer-internal":"true","service.beta.kubernetes.io/aws-load-balancer-scheme":"internal"}""",
            service["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal("""["10.0.0.0/8","172.16.0.0/12","192.168.0.0/16"]""", service["spec"]!["loadBalancerSourceRanges"]!.ToJsonString());
        Assert.Equal("Local", service["spec"]!["externalTrafficPolicy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(CloudProvider.Azure, "service.beta.kubernetes.io/azure-load-balancer-internal", "true")]
    [InlineData(CloudProvider.Gcp, "networking.gke.io/load-balancer-type", "Internal")]
    public void Each_cloud_gets_its_own_internal_load_balancer_annotation(CloudProvider provider, string key, string value)
    {
        Assert.Equal([new KeyValuePair<string, string>(key, value)], ServeExposure.InternalAnnotations(provider));
        Assert.Empty(ServeExposure.InternalAnnotations(CloudProvider.Existing));
    }

    [Fact]
    public void A_public_exposure_has_no_internal_annotation_and_only_its_source_ranges()
    {
        var llm = Build.Structured("llm", RayKind.RayService, Build.Head()) with
        {
            Exposure = new ServeExposureSpec(LoadBalancerScope.Public, ["203.0.113.0/24"]),
        };

        var service = Render(llm, record: true).Manifest["spec"]!["serveService"]!;

        Assert.Null(service["metadata"]);
        Assert.Equal("""["203.0.113.0/24"]""", service["spec"]!["loadBalancerSourceRanges"]!.ToJsonString());
    }
}
