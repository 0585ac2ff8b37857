using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline;

/// <summary>One pod group of a unit: <see cref="Count"/> pods of one shape, from one member workload, with the taints its pods tolerate.</summary>
internal readonly record struct UnitGroup(int Member, string Group, bool IsWorker, long Cpu, long Mem, int Gpu, string? GpuType, int Count, Tolerance Tolerance);

/// <summary>The demand keys of one plan run, one string instance per distinct key.</summary>
internal sealed class DemandKeys
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>The run's distinct toleration sets.</summary>
    public Tolerances Tolerances { get; } = new();

    /// <summary>The key's string, made only the first time it is seen.</summary>
    public string Intern(ReadOnlySpan<char> key)
    {
        var lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(key, out var known))
        {
            known = key.ToString();
            _keys.Add(known);
        }

        return known;
    }
}

/// <summary>
/// What the pipeline places in one go: a workload, or with <c>groupBy.labelKey</c> every workload of the policy
/// sharing the label value (their demand summed, all on one cluster).
/// </summary>
internal sealed class PlacementUnit
{
    private string? _baseKey;
    private string? _gpuKey;
    private string? _gpuNeedKey;
    private string? _toleranceKey;


    public PlacementUnit(string name, WorkloadSpec[] members, PolicyScope scope, string? problem, WorkloadPlacement?[] previous, DemandKeys keys)
    {
        Keys = keys;
        Name = name;
        Members = members;
        Scope = scope;
        Problem = problem;
        Previous = previous;
        // Plain loops: a plan builds one unit per workload, 100,000 of them in the benchmark.
        var total = 0;
        foreach (var member in members)
        {
            total += member.Demand.Groups.Length;
        }

        Groups = new UnitGroup[total];
        BaseCounts = new int[total];
        var gpuGroups = 0;
        var at = 0;
        for (var m = 0; m < members.Length; m++)
        {
            var demand = members[m].Demand.Groups;
            for (var i = 0; i < demand.Length; i++)
            {
                var d = demand[i];
                // Demand lists the head first, then the worker groups, then a RayJob's submitter pod (see
                // RawSpecDemand). Head and submitter are per-copy singletons: every copy runs its own, so they are
                // never divided nor reported as workers.
                var isWorker = i > 0 && !(i == demand.Length - 1 && members[m].Kind == RayKind.RayJob &&
                    string.Equals(d.Group, RawSpecDemand.SubmitterGroup, StringComparison.Ordinal));
                var tolerance = members[m].Tolerations.IsDefaultOrEmpty && !members[m].TemplateTolerations.ContainsKey(d.Group)
                    ? keys.Tolerances.Automatic(d)
                    : keys.Tolerances.For(Fleet.Config.PodTolerations.Of(members[m], d), onlyAutomatic: false);
                Groups[at] = new UnitGroup(m, d.Group, isWorker, d.Pod.CpuMillis, d.Pod.MemoryBytes, d.Pod.Gpus, d.Pod.GpuType, Math.Max(0, d.Count), tolerance);
                BaseCounts[at] = Groups[at].Count;
                gpuGroups += d.Pod.Gpus > 0 ? 1 : 0;
                at++;
            }
        }

        // Hardest pods first (GPU, then larger CPU, then memory): first-fit decreasing packs tighter.
        PackOrder = new int[total];
        for (var i = 0; i < total; i++)
        {
            PackOrder[i] = i;
        }

        if (total <= 16)
        {
            for (var i = 1; i < total; i++)
            {
                var x = PackOrder[i];
                var j = i - 1;
                while (j >= 0 && Harder(Groups, PackOrder[j], x) > 0)
                {
                    PackOrder[j + 1] = PackOrder[j];
                    j--;
                }

                PackOrder[j + 1] = x;
            }
        }
        else
        {
            var groups = Groups;
            Array.Sort(PackOrder, (a, b) => Harder(groups, a, b));
        }
        GpuGroups = new int[gpuGroups];
        for (int i = 0, g = 0; i < total; i++)
        {
            if (Groups[i].Gpu > 0)
            {
                GpuGroups[g++] = i;
            }
        }

        (TotalCpu, TotalMem, TotalGpu) = Totals(BaseCounts);
        PreviousClusters = PreviousClustersOf(previous);
    }

    /// <summary>
    /// The clusters of the members' previous copies, distinct, in ordinal order. Plain loops: every setup of a consolidate
    /// pass builds its units again, and this was most of a unit's cost.
    /// </summary>
    internal static string[] PreviousClustersOf(WorkloadPlacement?[] previous)
    {
        List<string>? clusters = null;
        foreach (var p in previous)
        {
            if (p is null)
            {
                continue;
            }

            foreach (var copy in p.Copies)
            {
                (clusters ??= []).Add(copy.Cluster);
            }
        }

        if (clusters is null)
        {
            return [];
        }

        // Sorted, then each name once: a member spread over many clusters stays n log n.
        clusters.Sort(StringComparer.Ordinal);
        var distinct = 0;
        for (var i = 0; i < clusters.Count; i++)
        {
            if (distinct == 0 || !string.Equals(clusters[distinct - 1], clusters[i], StringComparison.Ordinal))
            {
                clusters[distinct++] = clusters[i];
            }
        }

        return [.. clusters.Take(distinct)];
    }

    /// <summary>Pack order: more GPUs, then more CPU, then more memory, then declaration order.</summary>
    private static int Harder(UnitGroup[] groups, int a, int b)
    {
        var c = groups[b].Gpu.CompareTo(groups[a].Gpu);
        c = c != 0 ? c : groups[b].Cpu.CompareTo(groups[a].Cpu);
        c = c != 0 ? c : groups[b].Mem.CompareTo(groups[a].Mem);
        return c != 0 ? c : a.CompareTo(b);
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

    private string MakeToleranceKey()
    {
        // Built on the stack and shared: most units repeat a few keys.
        var key = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 4 * Groups.Length, null, stackalloc char[256]);
        foreach (var g in Groups)
        {
            key.AppendFormatted(g.Tolerance.Id);
            key.AppendLiteral(":");
            key.AppendFormatted(g.Gpu);
            key.AppendLiteral("x");
            key.AppendFormatted(g.GpuType);
            key.AppendLiteral(";");
        }

        var text = Keys.Intern(key.Text);
        key.Clear();
        return text;
    }

    /// <summary>Pods of every group, as text: units with equal keys need exactly the same capacity.</summary>
    public string DemandKey(ReadOnlySpan<int> counts)
    {
        // One string per unit, built on the stack (no builder garbage in a plan of 100,000 units).
        var key = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 5 * Groups.Length, null, stackalloc char[256]);
        for (var i = 0; i < Groups.Length; i++)
        {
            var g = Groups[i];
            key.AppendFormatted(g.Cpu);
            key.AppendLiteral(",");
            key.AppendFormatted(g.Mem);
            key.AppendLiteral(",");
            key.AppendFormatted(g.Gpu);
            key.AppendLiteral(",");
            key.AppendFormatted(g.GpuType);
            if (!g.Tolerance.OnlyAutomatic)
            {
                // Tolerations change which pools a group may use, so they are part of what the capacity answer depends on.
                key.AppendLiteral("t");
                key.AppendFormatted(g.Tolerance.Id);
            }

            key.AppendLiteral("x");
            key.AppendFormatted(counts[i]);
            key.AppendLiteral(";");
        }

        // Units with the same demand share one string: most of 100,000 workloads repeat a few hundred demands.
        var text = Keys.Intern(key.Text);
        key.Clear();
        return text;
    }

    /// <summary><see cref="DemandKey"/> of the declared counts.</summary>
    public string BaseKey => _baseKey ??= DemandKey(BaseCounts);

    /// <summary>The GPU needs of the unit as text (what the GPU filter looks at), e.g. <c>head:0;gpu-workers:2xL4;</c>.</summary>
    public string GpuKey => _gpuKey ??= string.Concat(GpuGroups.Select(g => $"{GroupLabel(g)}:{Groups[g].Gpu}x{Groups[g].GpuType};"));

    /// <summary>The GPUs per pod and type of every GPU group, e.g. <c>2xL4;1x;</c> (what the GPU filter checks).</summary>
    public string GpuNeedKey => _gpuNeedKey ??= string.Concat(GpuGroups.Select(g => $"{Groups[g].Gpu}x{Groups[g].GpuType};"));

    /// <summary>The tolerations and GPU need of every group, e.g. <c>0:0x;1:1xL4;</c> (what the taint filter checks).</summary>
    public string ToleranceKey => _toleranceKey ??= MakeToleranceKey();

    /// <summary>The run's key strings (one instance per distinct key).</summary>
    public DemandKeys Keys { get; }

    /// <summary>Position of the unit in the run's unit list: outcomes are kept in an array by it (no identity hashing).</summary>
    public int Index { get; set; }

    /// <summary>The pipeline's shape id of <see cref="BaseKey"/>, or -1 before the first search.</summary>
    public int BaseShapeId { get; set; } = -1;

    /// <summary>The key of the unit's unplaced verdicts, filled by the pipeline on first use.</summary>
    public string? VerdictKey { get; set; }

    /// <summary>Per cluster, whether every unit filter passes (a bit set), filled by the pipeline on first use.</summary>
    public ulong[]? FilterBits { get; set; }

    /// <summary>Pod shape ids per group, assigned by the pipeline that plans this unit.</summary>
    public int[]? ShapeIds { get; set; }

    /// <summary>True when a member had a copy on the cluster in the previous plan (its pool choice is then sticky too).</summary>
    /// <summary>
    /// Forgets what the last pipeline that planned this unit filled in (shape ids are that pipeline's numbering), so a
    /// unit shared by several runs on one model (the consolidate pass's trials) plans in each as a new one would.
    /// <see cref="FilterBits"/> and <see cref="VerdictKey"/> stay: they depend only on the model and the unit.
    /// </summary>
    public void ClearRunCaches()
    {
        BaseShapeId = -1;
        ShapeIds = null;
    }

    public bool HadCopyOn(string cluster) => Array.IndexOf(PreviousClusters, cluster) >= 0;

    /// <summary>The whole demand in words, e.g. <c>1 'head' pod of 1 CPU, 2 GiB + 3 'worker' pods of 4 CPU, 16 GiB</c>.</summary>
    public string DemandWords(ReadOnlySpan<int> counts)
    {
        if (Groups.Length > 6)
        {
            var (cpu, mem, gpu) = Totals(counts);
            var pods = 0;
            foreach (var c in counts)
            {
                pods += c;
            }

            return $"{pods} pods of {Members.Length} workloads, {Explain.Quantities.Pod(cpu, mem, (int)Math.Min(gpu, int.MaxValue), null)} in total";
        }

        var parts = new List<string>(Groups.Length);
        for (var i = 0; i < Groups.Length; i++)
        {
            var g = Groups[i];
            var who = Members.Length > 1 ? $"{Members[g.Member].Name}/{g.Group}" : g.Group;
            parts.Add($"{counts[i]} '{who}' pod(s) of {Explain.Quantities.Pod(g.Cpu, g.Mem, g.Gpu, g.GpuType)}");
        }

        return string.Join(" + ", parts);
    }

    /// <summary>The pool a group used on a cluster in the previous plan, or null.</summary>
    public string? PreviousPool(int g, string cluster)
    {
        return Previous[Groups[g].Member]?.CopyOn(cluster) is { } copy && copy.GroupPools.TryGetValue(Groups[g].Group, out var pool)
            ? pool
            : null;
    }
}
