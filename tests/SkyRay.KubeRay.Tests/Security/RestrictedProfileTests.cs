using System.Text.Json.Nodes;
using SkyRay.KubeRay.Security;

namespace SkyRay.KubeRay.Tests.Security;

/// <summary>
/// The restricted profile, pinned control by control with pods written by hand from the Pod Security Standards page
/// (kubernetes.io/docs/concepts/security/pod-security-standards).
/// </summary>
public class RestrictedProfileTests
{
    /// <summary>The smallest pod the restricted profile admits, as the standard's page describes it.</summary>
    private const string Compliant = """
        {"spec": {
           "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
           "containers": [{"name": "ray", "image": "rayproject/ray:2.52.0",
                           "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]}}
        """;

    [Fact]
    public void The_minimal_restricted_pod_passes()
    {
        Assert.Empty(RestrictedProfile.Check(Pod(Compliant), "t"));
    }

    [Fact]
    public void A_pod_without_any_security_context_fails_the_four_restricted_context_controls()
    {
        var pod = Pod("""{"spec": {"containers": [{"name": "ray", "image": "rayproject/ray:2.52.0"}]}}""");

        var controls = RestrictedProfile.Check(pod, "t").Select(v => v.Control).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["Capabilities (restricted)", "Privilege Escalation", "Running as Non-root", "Seccomp"], controls);
    }

    [Theory]
    [InlineData("/spec/hostNetwork", "true", "Host Namespaces", "t.spec.hostNetwork")]
    [InlineData("/spec/hostPID", "true", "Host Namespaces", "t.spec.hostPID")]
    [InlineData("/spec/containers/0/securityContext/privileged", "true", "Privileged Containers", "t.spec.containers[0].securityContext.privileged")]
    [InlineData("/spec/containers/0/securityContext/allowPrivilegeEscalation", "true", "Privilege Escalation", "t.spec.containers[0].securityContext.allowPrivilegeEscalation")]
    [InlineData("/spec/containers/0/securityContext/runAsNonRoot", "false", "Running as Non-root", "t.spec.containers[0].securityContext.runAsNonRoot")]
    [InlineData("/spec/securityContext/runAsUser", "0", "Running as Non-root user", "t.spec.securityContext.runAsUser")]
    [InlineData("/spec/securityContext/seccompProfile/type", "\"Unconfined\"", "Seccomp", "t.spec.securityContext.seccompProfile.type")]
    [InlineData("/spec/containers/0/securityContext/capabilities/add", "[\"SYS_PTRACE\"]", "Capabilities", "t.spec.containers[0].securityContext.capabilities.add")]
    [InlineData("/spec/containers/0/securityContext/capabilities/add", "[\"CHOWN\"]", "Capabilities (restricted)", "t.spec.containers[0].securityContext.capabilities.add")]
    [InlineData("/spec/containers/0/securityContext/procMount", "\"Unmasked\"", "/proc Mount Type", "t.spec.containers[0].securityContext.procMount")]
    [InlineData("/spec/containers/0/ports", "[{\"containerPort\": 8265, \"hostPort\": 8265}]", "Host Ports", "t.spec.containers[0].ports[0].hostPort")]
    [InlineData("/spec/volumes", "[{\"name\": \"logs\", \"hostPath\": {\"path\": \"/var/log\"}}]", "HostPath Volumes", "t.spec.volumes[0].hostPath")]
    [InlineData("/spec/volumes", "[{\"name\": \"data\", \"nfs\": {\"server\": \"nfs\", \"path\": \"/\"}}]", "Volume Types", "t.spec.volumes[0].nfs")]
    [InlineData("/spec/securityContext/sysctls", "[{\"name\": \"kernel.msgmax\", \"value\": \"1\"}]", "Sysctls", "t.spec.securityContext.sysctls[0].name")]
    [InlineData("/spec/securityContext/seLinuxOptions", "{\"type\": \"spc_t\"}", "SELinux", "t.spec.securityContext.seLinuxOptions.type")]
    [InlineData("/spec/securityContext/appArmorProfile", "{\"type\": \"Unconfined\"}", "AppArmor", "t.spec.securityContext.appArmorProfile.type")]
    [InlineData("/spec/securityContext/windowsOptions", "{\"hostProcess\": true}", "HostProcess", "t.spec.securityContext.windowsOptions.hostProcess")]
    public void Each_control_is_reported_at_its_field(string field, string value, string control, string path)
    {
        var pod = Pod(Compliant);
        Set(pod, field, JsonNode.Parse(value));

        Assert.Contains(RestrictedProfile.Check(pod, "t"), v => v.Control == control && v.Path == path);
    }

    [Theory]
    [InlineData("/spec/volumes", "[{\"name\": \"shm\", \"emptyDir\": {\"medium\": \"Memory\"}}, {\"name\": \"cfg\", \"configMap\": {\"name\": \"c\"}}, {\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"d\"}}]")]
    [InlineData("/spec/containers/0/securityContext/capabilities/add", "[\"NET_BIND_SERVICE\"]")]
    [InlineData("/spec/securityContext/sysctls", "[{\"name\": \"net.ipv4.ip_local_port_range\", \"value\": \"1024 65535\"}]")]
    [InlineData("/spec/securityContext/runAsUser", "1000")]
    public void What_the_profile_allows_passes(string field, string value)
    {
        var pod = Pod(Compliant);
        Set(pod, field, JsonNode.Parse(value));

        Assert.Empty(RestrictedProfile.Check(pod, "t"));
    }

    [Fact]
    public void Container_level_settings_can_stand_in_for_the_pod_level_ones()
    {
        var pod = Pod("""
            {"spec": {"containers": [{"name": "ray", "securityContext": {
               "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]},
               "runAsNonRoot": true, "seccompProfile": {"type": "Localhost", "localhostProfile": "ray.json"}}}]}}
            """);

        Assert.Empty(RestrictedProfile.Check(pod, "t"));
    }

    [Fact]
    public void Init_and_ephemeral_containers_are_checked_like_containers()
    {
        var pod = Pod(Compliant);
        Set(pod, "/spec/initContainers", JsonNode.Parse("""[{"name": "wait", "image": "busybox:1.36"}]"""));
        Set(pod, "/spec/ephemeralContainers", JsonNode.Parse("""[{"name": "debug", "image": "busybox:1.36", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]"""));

        var paths = RestrictedProfile.Check(pod, "t").Select(v => v.Path).Distinct().ToList();

        Assert.Equal(["t.spec.initContainers[0].securityContext.capabilities.drop", "t.spec.initContainers[0].securityContext.allowPrivilegeEscalation"], paths);
    }

    [Fact]
    public void The_ray_pod_security_defaults_pass_the_profile()
    {
        var pod = Pod("""{"spec": {"containers": [{"name": "ray-head", "image": "rayproject/ray:2.52.0"}], "initContainers": [{"name": "init", "image": "busybox:1.36"}]}}""");

        Assert.True(PodSecurityDefaults.Apply(pod));

        Assert.Empty(RestrictedProfile.Check(pod, "t"));
        Assert.Equal(1000, pod["spec"]!["securityContext"]!["runAsUser"]!.GetValue<int>());
        Assert.Equal(100, pod["spec"]!["securityContext"]!["runAsGroup"]!.GetValue<int>());
    }

    [Fact]
    public void A_template_with_a_security_context_of_its_own_is_left_as_written()
    {
        var pod = Pod("""{"spec": {"containers": [{"name": "ray", "securityContext": {"capabilities": {"add": ["SYS_PTRACE"]}}}]}}""");
        var before = pod.DeepClone();

        Assert.False(PodSecurityDefaults.Apply(pod));

        Assert.True(JsonNode.DeepEquals(before, pod));
    }

    private static JsonObject Pod(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Sets a value at a JSON pointer, creating mappings on the way (a numeric segment indexes a list).</summary>
    private static void Set(JsonObject root, string pointer, JsonNode? value)
    {
        var parts = pointer.Trim('/').Split('/');
        JsonNode node = root;
        foreach (var part in parts[..^1])
        {
            if (node is JsonArray array)
            {
                node = array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]!;
                continue;
            }

            var obj = node.AsObject();
            if (obj[part] is null)
            {
                obj[part] = new JsonObject();
            }

            node = obj[part]!;
        }

        node.AsObject()[parts[^1]] = value;
    }
}
