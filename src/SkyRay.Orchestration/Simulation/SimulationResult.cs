using System.Collections.Immutable;
using SkyRay.Fleet.Config;

namespace SkyRay.Orchestration.Simulation;

/// <summary>What a cluster is doing over a stretch of simulated time.</summary>
public enum ClusterPhase
{
    /// <summary>Not provisioned: nothing is paid.</summary>
    Absent,

    /// <summary>Being created: its control plane is paid, no nodes yet.</summary>
    Creating,

    /// <summary>Up with placed work.</summary>
    Active,

    /// <summary>Up without placed work (a static cluster, or the <c>idleAfter</c> grace before standby).</summary>
    Idle,

    /// <summary>Coming back from standby: its control plane is paid, its nodes are starting.</summary>
    Waking,

    /// <summary>Suspended: node pools at zero, the control plane is paid.</summary>
    Standby,

    /// <summary>Being deleted: its control plane is paid until it is gone.</summary>
    Deleting,
}

/// <summary>A stretch of time a cluster spends in one phase (quantized to the timeline's step).</summary>
/// <param name="From">Start, from the simulation start.</param>
/// <param name="To">End, from the simulation start.</param>
/// <param name="Phase">What the cluster does.</param>
public sealed record PhaseBand(TimeSpan From, TimeSpan To, ClusterPhase Phase);

/// <summary>One cluster over the simulation.</summary>
/// <param name="Cluster">Cluster name (as declared; an upgrade clone is its own cluster).</param>
/// <param name="Provider">Its provider.</param>
/// <param name="Usd">What it cost: control-plane fee while it exists, nodes while they run.</param>
/// <param name="Hours">Hours spent in each phase, by phase.</param>
/// <param name="Creates">Times it was created.</param>
/// <param name="Wakes">Times it woke from suspend.</param>
/// <param name="Suspends">Times it went to suspend standby.</param>
/// <param name="Deletes">Times it was deleted.</param>
/// <param name="Bands">Its phases over time, one band per stretch (quantized to the timeline step).</param>
public sealed record ClusterOutcome(
    string Cluster,
    CloudProvider Provider,
    decimal Usd,
    ImmutableSortedDictionary<ClusterPhase, double> Hours,
    int Creates,
    int Wakes,
    int Suspends,
    int Deletes,
    ImmutableArray<PhaseBand> Bands);

/// <summary>Waits from arrival to start, in minutes (nearest-rank percentiles).</summary>
/// <param name="Count">Workloads that started.</param>
/// <param name="P50">Median wait.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="Max">Longest wait.</param>
/// <param name="Mean">Average wait.</param>
public sealed record WaitSummary(int Count, double P50, double P95, double Max, double Mean)
{
    /// <summary>No workload started.</summary>
    public static WaitSummary None { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>Waits of the instances of one workload.</summary>
/// <param name="Workload">The workload the arrivals named.</param>
/// <param name="Arrivals">Its arrivals within the period.</param>
/// <param name="Waits">Their waits.</param>
public sealed record WorkloadWaits(string Workload, int Arrivals, WaitSummary Waits);

/// <summary>Series over time, one value per step, each the average over its step.</summary>
/// <param name="Step">The step (chosen so that there are at most <see cref="SimulationOptions.TimelinePoints"/> points).</param>
/// <param name="UsdPerHour">What the fleet costs per hour.</param>
/// <param name="GpusUsed">GPUs the running workloads use.</param>
/// <param name="GpusPaid">GPUs on running nodes.</param>
/// <param name="Running">Workloads running.</param>
/// <param name="Waiting">Workloads waiting to start.</param>
public sealed record Timeline(
    TimeSpan Step,
    ImmutableArray<double> UsdPerHour,
    ImmutableArray<double> GpusUsed,
    ImmutableArray<double> GpusPaid,
    ImmutableArray<double> Running,
    ImmutableArray<double> Waiting);

/// <summary>One thing that happened in a simulation (recorded when <see cref="SimulationOptions.RecordEvents"/> is set).</summary>
/// <param name="At">When, from the simulation start.</param>
/// <param name="Kind"><c>arrive</c>, <c>demand</c>, <c>finish</c>, <c>remove</c>, <c>run</c>, <c>cluster</c>, <c>start</c>,
/// <c>move</c> or <c>interrupt</c>.</param>
/// <param name="Subject">The workload instance, cluster or run.</param>
/// <param name="Detail">What happened, in words.</param>
public sealed record SimulationEvent(TimeSpan At, string Kind, string Subject, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Traces.TraceValues.Format(At)} {Kind} {Subject}: {Detail}";
}

/// <summary>What a stack (a policy) does with a trace.</summary>
/// <param name="Label">The name of the policy compared (the stack's name, or <c>always-on</c>).</param>
/// <param name="Stack">The stack simulated.</param>
/// <param name="Trace">The trace's name.</param>
/// <param name="Start">The simulation start.</param>
/// <param name="End">The simulation end.</param>
/// <param name="Tick">The interval of <c>pulumi up</c> runs.</param>
/// <param name="Launch">The launch-time model used.</param>
/// <param name="Runs">Runs decided (each one <c>RunPlanner.Plan</c>).</param>
/// <param name="FailedRuns">Runs whose plan had an error (nothing declared, like a failed <c>pulumi up</c>).</param>
/// <param name="Usd">Total cost.</param>
/// <param name="Clusters">Per cluster, by name.</param>
/// <param name="Waits">Waits of every started workload.</param>
/// <param name="WaitsByWorkload">Waits per workload the arrivals named, by name.</param>
/// <param name="GpuHoursUsed">GPU-hours the running workloads used.</param>
/// <param name="GpuHoursPaid">GPU-hours of the nodes paid for.</param>
/// <param name="Arrivals">Arrivals within the period.</param>
/// <param name="Started">Arrivals that started.</param>
/// <param name="Unplaced">Arrivals no run ever placed.</param>
/// <param name="WaitingAtEnd">Arrivals still waiting at the end (the unplaced ones among them).</param>
/// <param name="RunningAtEnd">Arrivals still running at the end.</param>
/// <param name="Moves">Times a running workload was moved to other clusters by a run.</param>
/// <param name="Interrupted">Times a running workload lost its placement.</param>
/// <param name="Timeline">Series over time.</param>
/// <param name="Notes">Distinct warnings of the runs (other than unplaced workloads), at most 20.</param>
/// <param name="Events">What happened, in time order, when recorded.</param>
public sealed record SimulationResult(
    string Label,
    string Stack,
    string Trace,
    DateTimeOffset Start,
    DateTimeOffset End,
    TimeSpan Tick,
    LaunchModel Launch,
    int Runs,
    int FailedRuns,
    decimal Usd,
    ImmutableArray<ClusterOutcome> Clusters,
    WaitSummary Waits,
    ImmutableArray<WorkloadWaits> WaitsByWorkload,
    double GpuHoursUsed,
    double GpuHoursPaid,
    int Arrivals,
    int Started,
    int Unplaced,
    int WaitingAtEnd,
    int RunningAtEnd,
    int Moves,
    int Interrupted,
    Timeline Timeline,
    ImmutableArray<string> Notes,
    ImmutableArray<SimulationEvent> Events)
{
    /// <summary>Length of the simulated period in hours.</summary>
    public double Hours => (End - Start).TotalHours;

    /// <summary>Average cost per hour over the period.</summary>
    public decimal UsdPerHour => Hours <= 0 ? 0m : Usd / (decimal)Hours;
}
