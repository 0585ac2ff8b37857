using SkyRay.Orchestration.Simulation.Traces;

namespace SkyRay.Orchestration.Simulation;

/// <summary>A trace checked against a stack, with the settings the simulation runs with.</summary>
/// <param name="Trace">The trace.</param>
/// <param name="Workloads">Its workloads resolved against the stack.</param>
/// <param name="Start">The simulation start.</param>
/// <param name="End">The simulation end.</param>
/// <param name="Tick">The interval of <c>pulumi up</c> runs.</param>
/// <param name="Launch">The launch-time model with the trace's and the options' overrides applied.</param>
/// <param name="Arrivals">Arrivals within the period.</param>
public sealed record PreparedTrace(
    TraceSource Trace,
    TraceWorkloads Workloads,
    DateTimeOffset Start,
    DateTimeOffset End,
    TimeSpan Tick,
    LaunchModel Launch,
    int Arrivals);
