using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Observations;
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
    /// <param name="view">What is observed: a record points only at clusters whose copy is observed Ready, serving and with a load
    /// balancer address. Without an observation it points only at copies a previous run declared on an active cluster, so the
    /// adapter's read of their serve Service has a Service to find. Null: no filter (callers that only step plans).</param>
    /// <param name="draining">Clusters that take no new work: left out of a record as soon as another target serves.</param>
    /// <returns>One record per traffic record with a target (or held at its previous targets), sorted by name.</returns>
    public static ImmutableArray<TrafficRecordSpec> Decide(
        FleetSpec spec, FleetPlan plan, FleetOutputs? previous, IReadOnlyDictionary<string, UpgradeState>? upgrades = null, FleetView? view = null, IReadOnlySet<string>? draining = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        // Read only for the records below: a stack without traffic records never needs it.
        var declaredBefore = view is { Observed: false } && spec.Traffic.Count > 0 ? UpgradePolicy.ReadyFromPrevious(spec, previous) : null;
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

            var addresses = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
            if (view is { Observed: true } || declaredBefore is not null)
            {
                var workload = spec.Workloads[record.Workload];
                var waiting = new List<string>();
                var unseen = new List<string>();
                foreach (var target in serving.Order(StringComparer.Ordinal).ToList())
                {
                    var copy = view!.Observed ? view.Copy(workload, target) : null;
                    var ready = copy?.Serving ?? declaredBefore!.AllReady(target, [record.Workload]);
                    if (!ready)
                    {
                        serving.Remove(target);
                        (copy?.State == CopyState.Unknown ? unseen : waiting).Add(target);
                    }
                    else if (copy is not null)
                    {
                        addresses[target] = [.. copy.Seen!.ServeAddresses];
                    }
                }

                if (unseen.Count > 0)
                {
                    reasons.Add($"{record.Workload} cannot be observed on {string.Join(", ", unseen)}");
                }

                if (waiting.Count > 0)
                {
                    reasons.Add(view!.Observed
                        ? $"waiting for {record.Workload} to be Ready and serving with a load balancer address on {string.Join(", ", waiting)}"
                        : $"{record.Workload} on {string.Join(", ", waiting)} was not declared on an active cluster last run (no observation), so its serve Service may not exist yet");
                }
            }

            if (draining is not null && serving.Any(c => !draining.Contains(c)) && serving.Any(draining.Contains))
            {
                var leaving = serving.Where(draining.Contains).Order(StringComparer.Ordinal).ToList();
                serving.ExceptWith(leaving);
                reasons.Add($"leaves {string.Join(", ", leaving)} (takes no new work)");
            }

            var ordered = serving.Order(StringComparer.Ordinal).ToImmutableArray();
            var previousTargets = previous?.Traffic.GetValueOrDefault(record.Name, []) ?? [];
            previousTargets = previousTargets.IsDefault ? [] : previousTargets;
            if (ordered.IsEmpty)
            {
                var previousAddresses = previous?.TrafficAddresses.GetValueOrDefault(record.Name, []) ?? [];
                if (!previousTargets.IsEmpty && !previousAddresses.IsDefaultOrEmpty)
                {
                    // No target serves yet: the record stays as it was rather than being removed or pointed at nothing.
                    var held = previousTargets.ToImmutableSortedDictionary(t => t, _ => previousAddresses, StringComparer.Ordinal);
                    var heldType = previous?.Traffic.ContainsKey(record.Name) == true && previousAddresses.Any(a => !System.Net.IPAddress.TryParse(a, out _)) ? TrafficRecordType.Cname : TrafficRecordType.A;
                    result.Add(new TrafficRecordSpec(record, previousTargets, heldType, previousTargets, $"no target serves yet ({string.Join("; ", reasons)}); the record keeps its previous addresses")
                    {
                        Addresses = held,
                        Held = true,
                    });
                }

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

            var reason = reasons.Count == 0 ? $"clusters serving {record.Workload}" : string.Join("; ", reasons);
            result.Add(new TrafficRecordSpec(record, ordered, type, previousTargets, reason)
            {
                PreviousAddresses = previous?.TrafficAddresses.GetValueOrDefault(record.Name, []) is { IsDefault: false } known ? known : [],
                Addresses = addresses.ToImmutable().Where(a => ordered.Contains(a.Key)).ToImmutableSortedDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            });
        }

        return result.ToImmutable();
    }
}
