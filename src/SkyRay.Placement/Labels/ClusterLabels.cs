using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using SkyRay.Fleet.Config;

namespace SkyRay.Placement.Labels;

/// <summary>The labels a cluster carries for policy selection: the user's plus the ones SkyRay sets.</summary>
public static class ClusterLabels
{
    /// <summary>The labels of each cluster spec object asked about, as long as the object lives.</summary>
    private static readonly ConditionalWeakTable<ClusterSpec, ImmutableSortedDictionary<string, string>> Known = [];

    /// <summary>
    /// User labels overlaid with <see cref="WellKnownLabels"/> (name, provider, region, version, lifecycle).
    /// SkyRay's values win over a user label of the same key, so a policy can always trust them.
    /// </summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>All labels, sorted by key.</returns>
    public static ImmutableSortedDictionary<string, string> For(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        // A cluster spec is immutable, and a process that plans many runs of one stack (the trace simulation: a run every
        // tick) asks again about the same spec objects: made once per spec object, dropped with it.
        return Known.GetValue(cluster, Make);
    }

    private static ImmutableSortedDictionary<string, string> Make(ClusterSpec cluster)
    {
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
