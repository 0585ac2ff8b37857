using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Security;

/// <summary>
/// Finds, before anything is deployed, the raw pod templates the namespace's <c>restricted</c> Pod Security admission
/// would reject: each template is checked as the renderer will write it (the restricted security context added where
/// the template sets none), so what is left is what the user wrote: a security context of their own that does not
/// meet the profile, a hostPath volume, a host port, a privileged sidecar. Structured workloads need no check: SkyRay
/// writes their pods whole.
/// </summary>
public static class PodSecurityCheck
{
    /// <summary>Checks every raw workload at the restricted level of a loaded fleet.</summary>
    /// <param name="fleet">The fleet.</param>
    /// <param name="diagnostics">Where each violation goes, as an error at its config path.</param>
    public static void CheckFleet(FleetSpec fleet, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var (name, workload) in fleet.Workloads)
        {
            if (workload.RawSpec is { } spec && workload.Security.PodSecurity == PodSecurityLevel.Restricted)
            {
                Check(workload.Kind, spec, $"skyray:workloads.{name}.spec", diagnostics);
            }
        }
    }

    /// <summary>Checks one raw spec's pod templates (and its autoscaler sidecar's context) as they will be rendered.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="spec">The raw spec (not changed).</param>
    /// <param name="specPath">Its config path.</param>
    /// <param name="diagnostics">Where violations go.</param>
    public static void Check(RayKind kind, JsonObject spec, string specPath, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var template in RayPodTemplates.Of(kind, spec, specPath))
        {
            var rendered = (JsonObject)template.Template.DeepClone();
            PodSecurityDefaults.Apply(rendered);
            foreach (var violation in RestrictedProfile.Check(rendered, template.Path))
            {
                Report(violation, diagnostics);
            }
        }

        var cluster = RayPodTemplates.ClusterPart(kind, spec);
        if (cluster?["enableInTreeAutoscaling"] is JsonValue on && on.GetValueKind() == JsonValueKind.True &&
            cluster["autoscalerOptions"]?["securityContext"] is JsonObject written)
        {
            // KubeRay gives the sidecar this context as its own; it shares the head pod's pod-level context.
            var head = RayPodTemplates.Of(kind, spec, specPath).FirstOrDefault(t => t.Group == RawSpecDemand.HeadGroup);
            var podContext = head?.Template["spec"]?["securityContext"]?.DeepClone() ?? (head is not null && !PodSecurityDefaults.HasOwnSecurityContext(head.Template) ? PodSecurityDefaults.PodContext() : null);
            var pod = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "autoscaler", ["securityContext"] = written.DeepClone() }),
                    ["securityContext"] = podContext,
                },
            };
            var autoscalerPath = RayPodTemplates.ClusterPartPath(kind, specPath) + ".autoscalerOptions.securityContext";
            foreach (var violation in RestrictedProfile.Check(pod, "autoscaler").Where(v => v.Path.StartsWith("autoscaler.spec.containers[0].securityContext", StringComparison.Ordinal)))
            {
                Report(violation with { Path = autoscalerPath + violation.Path["autoscaler.spec.containers[0].securityContext".Length..] }, diagnostics);
            }
        }
    }

    private static void Report(PodSecurityViolation violation, DiagnosticBag diagnostics) =>
        diagnostics.Error(
            violation.Path,
            $"the namespace enforces the 'restricted' Pod Security Standard, which would reject this pod ({violation.Control}: {violation.Problem})",
            "fix the pod template (or remove its securityContext so SkyRay writes a restricted one), or relax the workload's namespace with security: {podSecurity: baseline}");
}
