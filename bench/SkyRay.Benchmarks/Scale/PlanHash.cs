using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Scale;

/// <summary>
/// A SHA-256 over everything a plan says (clusters, pools, copies, verdicts, diagnostics), streamed: the JSON text of
/// the largest plans is longer than a string can be. Two builds that print the same hash for a size made the same plan.
/// </summary>
internal static class PlanHash
{
    public static string Of(FleetPlan plan)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder();
        void Flush()
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
            text.Clear();
        }

        foreach (var (name, cluster) in plan.Clusters)
        {
            text.Append(CultureInfo.InvariantCulture, $"C {name} {cluster.State} {cluster.HourlyCost} {cluster.Reason} [{string.Join(",", cluster.Workloads)}]\n");
            foreach (var p in cluster.Pools)
            {
                text.Append(CultureInfo.InvariantCulture, $" P {p.Pool} {p.InstanceType} {p.MinNodes} {p.MaxNodes} {p.DesiredNodes} {p.HourlyCost}\n");
            }
        }

        // Verdict arrays are shared between workloads: hash each distinct array once, then its hash per workload.
        var verdictHashes = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, placement) in plan.Placements)
        {
            text.Append(CultureInfo.InvariantCulture, $"W {name} {placement.Policy} {placement.UnplacedReason}\n");
            foreach (var c in placement.Copies)
            {
                text.Append(CultureInfo.InvariantCulture, $" copy {c.Cluster} {c.Tier} {c.HourlyCost} {string.Join(",", c.WorkerReplicas)} {string.Join(",", c.GroupPools)} {c.Overrides.Length}\n");
            }

            foreach (var m in placement.MissingCopies.IsDefault ? [] : placement.MissingCopies)
            {
                text.Append(CultureInfo.InvariantCulture, $" missing {m.TopologyKey} {m.Domain} {m.Reason}\n");
            }

            object key = ImmutableCollectionsMarshal.AsArray(placement.Verdicts) ?? [];
            if (!verdictHashes.TryGetValue(key, out var vh))
            {
                var v = new StringBuilder();
                foreach (var verdict in placement.Verdicts)
                {
                    v.Append(CultureInfo.InvariantCulture, $"{verdict.Cluster} {verdict.Accepted} {verdict.Score} {verdict.Reason}\n");
                }

                vh = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(v.ToString())));
                verdictHashes[key] = vh;
            }

            text.Append(" V ").Append(vh).Append('\n');
            if (text.Length > 1 << 20)
            {
                Flush();
            }
        }

        foreach (var d in plan.Diagnostics)
        {
            text.Append("D ").Append(d).Append('\n');
        }

        Flush();
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
