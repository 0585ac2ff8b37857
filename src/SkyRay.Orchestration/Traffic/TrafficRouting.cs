using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Traffic;

/// <summary>
/// Decides where each traffic record points: at the clusters the plan puts the record's RayService on, minus the
/// clusters a clone-and-swap upgrade keeps out of traffic in its phase (the clone until the swap, the old cluster after).
/// Pure and deterministic.
/// </summary>
public static class TrafficRouting
{
    /// <summary>The records to declare this run.</summary>
    /// <param name="spec">The stack as declared this run (clones included).</param>
    /// <param name="plan">Its plan (clone copies included).</param>
    /// <param name="previous">The previous run's outputs (for <see cref="TrafficRecordSpec.PreviousTargets"/>), or null.</param>
    /// <param name="upgrades">Upgrade states after this run's step, by configured cluster; null for none.</param>
    /// <returns>One record per traffic record with at least one target, sorted by name.</returns>
    public static ImmutableArray<TrafficRecordSpec> Decide(
        FleetSpec spec, FleetPlan plan, FleetOutputs? previous, IReadOnlyDictionary<string, UpgradeState>? upgrades = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var inFlight = (upgrades?.Values ?? []).Where(u => u.Phase is UpgradePhase.Cloned or UpgradePhase.Swapped or UpgradePhase.Labelled).ToList();
        var result = ImmutableArray.CreateBuilder<TrafficRecordSpec>();
        foreach (var record in spec.Traffic.Values)
        {
            if (!plan.Placements.TryGetValue(record.Workload, out var placement))
            {
                continue;
            }

            var serving = placement.Copies.Select(c => c.Cluster).Where(c => plan.Clusters.TryGetValue(c, out var p) && p.State == ClusterState.Active).ToHashSet(StringComparer.Ordinal);
            var reasons = new List<string>();
            foreach (var upgrade in inFlight.Where(u => u.LiveClusters.Any(serving.Contains)))
            {
                // The live clusters of an upgrade that the traffic record must not reach yet (the clone) or any more (the old one).
                var held = upgrade.LiveClusters.Where(c => !upgrade.TrafficTargets.Contains(c)).ToList();
                serving.ExceptWith(held);
                reasons.Add(upgrade.Phase == UpgradePhase.Swapped
                    ? $"upgrade of {upgrade.Cluster}: swapped to {upgrade.CloneCluster}, {upgrade.Cluster} kept as fallback"
                    : $"upgrade of {upgrade.Cluster}: traffic stays on {upgrade.Cluster} until {upgrade.CloneCluster} serves");
            }

            var ordered = serving.Order(StringComparer.Ordinal).ToImmutableArray();
            if (ordered.IsEmpty)
            {
                continue;
            }

            var hostNamed = ordered.Where(c => spec.Clusters.TryGetValue(c, out var cluster) && cluster.CatalogProvider == "aws").ToImmutableArray();
            var type = hostNamed.IsEmpty ? TrafficRecordType.A : TrafficRecordType.Cname;
            if (type == TrafficRecordType.Cname && ordered.Length > 1)
            {
                // A CNAME holds one name, and an EKS load balancer has a host name rather than fixed addresses.
                reasons.Add($"a CNAME holds one load balancer; {string.Join(", ", ordered.Where(c => c != hostNamed[0]))} not behind the record");
                ordered = [hostNamed[0]];
            }

            var previousTargets = previous?.Traffic.GetValueOrDefault(record.Name, []) ?? [];
            var reason = reasons.Count == 0 ? $"clusters serving {record.Workload}" : string.Join("; ", reasons);
            result.Add(new TrafficRecordSpec(record, ordered, type, previousTargets.IsDefault ? [] : previousTargets, reason));
        }

        return result.ToImmutable();
    }
}
