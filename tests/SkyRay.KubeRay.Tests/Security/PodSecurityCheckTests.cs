using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Security;

namespace SkyRay.KubeRay.Tests.Security;

public class PodSecurityCheckTests
{
    private const string Path = "skyray:workloads.raw.spec";

    [Fact]
    public void A_template_without_a_security_context_passes_because_skyray_writes_a_restricted_one()
    {
        Assert.Empty(Check("""{"rayVersion": "2.52.0", "headGroupSpec": {"template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}]}}}}"""));
    }

    [Fact]
    public void A_security_context_of_the_users_own_that_adds_a_capability_is_an_error_at_its_path()
    {
        var found = Check("""
            {"rayVersion": "2.52.0", "headGroupSpec": {"template": {"spec": {"containers": [
              {"name": "ray-head", "image": "rayproject/ray:2.52.0", "securityContext": {"capabilities": {"add": ["SYS_PTRACE"]}}}]}}}}
            """);

        Assert.All(found, d => Assert.Equal(Severity.Error, d.Severity));
        var capability = Assert.Single(found, d => d.Path == $"{Path}.headGroupSpec.template.spec.containers[0].securityContext.capabilities.add");
        Assert.Contains("Capabilities: capability 'SYS_PTRACE' may not be added", capability.Message, StringComparison.Ordinal);
        Assert.Contains("security: {podSecurity: baseline}", capability.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_path_volume_is_an_error_even_though_skyray_writes_the_security_context()
    {
        var found = Check("""
            {"rayVersion": "2.52.0", "headGroupSpec": {"template": {"spec": {
              "containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}],
              "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]}}}}
            """);

        Assert.Equal($"{Path}.headGroupSpec.template.spec.volumes[0].hostPath", Assert.Single(found).Path);
    }

    [Fact]
    public void An_autoscaler_context_that_allows_privilege_escalation_is_an_error_at_autoscaler_options()
    {
        var found = Check("""
            {"rayVersion": "2.52.0", "enableInTreeAutoscaling": true, "autoscalerOptions": {"securityContext": {"allowPrivilegeEscalation": true}},
             "headGroupSpec": {"template": {"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}]}}}}
            """);

        Assert.Contains(found, d => d.Path == $"{Path}.autoscalerOptions.securityContext.allowPrivilegeEscalation");
        Assert.Contains(found, d => d.Path == $"{Path}.autoscalerOptions.securityContext.capabilities.drop");
    }

    private static IReadOnlyList<Diagnostic> Check(string json)
    {
        var bag = new DiagnosticBag();
        PodSecurityCheck.Check(RayKind.RayCluster, JsonNode.Parse(json)!.AsObject(), Path, bag);
        return bag.Items;
    }
}
