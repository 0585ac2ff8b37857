using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Config;

/// <summary>What the KubeRay operator may see and touch on a cluster.</summary>
public enum OperatorScope
{
    /// <summary>Only the namespaces of the workloads on its cluster: namespaced RBAC (Roles) and <c>--watch-namespace</c> (the default).</summary>
    Namespaced,

    /// <summary>Every namespace, through a ClusterRole (the chart's own default).</summary>
    Cluster,
}

/// <summary><c>skyray:kuberay</c>: how the KubeRay operator is installed on every live cluster.</summary>
/// <param name="ChartVersion">kuberay-operator chart version (default 1.7.0).</param>
/// <param name="Namespace">Namespace of the operator release (default <c>kuberay-system</c>).</param>
/// <param name="Values">Extra Helm values merged over SkyRay's defaults. Read-only.</param>
public sealed record KubeRaySettings(string ChartVersion, string Namespace, JsonObject Values)
{
    /// <summary>The chart version used when config names none.</summary>
    public const string DefaultChartVersion = "1.7.0";

    /// <summary>The namespace used when config names none.</summary>
    public const string DefaultNamespace = "kuberay-system";

    /// <summary>Defaults: chart 1.7.0 in <c>kuberay-system</c>, namespaced, no extra values.</summary>
    public static KubeRaySettings Default => new(DefaultChartVersion, DefaultNamespace, []);

    /// <summary>What the operator watches (<c>skyray:kuberay.scope</c>); namespaced unless config says <c>cluster</c>.</summary>
    public OperatorScope Scope { get; init; } = OperatorScope.Namespaced;
}
