using System.Collections.Immutable;
using System.Globalization;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Kueue;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Queues;

/// <summary>One resource of one flavor of a ClusterQueue: its nominal quota and what the plan's copies reserve of it.</summary>
/// <param name="Resource"><c>cpu</c> (millicores), <c>memory</c> (bytes) or <c>nvidia.com/gpu</c>.</param>
/// <param name="Quota">The nominal quota.</param>
/// <param name="Reserved">What the plan's copies on the cluster request, counted like Kueue counts pod sets.</param>
public sealed record QueueResource(string Resource, long Quota, long Reserved)
{
    /// <summary>Quota not reserved by the plan.</summary>
    public long Free => Quota - Reserved;

    /// <summary>False for a resource the flavor has none of and nobody asks for (GPUs of a CPU pool), which explanations leave out.</summary>
    public bool Shown => Quota != 0 || Reserved != 0;

    /// <summary>E.g. <c>nvidia.com/gpu 8 of 8</c>, <c>cpu 20.5 of 95</c>, <c>memory 82Gi of 382Gi</c>.</summary>
    /// <returns>The text.</returns>
    public string Describe() => Resource switch
    {
        "cpu" => $"cpu {Quantities.FormatCpu(Reserved)} of {Quantities.FormatCpu(Quota)}",
        "memory" => $"memory {Quantities.FormatMemory(Reserved)} of {Quantities.FormatMemory(Quota)}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Resource} {Reserved} of {Quota}"),
    };
}

/// <summary>A flavor (node pool) of a cluster's ClusterQueue and the copies that reserve it.</summary>
/// <param name="Flavor">Flavor name (<c>skyray-&lt;pool&gt;</c>).</param>
/// <param name="Pool">Pool name.</param>
/// <param name="Resources">CPU, memory and (when the queue covers them) GPUs.</param>
/// <param name="Workloads">The workloads with pods on the flavor, sorted.</param>
public sealed record QueueFlavor(string Flavor, string Pool, ImmutableArray<QueueResource> Resources, ImmutableArray<string> Workloads);

/// <summary>What queueing means for one placed copy.</summary>
/// <param name="Workload">Workload name.</param>
/// <param name="Cluster">The copy's cluster.</param>
/// <param name="Queue">The LocalQueue it joins (<c>namespace/name</c>).</param>
/// <param name="Limiting">True when the cluster's queue, not its nodes, decides when more of this work runs: a flavor the copy uses
/// is reserved to the last pod by the plan, or the copy's autoscaling needs more than its flavor has left.</param>
/// <param name="Text">Plain words for <c>skyray plan --explain</c>.</param>
public sealed record QueueNote(string Workload, string Cluster, string Queue, bool Limiting, string Text);

/// <summary>
/// How the plan sits in the ClusterQueues of the clusters that run Kueue. Placement decides where a workload goes; Kueue decides
/// when it starts. The planner packs pods onto nodes within each pool's <c>maxNodes</c>, and each flavor's quota is that pool's capacity
/// at <c>maxNodes</c> (<see cref="ClusterCapacity"/>), so what the plan places always fits the quota; this report says how much of it
/// the plan reserves and where the queue becomes the limit: work beyond the plan (another job sent to the queue, an autoscaling
/// scale-up) waits for admission instead of pending as pods.
/// </summary>
/// <param name="Queues">Per cluster that runs Kueue, its flavors.</param>
/// <param name="Notes">One note per copy on such a cluster, by workload then cluster.</param>
public sealed record QueueReport(ImmutableSortedDictionary<string, ImmutableArray<QueueFlavor>> Queues, ImmutableArray<QueueNote> Notes)
{
    /// <summary>Builds the report of a decided run.</summary>
    /// <param name="spec">The stack as declared this run.</param>
    /// <param name="plan">The plan.</param>
    /// <returns>The report; empty when no active cluster runs Kueue.</returns>
    public static QueueReport For(FleetSpec spec, FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var queues = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<QueueFlavor>>(StringComparer.Ordinal);
        var notes = ImmutableArray.CreateBuilder<QueueNote>();
        var usage = new Dictionary<string, Dictionary<string, Usage>>(StringComparer.Ordinal);
        foreach (var cluster in spec.Clusters.Values)
        {
            if (!cluster.Kueue.Enabled || !plan.Clusters.TryGetValue(cluster.Name, out var clusterPlan) || clusterPlan.State != ClusterState.Active)
            {
                continue;
            }

            var pools = ClusterCapacity.AtMaximum(spec, cluster, clusterPlan);
            var withGpu = pools.Any(p => p.GpusPerNode > 0);
            usage[cluster.Name] = pools.ToDictionary(p => p.Pool, p => new Usage(p, withGpu), StringComparer.Ordinal);
        }

        if (usage.Count == 0)
        {
            return new QueueReport(queues.ToImmutable(), []);
        }

        var copies = Copies(spec, plan, usage).ToList();
        foreach (var (copy, _, pods) in copies)
        {
            foreach (var (pool, shape, count) in pods)
            {
                usage[copy.Cluster][pool].Reserve(copy.Workload, shape.Pod, count);
            }
        }

        foreach (var (cluster, flavors) in usage.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            queues[cluster] = [.. flavors.Values.OrderBy(f => f.Pool.Pool, StringComparer.Ordinal).Select(f => f.ToFlavor())];
        }

        foreach (var (copy, workload, pods) in copies.OrderBy(c => c.Copy.Workload, StringComparer.Ordinal).ThenBy(c => c.Copy.Cluster, StringComparer.Ordinal))
        {
            notes.Add(Note(copy, workload, pods, usage[copy.Cluster]));
        }

        return new QueueReport(queues.ToImmutable(), notes.ToImmutable());
    }

    private static IEnumerable<(WorkloadCopy Copy, WorkloadSpec Workload, List<(string Pool, GroupPods Shape, int Count)> Pods)> Copies(
        FleetSpec spec, FleetPlan plan, Dictionary<string, Dictionary<string, Usage>> usage)
    {
        foreach (var placement in plan.Placements.Values)
        {
            if (!spec.Workloads.TryGetValue(placement.Workload, out var workload) || !KueueLabels.IsQueued(workload))
            {
                continue;
            }

            foreach (var copy in placement.Copies)
            {
                if (!usage.TryGetValue(copy.Cluster, out var flavors))
                {
                    continue;
                }

                var pods = new List<(string, GroupPods, int)>();
                foreach (var group in workload.Demand.Groups)
                {
                    var count = copy.WorkerReplicas.TryGetValue(group.Group, out var share) ? share : group.Count;
                    if (copy.GroupPools.TryGetValue(group.Group, out var pool) && flavors.ContainsKey(pool))
                    {
                        pods.Add((pool, new GroupPods(group.Group, group.Pod, group.MaxCount), count));
                    }
                }

                yield return (copy, workload, pods);
            }
        }
    }

    private static QueueNote Note(WorkloadCopy copy, WorkloadSpec workload, List<(string Pool, GroupPods Shape, int Count)> pods, Dictionary<string, Usage> flavors)
    {
        var queue = $"{workload.Namespace}/{workload.Queue ?? KueueSettings.DefaultQueue}";
        var used = pods.Select(p => p.Pool).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var parts = new List<string> { $"queue {queue} → ClusterQueue {KueueNames.ClusterQueue} on {copy.Cluster}" };
        var limits = new List<string>();
        foreach (var pool in used)
        {
            var flavor = flavors[pool];
            parts.Add($"{KueueNames.Flavor(pool)} after the plan: {string.Join(", ", flavor.Resources().Where(r => r.Shown).Select(r => r.Describe()))}");
            var shapes = pods.Where(p => p.Pool == pool).ToList();
            if (shapes.Any(s => flavor.Fits(s.Shape.Pod, 1) == 0))
            {
                var full = flavor.Resources().Where(r => shapes.Any(s => Request(s.Shape.Pod, r.Resource) > r.Free)).Select(r => r.Resource);
                limits.Add($"the plan reserves {KueueNames.Flavor(pool)} to the last {string.Join(" and ", full)} ({string.Join(", ", flavor.Holders)}): another job sent to this cluster's queues waits for admission there");
            }

            foreach (var (_, shape, count) in shapes.Where(s => s.Shape.MaxCount > s.Count))
            {
                var growth = shape.MaxCount - count;
                var room = flavor.Fits(shape.Pod, growth);
                if (room < growth)
                {
                    limits.Add($"worker group '{shape.Group}' may autoscale by {growth} pod(s) to {shape.MaxCount}, {KueueNames.Flavor(pool)} has quota for {room} more: the rest of its scale-up waits in the queue");
                }
            }
        }

        var limiting = limits.Count > 0;
        var text = string.Join("; ", parts) + (limiting ? "; the queue is the limiting factor: " + string.Join("; ", limits) : string.Empty);
        return new QueueNote(copy.Workload, copy.Cluster, queue, limiting, text);
    }

    private static long Request(PodShape pod, string resource) => resource switch
    {
        "cpu" => pod.CpuMillis,
        "memory" => pod.MemoryBytes,
        _ => pod.Gpus,
    };

    private sealed record GroupPods(string Group, PodShape Pod, int MaxCount);

    /// <summary>A flavor's quota and what is reserved of it, in the units of <see cref="QueueResource"/>.</summary>
    private sealed class Usage(PoolCapacity pool, bool withGpu)
    {
        private long _cpu;
        private long _memory;
        private long _gpus;
        private readonly SortedSet<string> _holders = new(StringComparer.Ordinal);

        public PoolCapacity Pool => pool;

        public IEnumerable<string> Holders => _holders;

        public void Reserve(string workload, PodShape pod, int count)
        {
            if (count <= 0)
            {
                return;
            }

            _cpu += pod.CpuMillis * count;
            _memory += pod.MemoryBytes * count;
            _gpus += (long)pod.Gpus * count;
            _holders.Add(workload);
        }

        /// <summary>How many more pods of a shape the quota admits, at most <paramref name="cap"/> (quota is summed, not packed per node).</summary>
        public int Fits(PodShape pod, int cap)
        {
            long n = cap;
            foreach (var r in Resources())
            {
                var need = Request(pod, r.Resource);
                if (need > 0)
                {
                    n = Math.Min(n, Math.Max(0, r.Free) / need);
                }
            }

            // A GPU request on a queue that covers no GPUs is not checked by Kueue (quotaCheckStrategy: IgnoreUndeclared).
            return (int)n;
        }

        public IEnumerable<QueueResource> Resources()
        {
            yield return new QueueResource("cpu", pool.CpuMillis, _cpu);
            yield return new QueueResource("memory", pool.MemoryBytes, _memory);
            if (withGpu)
            {
                yield return new QueueResource(KueueNames.GpuResource, pool.Gpus, _gpus);
            }
        }

        public QueueFlavor ToFlavor() => new(KueueNames.Flavor(pool.Pool), pool.Pool, [.. Resources()], [.. _holders]);
    }
}
