using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Infra.Inputs;
using SkyRay.Orchestration.Autoscaling;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.Clusters;

/// <summary>
/// A Cluster Autoscaler the cloud side is ready for (identity bound, node groups declared); the Helm release itself
/// needs the cluster's Kubernetes provider, so the connector declares it with <see cref="ClusterAutoscaler.Install"/>.
/// </summary>
/// <param name="Release">The release the core decided on.</param>
/// <param name="ClusterName">The cloud's name of the cluster (auto-discovery matches the groups EKS tagged with it).</param>
/// <param name="DependsOn">What must exist before the pod starts: the identity association and agent, the node groups.</param>
/// <param name="SkipAwait">Declare the release without waiting for its pod (no node planned for it: standby, or every
/// pool at zero).</param>
internal sealed record ClusterAutoscalerBinding(
    ClusterAutoscalerRelease Release, Output<string> ClusterName, ImmutableArray<Resource> DependsOn, bool SkipAwait);

/// <summary>Declares the Cluster Autoscaler Helm release.</summary>
internal static class ClusterAutoscaler
{
    /// <summary>Declares the release <c>&lt;cluster&gt;-cluster-autoscaler</c> on the cluster's provider, under its component.</summary>
    /// <param name="cluster">The cluster's name.</param>
    /// <param name="binding">What the provisioner prepared.</param>
    /// <param name="provider">The cluster's Kubernetes provider.</param>
    /// <param name="parent">The cluster's component.</param>
    /// <returns>The release.</returns>
    public static K8s.Helm.V3.Release Install(string cluster, ClusterAutoscalerBinding binding, K8s.Provider provider, Resource parent)
    {
        var release = binding.Release;
        // InputMap refuses a second, different value for a key, so the discovery block is replaced, not added to.
        var json = (JsonObject)release.Values.DeepClone();
        json.Remove("autoDiscovery");
        var values = JsonInputs.ToInputMap(json);
        // The only value the core cannot know: EKS auto-names clusters, and the chart's default discovery tags
        // (k8s.io/cluster-autoscaler/enabled, k8s.io/cluster-autoscaler/<name>) are the ones EKS puts on every managed
        // node group's Auto Scaling group.
        values["autoDiscovery"] = binding.ClusterName.Apply(name => (object)new Dictionary<string, object>(StringComparer.Ordinal) { ["clusterName"] = name });
        return new K8s.Helm.V3.Release(NodePools.ChildName(cluster, release.ReleaseName), new K8s.Types.Inputs.Helm.V3.ReleaseArgs
        {
            Name = release.ReleaseName,
            Chart = release.Chart,
            Version = release.Version,
            Namespace = release.Namespace,
            RepositoryOpts = new K8s.Types.Inputs.Helm.V3.RepositoryOptsArgs { Repo = release.Repository },
            Values = values,
            SkipAwait = binding.SkipAwait,
        }, new CustomResourceOptions { Parent = parent, Provider = provider, DependsOn = binding.DependsOn.ToArray() });
    }
}
