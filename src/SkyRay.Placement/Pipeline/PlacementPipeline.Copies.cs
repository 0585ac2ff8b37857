using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Explain;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline.Filters;
using SkyRay.Placement.Pipeline.Scoring;
using SkyRay.Placement.Pipeline.Selection;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline;

/// <summary>Committing a placement: capacity taken and the members' copies recorded.</summary>
internal sealed partial class PlacementPipeline
{
    /// <summary>Takes the capacity of a copy on the chosen cluster and records the members' copies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddCopies(PlacementUnit unit, ReadOnlySpan<int> counts, in Candidate candidate, string? domain, UnitOutcome outcome)
    {
        var cluster = Model.Clusters[candidate.Cluster];
        Span<int> chosen = stackalloc int[unit.Groups.Length];
        var fit = Packer.Evaluate(unit, counts, cluster, keep: true, chosen);
        if (!fit.Ok)
        {
            throw new InvalidOperationException($"placement of '{unit.Name}' on '{cluster.Name}' no longer fits; the search and the commit disagree");
        }

        AddPacked(unit, counts, candidate with { Tier = fit.Tier }, chosen, domain, outcome);
    }

    /// <summary>
    /// Adds the copies of a unit already packed and kept on the candidate's cluster, <paramref name="chosen"/> giving each
    /// group's pool (the candidate's tier is the pack's).
    /// </summary>
    private void AddPacked(PlacementUnit unit, ReadOnlySpan<int> counts, in Candidate candidate, ReadOnlySpan<int> chosen, string? domain, UnitOutcome outcome)
    {
        var cluster = Model.Clusters[candidate.Cluster];
        for (var m = 0; m < unit.Members.Length; m++)
        {
            var first = -1;
            var last = -1;
            var cost = 0m;
            for (var g = 0; g < unit.Groups.Length; g++)
            {
                var group = unit.Groups[g];
                if (group.Member != m)
                {
                    continue;
                }

                first = first < 0 ? g : first;
                last = g;
                cost += ShareCost(Model.Pools[chosen[g]], group, counts[g]);
            }

            var member = unit.Members[m];
            outcome.AddCopy(m, new WorkloadCopy(
                member.Name,
                cluster.Name,
                WorkerReplicas(unit, counts, first, last),
                GroupPools(unit, chosen, first, last),
                DomainOverrides(unit.Scope.Policy, domain, member),
                candidate.Tier,
                Math.Round(cost, 4)));
        }

        outcome.AddChosen(new Traced(candidate.Cluster, candidate, null));
    }

    /// <summary>
    /// The worker counts of one member's copy. Copies of small workloads share equal dictionaries (a plan of
    /// 100,000 workloads would otherwise build 100,000 near-identical ones), across runs too (<see cref="SharedCopyMaps"/>).
    /// </summary>
    private ImmutableSortedDictionary<string, int> WorkerReplicas(PlacementUnit unit, ReadOnlySpan<int> counts, int first, int last)
    {
        // At most two worker groups (besides head and submitter): one shared instance per (group, count) pairs.
        (string? Group, int Count) a = default, b = default;
        var workers = 0;
        for (var g = first; g <= last && g >= 0; g++)
        {
            if (unit.Groups[g].IsWorker)
            {
                workers++;
                if (workers == 1)
                {
                    a = (unit.Groups[g].Group, counts[g]);
                }
                else
                {
                    b = (unit.Groups[g].Group, counts[g]);
                }
            }
        }

        if (workers <= 2)
        {
            var key = (a.Group, a.Count, b.Group, b.Count);
            if (!_workerMaps.TryGetValue(key, out var shared))
            {
                shared = SharedCopyMaps.WorkersOf(key);
                _workerMaps[key] = shared;
            }

            return shared;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        for (var g = first; g <= last && g >= 0; g++)
        {
            if (unit.Groups[g].IsWorker)
            {
                builder[unit.Groups[g].Group] = counts[g];
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The pool of each group of one member's copy, shared like <see cref="WorkerReplicas"/>.</summary>
    private ImmutableSortedDictionary<string, string> GroupPools(PlacementUnit unit, ReadOnlySpan<int> chosen, int first, int last)
    {
        // Head, one worker group and a submitter at most: one shared instance per (group, pool) pairs.
        if (first >= 0 && last - first <= 2)
        {
            var key = (unit.Groups[first].Group, chosen[first],
                last > first ? unit.Groups[first + 1].Group : null, last > first ? chosen[first + 1] : -1,
                last > first + 1 ? unit.Groups[last].Group : null, last > first + 1 ? chosen[last] : -1);
            if (!_poolMaps.TryGetValue(key, out var shared))
            {
                shared = SharedCopyMaps.PoolsOf((
                    key.Item1, Model.Pools[key.Item2].Name,
                    key.Item3, key.Item3 is null ? null : Model.Pools[key.Item4].Name,
                    key.Item5, key.Item5 is null ? null : Model.Pools[key.Item6].Name));
                _poolMaps[key] = shared;
            }

            return shared;
        }

        var pools = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var g = first; g <= last && g >= 0; g++)
        {
            pools[unit.Groups[g].Group] = Model.Pools[chosen[g]].Name;
        }

        return pools.ToImmutable();
    }

    private static decimal ShareCost(PlanPool pool, in UnitGroup group, int count)
    {
        // A copy pays for the share of each node its pods take, by the scarcest resource.
        var share = 0.0;
        if (pool.AllocCpu > 0)
        {
            share = Math.Max(share, group.Cpu / (double)pool.AllocCpu);
        }

        if (pool.AllocMem > 0)
        {
            share = Math.Max(share, group.Mem / (double)pool.AllocMem);
        }

        if (pool.Gpus > 0)
        {
            share = Math.Max(share, group.Gpu / (double)pool.Gpus);
        }

        return pool.Price * (decimal)Math.Min(1.0, share) * count;
    }

    private static ImmutableArray<FieldOverride> DomainOverrides(SchedulePolicy? policy, string? domain, Fleet.Workloads.WorkloadSpec member)
    {
        if (domain is null || policy?.Spread is not { } spread || spread.Overrides.IsDefaultOrEmpty)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<FieldOverride>();
        foreach (var o in spread.Overrides)
        {
            if (string.Equals(o.TopologyValue, domain, StringComparison.Ordinal) &&
                (o.Kind is null || string.Equals(o.Kind, member.Kind.ToString(), StringComparison.Ordinal)) &&
                (o.Name is null || string.Equals(o.Name, member.Name, StringComparison.Ordinal)))
            {
                result.AddRange(o.Overrides);
            }
        }

        return result.ToImmutable();
    }
}
