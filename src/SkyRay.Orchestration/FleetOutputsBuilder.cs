using System.Collections.Immutable;
using SkyRay.Fleet.Collections;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Security;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration;

/// <summary>Builds the stack outputs from a spec and its plan: plain data, deterministic.</summary>
public static class FleetOutputsBuilder
{
    /// <summary>Builds the outputs.</summary>
    /// <param name="spec">The stack as declared.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="idleSince">Per idle cluster, since when (ISO 8601); null when standby is not tracked.</param>
    /// <returns>Every cluster (absent ones included, so a reader sees the whole fleet), every workload with its
    /// targets (empty when unplaced), one explanation line per workload, the placements JSON, and where each copy's Ray
    /// token lives.</returns>
    public static FleetOutputs Build(FleetSpec spec, FleetPlan plan, IReadOnlyDictionary<string, string>? idleSince = null) =>
        Build(spec, plan, idleSince, keepPlan: false);

    /// <summary>Builds the outputs, the placements kept as a plan when <paramref name="keepPlan"/> is set and the plan's text would
    /// read back as the same data (<see cref="FleetOutputs.PlacementsPlan"/>): for a caller that reads the outputs back in this
    /// process (<see cref="Outputs.StackOutputs.ReadBack"/>) and needs no text.</summary>
    /// <param name="spec">The stack as declared.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="idleSince">Per idle cluster, since when (ISO 8601); null when standby is not tracked.</param>
    /// <param name="keepPlan">Keep the placements as a plan instead of writing their text.</param>
    /// <returns>The outputs, as <see cref="Build(FleetSpec, FleetPlan, IReadOnlyDictionary{string, string}?)"/> describes.</returns>
    public static FleetOutputs Build(FleetSpec spec, FleetPlan plan, IReadOnlyDictionary<string, string>? idleSince, bool keepPlan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);

        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterOutput>(StringComparer.Ordinal);
        foreach (var cluster in spec.Clusters.Values)
        {
            var state = plan.Clusters.TryGetValue(cluster.Name, out var p) ? p.State : ClusterState.Absent;
            clusters[cluster.Name] = new ClusterOutput(Words.Of(cluster.Provider), cluster.KubernetesVersion, Words.Of(cluster.Lifecycle), Words.Of(state), idleSince?.GetValueOrDefault(cluster.Name));
        }

        var workloads = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        var tokens = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<RayTokenLocation>>(StringComparer.Ordinal);
        var explanation = ImmutableArray.CreateBuilder<string>(spec.Workloads.Count);
        // The plan's placements walked beside the spec's workloads (both in ordinal name order in every run), not looked up by
        // name: this runs for every workload of every run.
        using var byName = new InOrderLookup<WorkloadPlacement>(plan.Placements, ReferenceEquals(spec.Workloads.KeyComparer, StringComparer.Ordinal));
        foreach (var (workload, workloadSpec) in spec.Workloads)
        {
            if (byName.Find(workload) is not { } placement)
            {
                workloads[workload] = [];
                explanation.Add($"{workload}: not planned");
                continue;
            }

            var targets = Targets(placement.Copies);
            workloads[workload] = targets;
            explanation.Add(Explain(placement, targets));
            if (Locations(workloadSpec, targets) is { } locations)
            {
                tokens[workload] = locations;
            }
        }

        var placements = WithoutVerdicts(plan);
        var kept = keepPlan && PlanJson.ReadsBackTheSame(placements);
        return new FleetOutputs(clusters.ToImmutable(), workloads.ToImmutable(), explanation.ToImmutable(), kept ? string.Empty : PlanJson.WriteShared(placements))
        {
            PlacementsPlan = kept ? placements : null,
            RayTokens = tokens.ToImmutable(),
        };
    }

    /// <summary>
    /// The plan as the placements output keeps it: without verdicts. The next run reads placements and cluster states
    /// back for stability, never the verdicts; and an unplaced workload has a verdict for every cluster, so a large stack
    /// wrote clusters × unplaced workloads of them (about 1 GB of JSON at 200 clusters × 20,000 workloads).
    /// </summary>
    /// <param name="plan">The run's plan.</param>
    /// <returns>The same plan with every placement's verdicts empty.</returns>
    public static FleetPlan WithoutVerdicts(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var placements = plan.Placements.ToBuilder();
        foreach (var (name, placement) in plan.Placements)
        {
            // One without verdicts already (an empty list, not a default one) is kept as it is: the same data.
            if (placement.Verdicts.IsDefault || !placement.Verdicts.IsEmpty)
            {
                placements[name] = placement with { Verdicts = [] };
            }
        }

        return plan with { Placements = placements.ToImmutable() };
    }

    /// <summary>
    /// Where the token of each target's copy lives, in target order, leaving out copies without authentication; null when
    /// none has one (a loop: asked for every workload of every run, most of them unplaced or without authentication).
    /// </summary>
    private static ImmutableArray<RayTokenLocation>? Locations(WorkloadSpec workload, ImmutableArray<string> targets)
    {
        ImmutableArray<RayTokenLocation>.Builder? locations = null;
        foreach (var cluster in targets)
        {
            if (RayAuth.Location(workload, cluster) is { } location)
            {
                (locations ??= ImmutableArray.CreateBuilder<RayTokenLocation>(targets.Length)).Add(location);
            }
        }

        return locations?.ToImmutable();
    }

    /// <summary>The clusters of a workload's copies in ordinal order; most workloads have none or one (no sort, no LINQ).</summary>
    private static ImmutableArray<string> Targets(ImmutableArray<WorkloadCopy> copies) => copies.Length switch
    {
        0 => [],
        1 => [copies[0].Cluster],
        _ => copies.Select(c => c.Cluster).Order(StringComparer.Ordinal).ToImmutableArray(),
    };

    /// <summary>The explanation line of an unplaced workload, the same string as last run's while its reason is the same.</summary>
    private static readonly RepeatedLines<string> UnplacedLines = new(static (workload, reason) => $"{workload}: unplaced: {reason}");

    private static string Explain(WorkloadPlacement placement, ImmutableArray<string> targets)
    {
        if (targets.IsEmpty)
        {
            return UnplacedLines.For(placement.Workload, placement.UnplacedReason ?? "no cluster fits");
        }

        var by = placement.Policy is null ? "available capacity" : $"policy {placement.Policy}";
        // The first accepted verdict of the first target (a loop, not FirstOrDefault with a lambda that captured the targets).
        ClusterVerdict? first = null;
        foreach (var v in placement.Verdicts)
        {
            if (v.Accepted && v.Cluster == targets[0])
            {
                first = v;
                break;
            }
        }

        var why = first is null || first.Reason.Length == 0 ? string.Empty : $": {first.Reason}";
        return $"{placement.Workload} → {string.Join(", ", targets)} ({by}){why}";
    }
}
