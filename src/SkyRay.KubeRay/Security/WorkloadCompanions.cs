using System.Collections.Immutable;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.KubeRay.Security;

/// <summary>
/// The objects that go with one placed copy of a workload, declared before its Ray object in its namespace: its
/// NetworkPolicy (<see cref="WorkloadNetworkPolicy"/>), unless the workload opted out with <c>security.networkPolicy: false</c>.
/// </summary>
public static class WorkloadCompanions
{
    /// <summary>The companions of a copy.</summary>
    /// <param name="target">The copy, with the stack it belongs to (a copy rendered on its own has none).</param>
    /// <param name="rendered">The copy's Ray object as deployed: the policy follows its head's port names.</param>
    /// <returns>The objects, in declaration order.</returns>
    public static ImmutableArray<KubeObject> For(WorkloadTarget target, KubeObject rendered)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(rendered);
        if (target.Fleet is not { } fleet || !target.Workload.Security.NetworkPolicy)
        {
            return [];
        }

        // The operator's namespace and name label are the same on every cluster: read from the settings, not from a
        // release built (values merged and cloned) for each copy.
        var exposure = ServeExposure.IsExposed(fleet, target.Workload.Name) ? ServeExposure.Of(target.Workload) : null;
        return WorkloadNetworkPolicy.Build(target.Workload, target.Cluster.Name, rendered, fleet.KubeRay.Namespace, WorkloadNetworkPolicy.OperatorName(fleet.KubeRay), exposure) is { } policy ? [policy] : [];
    }
}
