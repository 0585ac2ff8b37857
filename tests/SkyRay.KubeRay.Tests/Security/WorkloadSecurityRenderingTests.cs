using System.Text.Json.Nodes;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Security;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Security;

public class WorkloadSecurityRenderingTests
{
    private static readonly HelmRelease Operator = new("kuberay", "kuberay-operator", "kuberay-operator", "1.7.0", "https://example.invalid/", "kuberay-system", []);

    private static JsonNode Spec(KubeObject rendered) => rendered.Manifest["spec"]!;

    [Theory]
    [InlineData(RayKind.RayCluster, "")]
    [InlineData(RayKind.RayJob, "rayClusterSpec")]
    [InlineData(RayKind.RayService, "rayClusterConfig")]
    public void Every_kind_is_rendered_with_kuberay_token_auth(RayKind kind, string clusterKey)
    {
        var rendered = WorkloadRenderer.Render(Build.Structured("w", kind, Build.Head()), Build.Cluster(), Build.Copy("w"), null);

        var cluster = clusterKey.Length == 0 ? Spec(rendered) : Spec(rendered)[clusterKey]!;
        Assert.Equal("""{"mode":"token"}""", cluster["authOptions"]!.ToJsonString());
    }

    [Fact]
    public void A_shared_token_points_every_copy_at_the_secret_skyray_declares_from_the_config_key()
    {
        var workload = Build.Structured("llm", RayKind.RayService, Build.Head()) with
        {
            Security = WorkloadSecurity.Default with { TokenSecret = "skyray-infra:llmToken" },
        };

        var east = WorkloadRenderer.Render(workload, Build.Cluster("east"), Build.Copy("llm", "east"), null);
        var west = WorkloadRenderer.Render(workload, Build.Cluster("west"), Build.Copy("llm", "west"), null);

        Assert.Equal("""{"mode":"token","secretName":"llm.ray-token"}""", Spec(east)["rayClusterConfig"]!["authOptions"]!.ToJsonString());
        Assert.Equal(Spec(east)["rayClusterConfig"]!["authOptions"]!.ToJsonString(), Spec(west)["rayClusterConfig"]!["authOptions"]!.ToJsonString());
        Assert.Equal(new RayTokenSecret("llm", "west", "ml", "llm.ray-token", "skyray-infra:llmToken"), RayAuth.SharedSecret(workload, "west"));
        Assert.DoesNotContain("skyray-infra", Spec(east).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Token_locations_say_who_makes_the_secret_and_never_hold_a_token()
    {
        var generated = RayAuth.Location(Build.Structured("lab", RayKind.RayCluster, Build.Head()), "aws-1");
        var shared = RayAuth.Location(Build.Structured("llm", RayKind.RayService, Build.Head()) with
        {
            Security = WorkloadSecurity.Default with { TokenSecret = "skyray-infra:llmToken" },
        }, "aws-1");
        var service = RayAuth.Location(Build.Structured("svc", RayKind.RayService, Build.Head()), "aws-1");
        var none = RayAuth.Location(Build.Structured("open", RayKind.RayCluster, Build.Head()) with
        {
            Security = WorkloadSecurity.Default with { Auth = RayAuthMode.Disabled },
        }, "aws-1");

        // KubeRay names its generated Secret after the RayCluster: the workload for a RayCluster; a RayService's is generated.
        Assert.Equal(new RayTokenLocation("lab", "aws-1", "ml", "lab", "auth_token", "KubeRay (generated, one per Ray cluster)", null), generated);
        Assert.Equal(("llm.ray-token", "skyray-infra:llmToken"), (shared!.Secret, shared.ConfigKey));
        Assert.Null(service!.Secret);
        Assert.Null(none);
    }

    [Fact]
    public void A_raw_specs_own_auth_options_are_kept_as_written()
    {
        var spec = JsonNode.Parse("""
            {"rayVersion": "2.52.0", "authOptions": {"mode": "token", "secretName": "mine"},
             "headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}]}}}}
            """)!.AsObject();
        var workload = Build.Raw("raw", RayKind.RayCluster, spec) with { Security = WorkloadSecurity.Default with { AuthFromSpec = true } };

        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("raw"), null);

        Assert.Equal("""{"mode":"token","secretName":"mine"}""", Spec(rendered)["authOptions"]!.ToJsonString());
        Assert.Equal("mine", RayAuth.Location(workload, "aws-1")!.Secret);
    }

    [Fact]
    public void Autoscaler_sidecar_gets_a_restricted_context_when_in_tree_autoscaling_is_on()
    {
        var rendered = WorkloadRenderer.Render(
            Build.Structured("lab", RayKind.RayCluster, Build.Head(), Build.Group("w", min: 0, max: 4)), Build.Cluster(), Build.Copy("lab"), null);

        var context = Spec(rendered)["autoscalerOptions"]!["securityContext"]!.AsObject();
        var asContainer = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "autoscaler", ["securityContext"] = context.DeepClone() }) } };
        Assert.Empty(RestrictedProfile.Check(asContainer, "autoscaler"));
    }

    [Fact]
    public void Every_pod_template_is_labelled_for_the_network_policy()
    {
        var rendered = WorkloadRenderer.Render(
            Build.Structured("train", RayKind.RayJob, Build.Head(), Build.Group("w")), Build.Cluster(), Build.Copy("train"), null);

        var templates = RayPodTemplates.Of(RayKind.RayJob, Spec(rendered).AsObject(), "spec");
        Assert.Equal(["head", "w", "submitter"], templates.Select(t => t.Group));
        Assert.All(templates, t => Assert.Equal("train", t.Template["metadata"]!["labels"]!["skyray.io/workload"]!.GetValue<string>()));
    }

    [Fact]
    public void A_workload_opting_out_of_everything_renders_its_raw_spec_unchanged()
    {
        var spec = JsonNode.Parse("""
            {"rayVersion": "2.40.0", "enableInTreeAutoscaling": true,
             "headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.40.0"}]}}}}
            """)!.AsObject();
        var workload = Build.Raw("raw", RayKind.RayCluster, spec) with
        {
            Security = new WorkloadSecurity(RayAuthMode.Disabled, null, false, PodSecurityLevel.Privileged),
        };

        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("raw"), null);

        Assert.True(JsonNode.DeepEquals(spec, Spec(rendered)));
    }

    [Fact]
    public void Network_policy_admits_own_pods_the_operator_on_dashboard_and_serve_and_the_exposure_ranges_on_serve()
    {
        var workload = Build.Structured("llm", RayKind.RayService, Build.Head());
        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("llm"), null);

        var policy = WorkloadNetworkPolicy.Build(workload, "aws-1", rendered, Operator, new ServeExposureSpec(LoadBalancerScope.Public, ["203.0.113.0/24"]))!;

        // Written out by hand from the rules in the type's documentation.
        var expected = JsonNode.Parse("""
            {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
             "metadata": {"labels": {"app.kubernetes.io/managed-by": "skyray", "skyray.io/cluster": "aws-1", "skyray.io/workload": "llm"},
                          "name": "skyray-llm", "namespace": "ml"},
             "spec": {
               "ingress": [
                 {"from": [{"podSelector": {"matchLabels": {"skyray.io/workload": "llm"}}}]},
                 {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kuberay-system"}},
                            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "kuberay-operator"}}}],
                  "ports": [{"port": 8265, "protocol": "TCP"}, {"port": 8000, "protocol": "TCP"}]},
                 {"from": [{"ipBlock": {"cidr": "203.0.113.0/24"}}], "ports": [{"port": 8000, "protocol": "TCP"}]}],
               "podSelector": {"matchLabels": {"skyray.io/workload": "llm"}},
               "policyTypes": ["Ingress"]}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, policy.Manifest), policy.Manifest.ToJsonString());
    }

    [Fact]
    public void A_ray_service_that_is_not_exposed_admits_nobody_else_on_the_serve_port()
    {
        var workload = Build.Structured("llm", RayKind.RayService, Build.Head());
        var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("llm"), null);

        var policy = WorkloadNetworkPolicy.Build(workload, "aws-1", rendered, Operator, exposure: null)!;

        Assert.DoesNotContain("ipBlock", policy.Manifest.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(2, policy.Manifest["spec"]!["ingress"]!.AsArray().Count);
    }

    [Fact]
    public void A_ray_job_also_admits_kuberays_submitter_pod_and_a_ray_cluster_admits_ray_job_submitters_on_the_dashboard()
    {
        var job = Build.Structured("train", RayKind.RayJob, Build.Head());
        var lab = Build.Structured("lab", RayKind.RayCluster, Build.Head());
        var jobPolicy = WorkloadNetworkPolicy.Build(job, "aws-1", WorkloadRenderer.Render(job, Build.Cluster(), Build.Copy("train"), null), Operator, null)!;
        var labPolicy = WorkloadNetworkPolicy.Build(lab, "aws-1", WorkloadRenderer.Render(lab, Build.Cluster(), Build.Copy("lab"), null), Operator, null)!;

        Assert.Equal(
            """[{"podSelector":{"matchLabels":{"skyray.io/workload":"train"}}},{"podSelector":{"matchLabels":{"ray.io/originated-from-crd":"RayJob","ray.io/originated-from-cr-name":"train"}}}]""",
            jobPolicy.Manifest["spec"]!["ingress"]![0]!["from"]!.ToJsonString());
        Assert.Equal(
            """{"from":[{"podSelector":{"matchLabels":{"ray.io/originated-from-crd":"RayJob"}}}],"ports":[{"port":8265,"protocol":"TCP"}]}""",
            labPolicy.Manifest["spec"]!["ingress"]![2]!.ToJsonString());
    }

    [Fact]
    public void The_operator_selector_follows_the_charts_name_override_and_custom_dashboard_ports_are_used()
    {
        var spec = JsonNode.Parse("""
            {"rayVersion": "2.52.0",
             "headGroupSpec": {"rayStartParams": {}, "template": {"spec": {"containers": [
               {"name": "ray-head", "image": "rayproject/ray:2.52.0", "ports": [{"name": "dashboard", "containerPort": 9265}]}]}}}}
            """)!.AsObject();
        var workload = Build.Raw("raw", RayKind.RayCluster, spec);
        var release = Operator with { Values = new JsonObject { ["nameOverride"] = "ray-op" } };

        var policy = WorkloadNetworkPolicy.Build(workload, "aws-1", WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("raw"), null), release, null)!;

        var operatorRule = policy.Manifest["spec"]!["ingress"]![1]!;
        Assert.Equal("ray-op", operatorRule["from"]![0]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal("""[{"port":9265,"protocol":"TCP"}]""", operatorRule["ports"]!.ToJsonString());
    }

    [Fact]
    public void No_policy_for_a_workload_that_opted_out()
    {
        var workload = Build.Structured("lab", RayKind.RayCluster, Build.Head()) with { Security = WorkloadSecurity.Default with { NetworkPolicy = false } };

        Assert.Null(WorkloadNetworkPolicy.Build(workload, "aws-1", WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy("lab"), null), Operator, null));
    }
}
