namespace SkyRay.Benchmarks.Optimality;

/// <summary>
/// Re-checks a node-level solution with plain arithmetic, independent of the model's constraints: every workload
/// placed once on a cluster it may use, every group whole on one pool it may use, all its pods on nodes of that
/// pool, per-node CPU / memory / GPU within the allocatable, node counts within MinNodes (while up) and MaxNodes.
/// </summary>
internal static class SolutionCheck
{
    public static IReadOnlyList<string> Problems(ModelFleet fleet, NodeSolution? solution)
    {
        if (solution is null)
        {
            return ["no solution"];
        }

        var problems = new List<string>();
        var pools = fleet.Pools.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var used = new Dictionary<(string Pool, int Node), (long Cpu, long Mem, long Gpu)>();
        var podsOf = solution.Loads.GroupBy(l => l.Group, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var w in fleet.Workloads)
        {
            if (!solution.Assignment.TryGetValue(w.Name, out var clusterName))
            {
                problems.Add($"{w.Name}: not placed");
                continue;
            }

            var cluster = fleet.Clusters.First(c => c.Name == clusterName);
            if (!w.Options.TryGetValue(cluster.Index, out var options))
            {
                problems.Add($"{w.Name}: on {clusterName}, which its policy or its pods rule out");
                continue;
            }

            foreach (var option in options)
            {
                var key = $"{w.Name}/{option.Group.Group}";
                if (!solution.GroupPools.TryGetValue(key, out var poolKey) || !option.Pools.Any(p => p.Key == poolKey))
                {
                    problems.Add($"{key}: not on a pool of {clusterName} it may use");
                    continue;
                }

                var loads = podsOf.GetValueOrDefault(key) ?? [];
                if (loads.Any(l => l.Pool != poolKey) || loads.Sum(l => l.Pods) != option.Group.Count)
                {
                    problems.Add($"{key}: {loads.Sum(l => l.Pods)} pods on nodes of its pool, {option.Group.Count} declared");
                }

                foreach (var l in loads)
                {
                    var u = used.GetValueOrDefault((l.Pool, l.Node));
                    var pod = option.Group.Pod;
                    used[(l.Pool, l.Node)] = (u.Cpu + (pod.CpuMillis * l.Pods), u.Mem + (pod.MemoryBytes * l.Pods), u.Gpu + ((long)pod.Gpus * l.Pods));
                }
            }
        }

        foreach (var ((poolKey, node), u) in used)
        {
            var p = pools[poolKey];
            if (node >= solution.Nodes.GetValueOrDefault(poolKey))
            {
                problems.Add($"{poolKey}: pods on node {node}, but only {solution.Nodes.GetValueOrDefault(poolKey)} run");
            }

            if (u.Cpu > p.Cpu || u.Mem > p.Mem || u.Gpu > p.Gpus)
            {
                problems.Add($"{poolKey}#{node}: load {u} exceeds one {p.Type.Name} ({p.Cpu}m, {p.Mem} B, {p.Gpus} GPU)");
            }
        }

        var busy = solution.Assignment.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var p in fleet.Pools)
        {
            var cluster = fleet.Clusters[p.Cluster];
            var isUp = cluster.AlwaysUp || busy.Contains(cluster.Name);
            var nodes = solution.Nodes.GetValueOrDefault(p.Key);
            if (nodes > p.Max || (isUp && nodes < p.Min) || (!isUp && nodes > 0))
            {
                problems.Add($"{p.Key}: {nodes} nodes outside [{p.Min}, {p.Max}] (cluster {(isUp ? "up" : "down")})");
            }
        }

        return problems;
    }
}
