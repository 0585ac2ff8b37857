using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Simulation;

/// <summary>
/// One cluster's account over a simulation: what each run made of it (its plan state, pool sizes), what that costs from
/// the run until the next one, and how long it spent in each phase. Between two runs a cluster is in at most two stretches:
/// the step the run started (creating, waking, deleting, adding nodes) and what it settles into.
/// </summary>
internal sealed class ClusterLedger(string name, CloudProvider provider, decimal fee, int buckets)
{
    private const int Phases = 7;

    public string Name { get; } = name;

    public CloudProvider Provider { get; } = provider;

    /// <summary>Control-plane fee per hour while the cluster exists.</summary>
    public decimal Fee { get; } = fee;

    /// <summary>The plan state of the last successful run.</summary>
    public ClusterState State { get; set; } = ClusterState.Absent;

    /// <summary>Desired nodes per pool of the last successful run (empty unless active).</summary>
    public Dictionary<string, int> Pools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The stretch a run started: from the run, for <see cref="StepLength"/>.</summary>
    public Stretch Step { get; set; }

    /// <summary>How long <see cref="Step"/> lasts (zero: none).</summary>
    public TimeSpan StepLength { get; set; }

    /// <summary>What the cluster settles into until the next run.</summary>
    public Stretch Settled { get; set; } = new(ClusterPhase.Absent, 0m, 0);

    public decimal Usd { get; set; }

    public int Creates { get; set; }

    public int Wakes { get; set; }

    public int Suspends { get; set; }

    public int Deletes { get; set; }

    public double[] Hours { get; } = new double[Phases];

    /// <summary>Seconds per phase per timeline bucket.</summary>
    public float[] PhaseSeconds { get; } = new float[buckets * Phases];

    /// <summary>A phase with its cost rate and the GPUs on its running nodes.</summary>
    public readonly record struct Stretch(ClusterPhase Phase, decimal UsdPerHour, int Gpus);

    /// <summary>Books [<paramref name="from"/>, <paramref name="to"/>): the step, then the settled stretch.</summary>
    public void Book(long from, long to, TimeBuckets time, double[] cost, double[] gpusPaid, ref double gpuHoursPaid)
    {
        var split = Math.Min(to, from + StepLength.Ticks);
        if (split > from)
        {
            Account(Step, from, split, time, cost, gpusPaid, ref gpuHoursPaid);
        }

        if (to > split)
        {
            Account(Settled, split, to, time, cost, gpusPaid, ref gpuHoursPaid);
        }
    }

    public ImmutableArray<PhaseBand> Bands(TimeBuckets time)
    {
        var bands = ImmutableArray.CreateBuilder<PhaseBand>();
        ClusterPhase? current = null;
        var from = 0;
        for (var b = 0; b < time.Count; b++)
        {
            var phase = Dominant(b);
            if (phase != current)
            {
                if (current is { } c)
                {
                    bands.Add(new PhaseBand(time.Offset(from), time.Offset(b), c));
                }

                current = phase;
                from = b;
            }
        }

        if (current is { } last)
        {
            bands.Add(new PhaseBand(time.Offset(from), time.Offset(time.Count), last));
        }

        return bands.ToImmutable();
    }

    private void Account(Stretch stretch, long from, long to, TimeBuckets time, double[] cost, double[] gpusPaid, ref double gpuHoursPaid)
    {
        var hours = (to - from) / (double)TimeSpan.TicksPerHour;
        Usd += stretch.UsdPerHour * (to - from) / TimeSpan.TicksPerHour;
        Hours[(int)stretch.Phase] += hours;
        gpuHoursPaid += stretch.Gpus * hours;
        time.Add(cost, from, to, (double)stretch.UsdPerHour);
        time.Add(gpusPaid, from, to, stretch.Gpus);
        time.AddSlot(PhaseSeconds, Phases, (int)stretch.Phase, from, to);
    }

    /// <summary>The phase a bucket spent most time in; a tie goes to the transition (it is the rarer, more telling one).</summary>
    private ClusterPhase Dominant(int bucket)
    {
        ReadOnlySpan<ClusterPhase> order =
            [ClusterPhase.Creating, ClusterPhase.Waking, ClusterPhase.Deleting, ClusterPhase.Active, ClusterPhase.Idle, ClusterPhase.Standby, ClusterPhase.Absent];
        var best = ClusterPhase.Absent;
        var bestSeconds = -1f;
        foreach (var phase in order)
        {
            var seconds = PhaseSeconds[(bucket * Phases) + (int)phase];
            if (seconds > bestSeconds)
            {
                best = phase;
                bestSeconds = seconds;
            }
        }

        return best;
    }
}
