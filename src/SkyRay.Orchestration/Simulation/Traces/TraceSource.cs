using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Orchestration.Simulation.Traces;

/// <summary>What a trace says about itself, apart from its arrivals.</summary>
/// <param name="Name">The trace's name (its file name unless it names itself).</param>
/// <param name="Start">The time offsets count from.</param>
/// <param name="End">When the simulation ends, or null: when the last arrival's nominal end (arrival + duration) is reached.</param>
/// <param name="Tick">The interval of <c>pulumi up</c> runs the trace asks for, or null for the simulator's default.</param>
/// <param name="LaunchTimes">Launch-time overrides the trace gives, <c>step.cloud</c> → duration (cloud <c>default</c> for all).</param>
/// <param name="Workloads">Workloads the trace defines in the <c>skyray:workloads</c> syntax, name → tree.</param>
/// <param name="WorkloadsPath">Where <paramref name="Workloads"/> are written, for messages.</param>
public sealed record TraceHeader(
    string Name,
    DateTimeOffset Start,
    DateTimeOffset? End,
    TimeSpan? Tick,
    ImmutableSortedDictionary<string, TimeSpan> LaunchTimes,
    JsonObject Workloads,
    string WorkloadsPath)
{
    /// <summary>Where offsets count from when a trace does not say: Monday 5 January 2026, 00:00 UTC.</summary>
    public static DateTimeOffset DefaultStart { get; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// A trace of workload arrivals, read again each time it is enumerated (a CSV file streams from disk, so a long trace never
/// sits in memory). Arrivals come sorted by time.
/// </summary>
public abstract class TraceSource
{
    /// <summary>The trace's settings and workloads.</summary>
    public abstract TraceHeader Header { get; }

    /// <summary>The arrivals, in time order.</summary>
    /// <param name="problems">Where rows that cannot be read are reported (they are skipped).</param>
    /// <returns>A fresh enumeration.</returns>
    public abstract IEnumerable<TraceArrival> Arrivals(DiagnosticBag problems);
}

/// <summary>A trace held in memory (a YAML file, or arrivals built in code).</summary>
/// <param name="header">The settings.</param>
/// <param name="arrivals">The arrivals, sorted by time.</param>
public sealed class InMemoryTrace(TraceHeader header, IReadOnlyList<TraceArrival> arrivals) : TraceSource
{
    /// <inheritdoc />
    public override TraceHeader Header { get; } = header;

    /// <summary>The arrivals.</summary>
    public IReadOnlyList<TraceArrival> All { get; } = arrivals;

    /// <inheritdoc />
    public override IEnumerable<TraceArrival> Arrivals(DiagnosticBag problems) => All;
}

/// <summary>A trace whose arrivals a function produces on each enumeration (generated traces: the benchmark).</summary>
/// <param name="header">The settings.</param>
/// <param name="arrivals">Produces the arrivals in time order, lazily.</param>
public sealed class GeneratedTrace(TraceHeader header, Func<IEnumerable<TraceArrival>> arrivals) : TraceSource
{
    /// <inheritdoc />
    public override TraceHeader Header { get; } = header;

    /// <inheritdoc />
    public override IEnumerable<TraceArrival> Arrivals(DiagnosticBag problems) => arrivals();
}
