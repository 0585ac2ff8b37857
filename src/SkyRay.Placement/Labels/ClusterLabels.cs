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
        labels[WellKnownLabels.Provider] = ProviderName(cluster.Provider);
        if (cluster.Region is not null)
        {
            labels[WellKnownLabels.Region] = cluster.Region;
        }

        labels[WellKnownLabels.KubernetesVersion] = cluster.KubernetesVersion;
        labels[WellKnownLabels.Lifecycle] = cluster.Lifecycle == ClusterLifecycle.Static ? "static" : "dynamic";
        return labels.ToImmutable();
    }

    /// <summary>The lower-case provider name used in labels and catalog keys (<c>aws</c>, <c>azure</c>, <c>gcp</c>, <c>existing</c>).</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>Its name.</returns>
    public static string ProviderName(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => "aws",
        CloudProvider.Azure => "azure",
        CloudProvider.Gcp => "gcp",
        _ => "existing",
    };

    /// <summary>The labels of a namespace as Kubernetes sets them (<c>kubernetes.io/metadata.name</c>).</summary>
    /// <param name="ns">Namespace name.</param>
    /// <returns>The labels.</returns>
    public static ImmutableSortedDictionary<string, string> ForNamespace(string ns) =>
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add(WellKnownLabels.ClusterName, ns);
}
