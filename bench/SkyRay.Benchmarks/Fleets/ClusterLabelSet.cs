using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;

namespace SkyRay.Benchmarks.Fleets;

/// <summary>A cluster's labels as policies see them (user labels plus the ones SkyRay sets), and selector matching.</summary>
internal static class ClusterLabelSet
{
    public static Dictionary<string, string> Of(ClusterSpec cluster)
    {
        var labels = new Dictionary<string, string>(cluster.Labels, StringComparer.Ordinal)
        {
            [WellKnownLabels.ClusterName] = cluster.Name,
            [WellKnownLabels.Provider] = ProviderNames.Of(cluster.Provider),
            [WellKnownLabels.KubernetesVersion] = cluster.KubernetesVersion,
            [WellKnownLabels.Lifecycle] = cluster.Lifecycle == ClusterLifecycle.Static ? "static" : "dynamic",
        };
        if (cluster.Region is not null)
        {
            labels[WellKnownLabels.Region] = cluster.Region;
        }

        return labels;
    }

    public static bool Matches(LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }

        foreach (var (key, value) in selector.MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var e in selector.MatchExpressions)
        {
            var has = labels.TryGetValue(e.Key, out var actual);
            var ok = e.Operator switch
            {
                SelectorOperator.In => has && e.Values.Contains(actual!),
                SelectorOperator.NotIn => !has || !e.Values.Contains(actual!),
                SelectorOperator.Exists => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
