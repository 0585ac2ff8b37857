using System.Collections.Immutable;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Fleet.Config;

/// <summary>
/// Which taints a pod group tolerates, the Kubernetes way: what the workload's <c>tolerations</c> setting and (raw form)
/// the group's own pod template say, plus what a pod earns by itself. A GPU pod earns the GPU toleration (the one
/// Kubernetes' ExtendedResourceToleration admission adds to pods requesting <c>nvidia.com/gpu</c>: key
/// <c>nvidia.com/gpu</c>, Exists, NoSchedule); every pod earns AKS's spot taint, so a spot pool is usable on AKS as it is on
/// EKS and GKE (whose spot nodes carry no taint). Placement puts a group only on pools whose repelling taints it
/// tolerates; rendering adds no other toleration.
/// </summary>
public static class PodTolerations
{
    /// <summary>The toleration every GPU pod earns: <c>nvidia.com/gpu</c> Exists NoSchedule.</summary>
    public static Toleration Gpu { get; } = new(PoolTaints.GpuKey, Toleration.ExistsOperator, null, "NoSchedule");

    /// <summary>The toleration of AKS's spot taint, which every pod earns.</summary>
    public static Toleration AksSpot { get; } = Toleration.Of(PoolTaints.AksSpot);

    /// <summary>The tolerations a group earns by itself (not written anywhere): GPU for GPU pods, AKS spot for all.</summary>
    /// <param name="group">The pod group.</param>
    /// <returns>The tolerations, GPU first.</returns>
    public static ImmutableArray<Toleration> Automatic(PodGroupDemand group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.Pod.Gpus > 0 ? [Gpu, AksSpot] : [AksSpot];
    }

    /// <summary>Every toleration of a group: the workload's setting, the template's own, the automatic ones.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="group">One of its pod groups.</param>
    /// <returns>The tolerations.</returns>
    public static ImmutableArray<Toleration> Of(WorkloadSpec workload, PodGroupDemand group)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(group);
        var template = workload.TemplateTolerations.TryGetValue(group.Group, out var own) ? own : [];
        return [.. workload.Tolerations.IsDefault ? [] : workload.Tolerations, .. template, .. Automatic(group)];
    }

    /// <summary>The first of a pool's taints (<see cref="PoolTaints.Effective(CloudProvider, NodePoolSpec, bool)"/>) that repels pods with these tolerations, or null.</summary>
    /// <param name="taints">The pool's taints.</param>
    /// <param name="tolerations">The pod's tolerations.</param>
    /// <returns>The taint, or null when the pod may run there.</returns>
    public static NodeTaint? Repelling(IEnumerable<NodeTaint> taints, IReadOnlyCollection<Toleration> tolerations)
    {
        ArgumentNullException.ThrowIfNull(taints);
        ArgumentNullException.ThrowIfNull(tolerations);
        foreach (var taint in taints)
        {
            if (PoolTaints.Repels(taint) && !Toleration.AnyTolerates(tolerations, taint))
            {
                return taint;
            }
        }

        return null;
    }
}
