using System.Globalization;
using System.Text;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Benchmarks.EndToEnd;

/// <summary>
/// Writes a synthetic <see cref="FleetSpec"/> as the Pulumi stack file a user would write (the keys of docs/config.md),
/// so the end-to-end benchmark starts where a user's run starts: the file.
/// </summary>
internal static class StackFileWriter
{
    /// <summary>Writes the stack file.</summary>
    /// <param name="spec">The fleet.</param>
    /// <param name="warningEach">Give every workload an image on the moving tag <c>latest</c>: one warning per workload.</param>
    public static string Write(FleetSpec spec, bool warningEach = false)
    {
        var y = new StringBuilder(1 << 20);
        y.Append("config:\n  skyray:clusters:\n");
        foreach (var c in spec.Clusters.Values)
        {
            y.Append(CultureInfo.InvariantCulture, $"    {c.Name}:\n      provider: {ProviderNames.Of(c.Provider)}\n      region: {c.Region}\n      kubernetesVersion: \"{c.KubernetesVersion}\"\n");
            y.Append("      lifecycle: ").Append(c.Lifecycle == ClusterLifecycle.Static ? "static" : "dynamic").Append('\n');
            if (c.Standby is { } standby)
            {
                y.Append(CultureInfo.InvariantCulture, $"      standby: {{mode: {(standby.Mode == StandbyMode.Suspend ? "suspend" : "delete")}, idleAfter: {(int)standby.IdleAfter.TotalMinutes}m}}\n");
            }

            y.Append("      labels: {").Append(string.Join(", ", c.Labels.Select(l => $"{l.Key}: {l.Value}"))).Append("}\n      nodePools:\n");
            foreach (var p in c.NodePools)
            {
                var zones = p.Zones.IsDefaultOrEmpty ? string.Empty : $", zones: [{string.Join(", ", p.Zones)}]";
                y.Append(CultureInfo.InvariantCulture, $"        - {{name: {p.Name}, instanceType: {p.InstanceType}, minNodes: {p.MinNodes}, maxNodes: {p.MaxNodes}{zones}}}\n");
            }
        }

        y.Append("  skyray:workloads:\n");
        foreach (var w in spec.Workloads.Values)
        {
            var gpu = w.WorkerGroups.Any(g => g.Gpu > 0);
            y.Append(CultureInfo.InvariantCulture, $"    {w.Name}:\n      kind: {w.Kind}\n      namespace: {w.Namespace}\n");
            y.Append("      labels: {").Append(string.Join(", ", w.Labels.Select(l => $"{l.Key}: {l.Value}"))).Append("}\n");
            if (w.Policy is { } policy)
            {
                y.Append("      policy: ").Append(policy).Append('\n');
            }

            var image = warningEach ? w.Image[..w.Image.LastIndexOf(':')] + ":latest" : w.Image + (gpu ? "-gpu" : "");
            y.Append(CultureInfo.InvariantCulture, $"      rayVersion: \"{w.RayVersion}\"\n      image: {image}\n");
            y.Append(CultureInfo.InvariantCulture, $"      head: {{cpu: {w.Head!.Cpu}, memory: {w.Head.Memory}}}\n      workerGroups:\n");
            foreach (var g in w.WorkerGroups)
            {
                var gpuPart = g.Gpu > 0 ? $", gpu: {g.Gpu}, gpuType: {g.GpuType}" : "";
                y.Append(CultureInfo.InvariantCulture, $"        - {{name: {g.Name}, cpu: {g.Cpu}, memory: {g.Memory}{gpuPart}, replicas: {g.Replicas}, minReplicas: {g.MinReplicas}, maxReplicas: {g.MaxReplicas}}}\n");
            }

            if (w.Kind == RayKind.RayJob)
            {
                y.Append("      entrypoint: python main.py\n");
            }
            else if (w.Kind == RayKind.RayService)
            {
                y.Append("      serveConfigV2: {applications: [{name: app, import_path: \"main:app\"}]}\n");
            }
        }

        y.Append("  skyray:policies:\n");
        foreach (var p in spec.Policies.Values)
        {
            y.Append("    ").Append(p.Name).Append(":\n");
            if (p.ClusterSelector is { } cs)
            {
                y.Append("      clusterSelector: ").Append(Selector(cs)).Append('\n');
            }

            if (p.OrderedClusterSelector is { } os)
            {
                y.Append("      orderedClusterSelector: ").Append(Selector(os)).Append('\n');
            }

            if (p.GroupByLabelKey is { } key)
            {
                y.Append("      groupBy: {labelKey: ").Append(key).Append("}\n");
            }

            if (p.Spread is { } spread)
            {
                y.Append(CultureInfo.InvariantCulture, $"      spreadConstraints:\n        topologyKey: {spread.TopologyKey}\n        spreadMode: {spread.Mode}\n");
                if (!spread.PercentageSplit.IsDefaultOrEmpty)
                {
                    y.Append("        percentageSplit: [").Append(string.Join(", ", spread.PercentageSplit.Select(s => $"{{topologyValue: {s.TopologyValue}, percentage: {s.Percentage}}}"))).Append("]\n");
                }
            }
        }

        return y.ToString();
    }

    private static string Selector(LabelSelector s)
    {
        var parts = new List<string>();
        if (s.MatchLabels.Count > 0)
        {
            parts.Add("matchLabels: {" + string.Join(", ", s.MatchLabels.Select(l => $"{l.Key}: {l.Value}")) + "}");
        }

        if (!s.MatchExpressions.IsDefaultOrEmpty)
        {
            parts.Add("matchExpressions: [" + string.Join(", ", s.MatchExpressions.Select(e => $"{{key: {e.Key}, operator: {e.Operator}, values: [{string.Join(", ", e.Values)}]}}")) + "]");
        }

        return "{" + string.Join(", ", parts) + "}";
    }
}
