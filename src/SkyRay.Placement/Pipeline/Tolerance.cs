using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline;

/// <summary>
/// The tolerations of one kind of pod group (<see cref="PodTolerations.Of"/>), shared by every group with the same ones,
/// with the per-pool answer remembered: a plan has few distinct toleration sets and many groups.
/// </summary>
internal sealed class Tolerance
{
    private sbyte[] _allows = [];

    public Tolerance(int id, Toleration[] tolerations, bool onlyAutomatic)
    {
        Id = id;
        Tolerations = tolerations;
        OnlyAutomatic = onlyAutomatic;
    }

    /// <summary>Small id, unique in the plan run (part of the demand key when <see cref="OnlyAutomatic"/> is false).</summary>
    public int Id { get; }

    public Toleration[] Tolerations { get; }

    /// <summary>True when the set is only what a pod earns by itself (no workload setting, no template tolerations).</summary>
    public bool OnlyAutomatic { get; }

    /// <summary>True when pods with these tolerations may run on the pool (it has no repelling taint they do not tolerate).</summary>
    public bool Allows(PlanPool pool)
    {
        if (pool.RepellingTaints.Length == 0)
        {
            return true;
        }

        var i = pool.GlobalIndex;
        if (i >= _allows.Length)
        {
            Array.Resize(ref _allows, Math.Max(i + 1, _allows.Length * 2));
        }

        if (_allows[i] == 0)
        {
            _allows[i] = PodTolerations.Repelling(pool.RepellingTaints, Tolerations) is null ? (sbyte)1 : (sbyte)-1;
        }

        return _allows[i] > 0;
    }

    /// <summary>The first taint of the pool these tolerations do not tolerate, or null.</summary>
    public NodeTaint? Blocking(PlanPool pool) => PodTolerations.Repelling(pool.RepellingTaints, Tolerations);
}

/// <summary>The distinct <see cref="Tolerance"/>s of one plan run.</summary>
internal sealed class Tolerances
{
    private readonly Dictionary<string, Tolerance> _byKey = new(StringComparer.Ordinal);

    // The tolerances of groups with only what a pod earns by itself (PodTolerations.Automatic): nearly every group,
    // and one of two sets, told apart by whether the pods ask for GPUs.
    private Tolerance? _automaticCpu;
    private Tolerance? _automaticGpu;

    /// <summary>
    /// The shared tolerance of a group with no tolerations of its own: the same object <see cref="For"/> gives for
    /// <see cref="PodTolerations.Automatic"/> of the group, without building the list and its key for every group.
    /// </summary>
    public Tolerance Automatic(PodGroupDemand group) => group.Pod.Gpus > 0
        ? _automaticGpu ??= For(PodTolerations.Automatic(group), onlyAutomatic: true)
        : _automaticCpu ??= For(PodTolerations.Automatic(group), onlyAutomatic: true);

    /// <summary>The shared tolerance of a set of tolerations.</summary>
    public Tolerance For(IReadOnlyList<Toleration> tolerations, bool onlyAutomatic)
    {
        var key = string.Join(";", tolerations.Select(t => $"{t.Key}|{t.Operator}|{t.Value}|{t.Effect}"));
        if (!_byKey.TryGetValue(key, out var tolerance))
        {
            tolerance = new Tolerance(_byKey.Count, [.. tolerations], onlyAutomatic);
            _byKey[key] = tolerance;
        }

        return tolerance;
    }
}
