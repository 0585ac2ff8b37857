using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Security;

/// <summary>
/// The security defaults the renderer writes on a workload's spec, per the workload's <see cref="WorkloadSecurity"/>:
/// <list type="bullet">
/// <item>token authentication (<see cref="RayAuth.Apply"/>);</item>
/// <item>the <c>skyray.io/workload</c> label on every pod template, which the workload's NetworkPolicy selects (only
/// while the workload has one);</item>
/// <item>at the <c>restricted</c> level, the restricted security context on every pod template that sets none
/// (<see cref="PodSecurityDefaults"/>), and on KubeRay's autoscaler sidecar (<c>autoscalerOptions.securityContext</c>,
/// which KubeRay gives the sidecar as its whole context) when in-tree autoscaling is on and none is written.</item>
/// </list>
/// A workload that opts out of all three (<c>auth: disabled</c>, <c>networkPolicy: false</c>, <c>podSecurity</c>
/// relaxed) keeps its spec exactly as written.
/// </summary>
public static class WorkloadHardening
{
    /// <summary>Applies the defaults to a rendered spec, in place.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="spec">The rendered spec (RayCluster, RayJob or RayService spec).</param>
    public static void Apply(WorkloadSpec workload, JsonObject spec)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(spec);
        var cluster = RayPodTemplates.ClusterPart(workload.Kind, spec);
        if (cluster is not null)
        {
            RayAuth.Apply(workload, cluster);
        }

        var restricted = workload.Security.PodSecurity == PodSecurityLevel.Restricted;
        foreach (var template in RayPodTemplates.TemplatesOf(workload.Kind, spec))
        {
            if (workload.Security.NetworkPolicy)
            {
                Label(template, WorkloadNetworkPolicy.PodLabel, workload.Name);
            }

            if (restricted)
            {
                PodSecurityDefaults.Apply(template);
            }
        }

        if (restricted && cluster is not null && cluster["enableInTreeAutoscaling"] is JsonValue on && on.GetValueKind() == JsonValueKind.True)
        {
            var options = cluster["autoscalerOptions"] as JsonObject;
            if (options is null)
            {
                options = [];
                cluster["autoscalerOptions"] = options;
            }

            if (options["securityContext"] is null)
            {
                options["securityContext"] = PodSecurityDefaults.ContainerContext();
            }
        }
    }

    private static void Label(JsonObject template, string key, string value)
    {
        if (template["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            template["metadata"] = metadata;
        }

        if (metadata["labels"] is not JsonObject labels)
        {
            labels = [];
            metadata["labels"] = labels;
        }

        labels[key] = value;
    }
}
