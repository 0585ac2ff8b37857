using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Simulation.Traces;

namespace SkyRay.Orchestration.Simulation;

/// <summary>
/// Plays a trace of workload arrivals against a stack on a simulated clock, the way the real fleet moves: a <c>pulumi up</c>
/// run every tick decides the run with <see cref="Runs.RunPlanner.Plan"/> (placement, standby clock, upgrade step: the same
/// core the program calls), its outputs are written and read back through <see cref="Outputs.StackOutputs"/> for the next
/// run, and a launch-time model says when each step it takes is done. See docs/simulate.md for the model.
/// </summary>
public static class TraceSimulator
{
    /// <summary>Checks a trace against a stack and settles the simulation's period, tick and launch times.</summary>
    /// <param name="stack">The validated stack.</param>
    /// <param name="trace">The trace (read once here, streamed).</param>
    /// <param name="options">The options.</param>
    /// <returns>The prepared trace, or every problem located in the trace.</returns>
    public static Result<PreparedTrace> Prepare(FleetSpec stack, TraceSource trace, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        var bag = new DiagnosticBag();
        var header = trace.Header;
        var resolved = TraceWorkloads.For(stack, header);
        bag.AddRange(resolved.Diagnostics);
        if (resolved.Value is not { } workloads)
        {
            return new Result<PreparedTrace>(null, bag.Sorted());
        }

        var tick = options.Tick ?? header.Tick ?? SimulationOptions.DefaultTick;
        if (tick < SimulationOptions.MinTick)
        {
            bag.Error("--tick", $"{TraceValues.Format(tick)} is shorter than {TraceValues.Format(SimulationOptions.MinTick)}", "a pulumi up run takes minutes; give a tick of 1m or more");
        }

        var launch = options.Launch;
        foreach (var (key, time) in header.LaunchTimes.Concat(options.LaunchOverrides))
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            launch = launch.With(key[..dot], key[(dot + 1)..], time);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        var lastEnd = TimeSpan.Zero;
        string? openEnded = null;
        foreach (var arrival in trace.Arrivals(bag))
        {
            count++;
            workloads.Check(arrival, bag);
            if (!names.Add(arrival.InstanceName))
            {
                bag.Error($"{arrival.Path}.name", $"another arrival is already named '{arrival.InstanceName}'", "give every arrival its own name");
            }

            if (arrival.Duration is { } duration)
            {
                lastEnd = lastEnd > arrival.At + duration ? lastEnd : arrival.At + duration;
            }
            else
            {
                openEnded ??= arrival.Path;
                lastEnd = lastEnd > arrival.At ? lastEnd : arrival.At;
            }
        }

        if (count == 0 && !bag.HasErrors)
        {
            bag.Error(header.Name, "the trace has no arrivals", "add arrivals (docs/simulate.md, \"Trace format\")");
        }

        var end = options.End ?? header.End;
        if (end is null && openEnded is not null)
        {
            bag.Error($"{openEnded}.duration", "serves until the end of the simulation, but the trace gives no end", "add end: (e.g. end: 168h) under the trace's settings, or --until");
        }

        var finalEnd = end ?? header.Start + lastEnd;
        if (finalEnd <= header.Start && !bag.HasErrors)
        {
            bag.Error("--until", "the simulation would end before it starts", "give an end after the trace start");
        }

        if (bag.HasErrors)
        {
            return new Result<PreparedTrace>(null, bag.Sorted());
        }

        var within = trace.Arrivals(new DiagnosticBag()).Count(a => header.Start + a.At < finalEnd);
        return new Result<PreparedTrace>(new PreparedTrace(trace, workloads, header.Start, finalEnd, tick, launch, within), bag.Sorted());
    }

    /// <summary>Simulates a prepared trace on a stack.</summary>
    /// <param name="stack">The validated stack (the policy simulated).</param>
    /// <param name="prepared">The trace checked against this stack (<see cref="Prepare"/>).</param>
    /// <param name="options">The options (label, timeline size, events).</param>
    /// <returns>What the stack does with the trace.</returns>
    public static SimulationResult Run(FleetSpec stack, PreparedTrace prepared, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(options);
        return new SimulationRun(stack, prepared, options).Run();
    }

    /// <summary>Prepares and runs a simulation.</summary>
    /// <param name="stack">The validated stack.</param>
    /// <param name="trace">The trace.</param>
    /// <param name="options">The options.</param>
    /// <returns>The result, or the trace's problems.</returns>
    public static Result<SimulationResult> Simulate(FleetSpec stack, TraceSource trace, SimulationOptions options)
    {
        var prepared = Prepare(stack, trace, options);
        return prepared.Value is { } p
            ? new Result<SimulationResult>(Run(stack, p, options), prepared.Diagnostics)
            : new Result<SimulationResult>(null, prepared.Diagnostics);
    }

    /// <summary>
    /// The same clusters without just in time: every cloud cluster static and without standby, so it stays up (with its
    /// pools' minimum nodes) all the time. The baseline a just-in-time stack is compared with.
    /// </summary>
    /// <param name="stack">The stack.</param>
    /// <returns>The always-on variant (same workloads, policies and catalog).</returns>
    public static FleetSpec AlwaysOn(FleetSpec stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var clusters = stack.Clusters.ToImmutableSortedDictionary(
            c => c.Key,
            c => c.Value with { Lifecycle = ClusterLifecycle.Static, Standby = null },
            StringComparer.Ordinal);
        return stack with { Clusters = clusters };
    }

    /// <summary>GPUs a workload's copy uses: each group's pods (a copy's own worker share) times GPUs per pod.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="workerReplicas">The copy's worker replicas by group.</param>
    /// <returns>GPUs.</returns>
    internal static int Gpus(WorkloadSpec workload, IReadOnlyDictionary<string, int> workerReplicas)
    {
        var gpus = 0;
        foreach (var group in workload.Demand.Groups)
        {
            if (group.Pod.Gpus > 0)
            {
                gpus += group.Pod.Gpus * (workerReplicas.TryGetValue(group.Group, out var share) ? share : group.Count);
            }
        }

        return gpus;
    }
}
