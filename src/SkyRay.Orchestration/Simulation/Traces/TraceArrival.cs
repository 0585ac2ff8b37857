using System.Collections.Immutable;
using System.Globalization;

namespace SkyRay.Orchestration.Simulation.Traces;

/// <summary>
/// A change of a workload's demand some time after it arrived: its worker groups' replicas from then on.
/// </summary>
/// <param name="After">Time since the arrival.</param>
/// <param name="Replicas">Replicas for every worker group, or null when only <paramref name="Groups"/> are given.</param>
/// <param name="Groups">Replicas per named worker group (override <paramref name="Replicas"/>).</param>
public sealed record DemandStep(TimeSpan After, int? Replicas, ImmutableSortedDictionary<string, int> Groups);

/// <summary>
/// One workload arriving in a trace: which workload (a stack workload or a workload the trace defines), when, for how long,
/// and optionally how its demand changes while it runs.
/// </summary>
/// <param name="Number">Position in the trace, from 1, after sorting by <paramref name="At"/> (stable in file order).</param>
/// <param name="Workload">The workload it is an instance of.</param>
/// <param name="Name">The instance's own name, or null for <c>{Workload}-{Number}</c>.</param>
/// <param name="At">When it arrives, from the trace start.</param>
/// <param name="Duration">RayJob: how long it runs once started. RayService and RayCluster: how long it stays from its arrival
/// (null: until the end of the simulation).</param>
/// <param name="Demand">Demand changes, by time after the arrival; the first may be at 0 (the initial replicas).</param>
/// <param name="Path">Where it is written (<c>trace.yaml:arrivals[3]</c>, <c>trace.csv:12</c>), for messages.</param>
public sealed record TraceArrival(
    int Number,
    string Workload,
    string? Name,
    TimeSpan At,
    TimeSpan? Duration,
    ImmutableArray<DemandStep> Demand,
    string Path)
{
    /// <summary>The name the instance has in the simulated stack.</summary>
    public string InstanceName => Name ?? $"{Workload}-{Number.ToString(CultureInfo.InvariantCulture)}";
}
