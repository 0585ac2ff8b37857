using System.Collections.Immutable;
using SkyRay.Fleet.Config;

namespace SkyRay.Placement.Labels;

/// <summary>The labels a cluster carries for policy selection: the user's plus the ones SkyRay sets.</summary>
public static class ClusterLabels
{
    /// <summary>
    /// User labels overlaid with <see cref="WellKnownLabels"/> (name, provider, region, version, lifecycle).
    /// SkyRay's values win over a user label of the same key, so a policy can always trust them.
    /// </summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>All labels, sorted by key.</returns>
    public static ImmutableSortedDictionary<string, string> For(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var labels = cluster.Labels.WithComparers(StringComparer.Ordinal).ToBuilder();
        labels[WellKnownLabels.ClusterName] = cluster.Name;
        labels[WellKnownLabels.Provider] = ProviderNames.Of(cluster.Provider);
        if (cluster.Region is not null)
        {
            labels[WellKnownLabels.Region] = cluster.Region;
        }

        labels[WellKnownLabels.KubernetesVersion] = cluster.KubernetesVersion;
        labels[WellKnownLabels.Lifecycle] = cluster.Lifecycle == ClusterLifecycle.Static ? "static" : "dynamic";
        return labels.ToImmutable();
    }

    /// <summary>The labels of a namespace as Kubernetes sets them (<c>kubernetes.io/metadata.name</c>).</summary>
    /// <param name="ns">Namespace name.</param>
    /// <returns>The labels.</returns>
    public static ImmutableSortedDictionary<string, string> ForNamespace(string ns) =>
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add(WellKnownLabels.ClusterName, ns);
}
