using System.Text.Json.Nodes;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Security;

/// <summary>
/// The security context SkyRay writes on Ray pod templates so they pass the Kubernetes Pod Security Standards'
/// <c>restricted</c> profile (kubernetes.io/docs/concepts/security/pod-security-standards): pod-level
/// <c>runAsNonRoot: true</c>, <c>runAsUser: 1000</c>, <c>runAsGroup: 100</c> and <c>seccompProfile: RuntimeDefault</c>;
/// per container <c>allowPrivilegeEscalation: false</c> and <c>capabilities.drop: [ALL]</c>.
/// <para>
/// 1000 / 100 are the <c>ray</c> user and <c>users</c> group of the official <c>rayproject/ray</c> images (their
/// base-deps Dockerfile creates <c>ray</c> with <c>--uid 1000 --gid 100</c> and ends with <c>USER 1000</c>). Writing
/// the uid out keeps images whose <c>USER</c> is a name (which the kubelet cannot check against <c>runAsNonRoot</c>)
/// from being refused at container start.
/// </para>
/// A template that sets any security context of its own (pod level or any container) is left as written: the user
/// chose, and validation checks the result against the profile.
/// </summary>
public static class PodSecurityDefaults
{
    /// <summary>The uid of the <c>ray</c> user in the official Ray images.</summary>
    public const int RayUid = 1000;

    /// <summary>The gid of the <c>ray</c> user's primary group (<c>users</c>) in the official Ray images.</summary>
    public const int RayGid = 100;

    /// <summary>True when the pod template sets a security context anywhere (pod or any container).</summary>
    /// <param name="template">A pod template (<c>metadata</c>, <c>spec</c>).</param>
    /// <returns>True when the user wrote one.</returns>
    public static bool HasOwnSecurityContext(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template["spec"] is not JsonObject podSpec)
        {
            return false;
        }

        if (podSpec["securityContext"] is not null)
        {
            return true;
        }

        foreach (var container in RayPodTemplates.ContainersOf(podSpec))
        {
            if (container["securityContext"] is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Writes the restricted security context on a template that sets none (pod level and every container, init
    /// containers included: KubeRay copies the Ray container's context to the init container it injects).
    /// </summary>
    /// <param name="template">A pod template; changed in place.</param>
    /// <returns>True when the context was written; false when the template has its own or no pod spec.</returns>
    public static bool Apply(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template["spec"] is not JsonObject podSpec || HasOwnSecurityContext(template))
        {
            return false;
        }

        podSpec["securityContext"] = PodContext();
        foreach (var container in RayPodTemplates.ContainersOf(podSpec))
        {
            container["securityContext"] = ContainerContext();
        }

        return true;
    }

    /// <summary>The pod-level context: non-root as the Ray image's user, RuntimeDefault seccomp.</summary>
    /// <returns>A new object.</returns>
    public static JsonObject PodContext() => new()
    {
        ["runAsGroup"] = RayGid,
        ["runAsNonRoot"] = true,
        ["runAsUser"] = RayUid,
        ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
    };

    /// <summary>
    /// The container-level context: no privilege escalation, every capability dropped. Complete on its own (non-root,
    /// seccomp) as well, because KubeRay's autoscaler sidecar takes <c>autoscalerOptions.securityContext</c> as its
    /// whole context.
    /// </summary>
    /// <returns>A new object.</returns>
    public static JsonObject ContainerContext() => new()
    {
        ["allowPrivilegeEscalation"] = false,
        ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
        ["runAsNonRoot"] = true,
        ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
    };
}
