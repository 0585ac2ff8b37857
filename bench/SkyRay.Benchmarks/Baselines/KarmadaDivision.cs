using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Pipeline.Selection;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Baselines;

/// <summary>
/// Karmada's default division, written from its documentation (bench only, never shipped): a propagation policy with
/// <c>replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted, weightPreference:
/// {dynamicWeight: AvailableReplicas}}</c> splits a workload's replicas over every cluster its placement allows, in
/// proportion to the replicas each cluster can still take (its scheduler estimator's answer). Here the worker replicas of
/// every worker group are split that way, and each cluster with a share gets a copy with its own head, like SkyRay's
/// Divide; a workload without workers goes whole to the cluster that can take the most. The estimate is generous to
/// Karmada: a cluster's room counts the nodes its autoscaler may still add (up to each pool's maxNodes), where Karmada's
/// estimator sees only nodes that exist. No cost and no launch speed enter the split.
/// </summary>
internal sealed class KarmadaDivision : ISelection
{
    public static KarmadaDivision Instance { get; } = new();

    public string Name => "karmada-divided";

    public UnitOutcome Place(PlacementPipeline pipeline, PlacementUnit unit)
    {
        var outcome = new UnitOutcome(unit.Members.Length);
        var candidates = unit.Scope.Candidates;
        var workers = Enumerable.Range(0, unit.Groups.Length).Where(g => unit.Groups[g].IsWorker && unit.BaseCounts[g] > 0).ToArray();
        var total = workers.Length == 0 ? 1 : workers.Max(g => unit.BaseCounts[g]);

        // Available replicas per candidate cluster: the most replicas (every worker group scaled alike) one copy could take now.
        var weights = new int[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            weights[i] = AvailableReplicas(pipeline, unit, candidates[i], workers, total);
        }

        if (weights.All(w => w == 0))
        {
            outcome.Unplaced = "no allowed cluster has room for one replica";
            return outcome;
        }

        var counts = new int[candidates.Length][];
        if (workers.Length == 0)
        {
            var most = Array.IndexOf(weights, weights.Max());
            counts[most] = [.. unit.BaseCounts];
        }
        else
        {
            for (var i = 0; i < candidates.Length; i++)
            {
                counts[i] = [.. unit.BaseCounts];
                foreach (var g in workers)
                {
                    counts[i][g] = 0;
                }
            }

            foreach (var g in workers)
            {
                var shares = DivideSelection.Split(unit.BaseCounts[g], weights);
                for (var i = 0; i < candidates.Length; i++)
                {
                    counts[i][g] = shares[i];
                }
            }
        }

        var savepoint = pipeline.State.Savepoint;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (counts[i] is not { } share || (workers.Length > 0 && workers.All(g => share[g] == 0)))
            {
                continue;
            }

            if (!pipeline.TryFind(unit, share, pipeline.ShapeId(unit.DemandKey(share)), [candidates[i]], unit.Scope, -1, null, out var best))
            {
                // Karmada would create the object anyway and its pods would stay Pending; counted here as not placed.
                pipeline.State.Rollback(savepoint);
                return new UnitOutcome(unit.Members.Length) { Unplaced = $"the share for {pipeline.Model.Clusters[candidates[i]].Name} no longer fits there" };
            }

            pipeline.AddCopies(unit, share, best, null, outcome);
        }

        return outcome;
    }

    /// <summary>The largest r (1..total) such that a copy with every worker group at r/total of its replicas fits now; 0 if none.</summary>
    private static int AvailableReplicas(PlacementPipeline pipeline, PlacementUnit unit, int cluster, int[] workers, int total)
    {
        var planCluster = pipeline.Model.Clusters[cluster];
        var chosen = new int[unit.Groups.Length];
        var counts = new int[unit.Groups.Length];
        bool Fits(int r)
        {
            unit.BaseCounts.CopyTo(counts, 0);
            foreach (var g in workers)
            {
                counts[g] = (int)Math.Ceiling(unit.BaseCounts[g] * (double)r / total);
            }

            return pipeline.Packer.Evaluate(unit, counts, planCluster, keep: false, chosen).Ok;
        }

        if (!Fits(1))
        {
            return 0;
        }

        var (low, high) = (1, total);
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Fits(mid))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }
}
