using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline.Selection;

/// <summary>
/// Spread Divide: the worker replicas of every worker group are split over the topology domains by
/// <c>percentageSplit</c> (equal shares when none is given) with largest-remainder rounding, ties going to the
/// domain written first. Each domain with a share gets one copy (its own head plus its share of workers) on its
/// best cluster. All or nothing: if one share fits nowhere in its domain, nothing is placed.
/// </summary>
internal sealed class DivideSelection : ISelection
{
    public static DivideSelection Instance { get; } = new();

    public string Name => "divide";

    /// <summary>Largest-remainder split of <paramref name="total"/> by <paramref name="weights"/>; ties go to the lower index.</summary>
    public static int[] Split(int total, IReadOnlyList<int> weights)
    {
        var shares = new int[weights.Count];
        long sum = weights.Sum(w => (long)w);
        if (sum <= 0 || total <= 0)
        {
            return shares;
        }

        var remainders = new long[weights.Count];
        var given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            shares[i] = (int)(total * (long)weights[i] / sum);
            remainders[i] = total * (long)weights[i] % sum;
            given += shares[i];
        }

        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(total - given))
        {
            shares[i]++;
        }

        return shares;
    }

    public UnitOutcome Place(PlacementPipeline pipeline, PlacementUnit unit)
    {
        var scope = unit.Scope;
        var spread = scope.Policy!.Spread!;
        var policyWords = SingleClusterSelection.Describe(scope);
        var entries = new List<(string Value, int Weight)>();
        if (!spread.PercentageSplit.IsDefaultOrEmpty)
        {
            foreach (var s in spread.PercentageSplit)
            {
                var at = entries.FindIndex(e => string.Equals(e.Value, s.TopologyValue, StringComparison.Ordinal));
                if (at < 0)
                {
                    entries.Add((s.TopologyValue, s.Percentage));
                }
                else
                {
                    entries[at] = (s.TopologyValue, entries[at].Weight + s.Percentage);
                }
            }

            entries.RemoveAll(e => e.Weight <= 0);
        }
        else
        {
            entries.AddRange(scope.Domains.Select(d => (d.Value, 1)));
        }

        var outcome = new UnitOutcome(unit.Members.Length);
        if (entries.Count == 0)
        {
            outcome.Unplaced = $"no cluster passes the filters of {policyWords}";
            return outcome;
        }

        var domains = new TopologyDomain[entries.Count];
        for (var e = 0; e < entries.Count; e++)
        {
            var domain = Array.Find(scope.Domains, d => string.Equals(d.Value, entries[e].Value, StringComparison.Ordinal));
            if (domain is null)
            {
                outcome.Unplaced = $"percentageSplit gives a share to {spread.TopologyKey}={entries[e].Value}, but no cluster there passes the filters of {policyWords}";
                return outcome;
            }

            domains[e] = domain;
        }

        // counts[e][g]: the head on every copy, worker replicas split.
        var weights = entries.Select(e => e.Weight).ToArray();
        var counts = new int[entries.Count][];
        for (var e = 0; e < entries.Count; e++)
        {
            counts[e] = new int[unit.Groups.Length];
        }

        var hasWorkers = false;
        for (var g = 0; g < unit.Groups.Length; g++)
        {
            if (!unit.Groups[g].IsWorker)
            {
                for (var e = 0; e < entries.Count; e++)
                {
                    counts[e][g] = unit.BaseCounts[g];
                }

                continue;
            }

            hasWorkers = true;
            var shares = Split(unit.BaseCounts[g], weights);
            for (var e = 0; e < entries.Count; e++)
            {
                counts[e][g] = shares[e];
            }
        }

        // Without worker replicas there is nothing to divide: the copy goes to the largest share.
        var largest = Array.IndexOf(weights, weights.Max());
        var explained = pipeline.Options.Explain ? new ClusterVerdict?[pipeline.Model.Clusters.Length] : null;
        var savepoint = pipeline.State.Savepoint;
        for (var e = 0; e < entries.Count; e++)
        {
            var getsCopy = hasWorkers
                ? unit.Groups.Select((g, i) => g.IsWorker && counts[e][i] > 0).Any(x => x)
                : e == largest;
            if (!getsCopy)
            {
                continue;
            }

            var domain = domains[e];
            var sticky = pipeline.StickyCluster(unit, domain.Candidates, scope, domain.Value);
            var trace = explained is null ? null : new List<Traced>();
            var found = pipeline.TryFind(unit, counts[e], pipeline.ShapeId(unit.DemandKey(counts[e])), domain.Candidates, scope, sticky, trace, out var best);
            if (trace is not null)
            {
                pipeline.Explain(trace, found ? best : null, domain.Value, explained!);
            }

            if (!found)
            {
                pipeline.State.Rollback(savepoint);
                var failed = new UnitOutcome(unit.Members.Length)
                {
                    // A consolidate trial leaves reasons out (the kept trial is planned again with them).
                    Unplaced = pipeline.WithoutReasons ? PlacementPipeline.ReasonLeftOut : ShareFailed(unit, spread.TopologyKey, domain.Value, counts[e]),
                    Explained = explained,
                };
                return failed;
            }

            pipeline.AddCopies(unit, counts[e], best, domain.Value, outcome);
        }

        outcome.Explained = explained;
        return outcome;
    }

    /// <summary>Why a Divide share placed nothing: the share's workers and the domain none of whose clusters takes them.</summary>
    private static string ShareFailed(PlacementUnit unit, string topologyKey, string value, int[] counts)
    {
        var share = string.Join(", ", unit.Groups
            .Select((g, i) => (g, i))
            .Where(x => x.g.IsWorker)
            .Select(x => $"{counts[x.i]} of {unit.BaseCounts[x.i]} '{x.g.Group}' workers"));
        return $"Divide share of {topologyKey}={value} ({share}) fits on no cluster of that domain, so no share is placed";
    }
}
