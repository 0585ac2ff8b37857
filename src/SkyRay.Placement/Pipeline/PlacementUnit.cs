using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline;

/// <summary>One pod group of a unit: <see cref="Count"/> pods of one shape, from one member workload.</summary>
internal readonly record struct UnitGroup(int Member, string Group, bool IsWorker, long Cpu, long Mem, int Gpu, string? GpuType, int Count);

/// <summary>
/// What the pipeline places in one go: a workload, or with <c>groupBy.labelKey</c> every workload of the policy
/// sharing the label value (their demand summed, all on one cluster).
/// </summary>
internal sealed class PlacementUnit
{
    public PlacementUnit(string name, WorkloadSpec[] members, PolicyScope scope, string? problem, WorkloadPlacement?[] previous)
    {
        Name = name;
        Members = members;
        Scope = scope;
        Problem = problem;
        Previous = previous;
        var groups = new List<UnitGroup>();
        for (var m = 0; m < members.Length; m++)
        {
            var demand = members[m].Demand.Groups;
            for (var i = 0; i < demand.Length; i++)
            {
                var d = demand[i];
                // Demand lists the head first, then the worker groups (see WorkloadDemand).
                groups.Add(new UnitGroup(m, d.Group, i > 0, d.Pod.CpuMillis, d.Pod.MemoryBytes, d.Pod.Gpus, d.Pod.GpuType, Math.Max(0, d.Count)));
            }
        }

        Groups = [.. groups];
        BaseCounts = [.. Groups.Select(g => g.Count)];
        // Hardest pods first (GPU, then larger CPU, then memory): first-fit decreasing packs tighter.
        PackOrder = [.. Enumerable.Range(0, Groups.Length)
            .OrderByDescending(i => Groups[i].Gpu)
            .ThenByDescending(i => Groups[i].Cpu)
            .ThenByDescending(i => Groups[i].Mem)
            .ThenBy(i => i)];
        GpuGroups = [.. Enumerable.Range(0, Groups.Length).Where(i => Groups[i].Gpu > 0)];
        (TotalCpu, TotalMem, TotalGpu) = Totals(BaseCounts);
        PreviousClusters = [.. previous
            .Where(p => p is not null)
            .SelectMany(p => p!.Copies.Select(c => c.Cluster))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The member name, or for a group <c>policy/labelKey=value</c>.</summary>
    public string Name { get; }

    /// <summary>Member workloads sorted by name.</summary>
    public WorkloadSpec[] Members { get; }

    public PolicyScope Scope { get; }

    /// <summary>Why the unit cannot be placed at all (policy conflict), else null.</summary>
    public string? Problem { get; }

    /// <summary>Each member's previous placement, or null.</summary>
    public WorkloadPlacement?[] Previous { get; }

    /// <summary>Clusters that held a copy of a member in the previous plan, sorted.</summary>
    public string[] PreviousClusters { get; }

    public UnitGroup[] Groups { get; }

    /// <summary>Pods per group as declared (Divide computes shares from these).</summary>
    public int[] BaseCounts { get; }

    /// <summary>Group indexes in packing order.</summary>
    public int[] PackOrder { get; }

    /// <summary>Indexes of groups whose pods need GPUs.</summary>
    public int[] GpuGroups { get; }

    public long TotalCpu { get; }

    public long TotalMem { get; }

    public long TotalGpu { get; }

    public bool IsSticky => PreviousClusters.Length > 0;

    /// <summary>E.g. <c>group 'worker'</c>, or <c>rag-ingest/worker</c> in a group of workloads.</summary>
    public string GroupLabel(int g) =>
        Members.Length > 1 ? $"{Members[Groups[g].Member].Name}/{Groups[g].Group}" : $"group '{Groups[g].Group}'";

    public (long Cpu, long Mem, long Gpu) Totals(ReadOnlySpan<int> counts)
    {
        long cpu = 0, mem = 0, gpu = 0;
        for (var i = 0; i < Groups.Length; i++)
        {
            cpu += Groups[i].Cpu * counts[i];
            mem += Groups[i].Mem * counts[i];
            gpu += (long)Groups[i].Gpu * counts[i];
        }

        return (cpu, mem, gpu);
    }

    /// <summary>The pool a group used on a cluster in the previous plan, or null.</summary>
    public string? PreviousPool(int g, string cluster)
    {
        var previous = Previous[Groups[g].Member];
        if (previous is null)
        {
            return null;
        }

        foreach (var copy in previous.Copies)
        {
            if (string.Equals(copy.Cluster, cluster, StringComparison.Ordinal))
            {
                return copy.GroupPools.TryGetValue(Groups[g].Group, out var pool) ? pool : null;
            }
        }

        return null;
    }
}
