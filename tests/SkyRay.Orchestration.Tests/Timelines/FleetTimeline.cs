using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Costs;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Runs;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests.Timelines;

/// <summary>
/// A simulated fleet driven the way the schedule drives a real one: every tick the world is observed (unless the timeline runs
/// without observations, as SkyRay did before), <see cref="RunPlanner"/> decides the run from the stack's previous outputs (through
/// the outputs writer and reader), the orchestrator walks it, and the world follows what was declared. RayJobs finish a fixed time
/// after they are declared; RayServices become Ready a fixed time after they are declared; a cluster's API can go down (its data
/// plane keeps serving what runs there).
/// </summary>
/// <remarks>
/// Cost model (what the tests report): per tick, an active cluster costs its plan's node cost (the nodes its placed work needs, or
/// its configured minimum while idle) plus its control-plane fee; a cluster in standby (suspend) costs the fee; an absent one nothing.
/// </remarks>
internal sealed class FleetTimeline(Func<DateTimeOffset, FleetSpec> spec, bool observe, TimeSpan tick)
{
    private readonly Dictionary<(string Workload, string Cluster), WorldCopy> _world = [];
    private PreviousRun _previous = PreviousRun.None;
    private readonly HashSet<string> _recordsServed = new(StringComparer.Ordinal);

    /// <summary>How long each RayJob runs once declared.</summary>
    public Dictionary<string, TimeSpan> JobRuns { get; } = new(StringComparer.Ordinal);

    /// <summary>How long a RayService takes to become Ready once declared.</summary>
    public TimeSpan ServiceReadyAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Clusters whose API server stops answering at a time.</summary>
    public Dictionary<string, DateTimeOffset> ApiDownFrom { get; } = new(StringComparer.Ordinal);

    /// <summary>Total cost so far, USD.</summary>
    public decimal Cost { get; private set; }

    /// <summary>Total time a traffic record (once it had served) pointed at no copy that was Ready in the world.</summary>
    public TimeSpan WithoutServingTarget { get; private set; }

    /// <summary>Every run with its time.</summary>
    public List<(DateTimeOffset At, RunPlan Run)> Runs { get; } = [];

    /// <summary>Per cluster, its state after each run.</summary>
    public Dictionary<string, List<(DateTimeOffset At, ClusterState State)>> States { get; } = new(StringComparer.Ordinal);

    /// <summary>Ticks from <paramref name="start"/> until <paramref name="end"/> (excluded).</summary>
    public FleetTimeline Run(DateTimeOffset start, DateTimeOffset end)
    {
        for (var t = start; t < end; t += tick)
        {
            Tick(t);
        }

        return this;
    }

    /// <summary>The times a cluster was in a state, as [from, to) intervals merged.</summary>
    public List<(DateTimeOffset From, DateTimeOffset To)> Intervals(string cluster, ClusterState state)
    {
        var result = new List<(DateTimeOffset, DateTimeOffset)>();
        foreach (var (at, s) in States[cluster])
        {
            if (s != state)
            {
                continue;
            }

            if (result.Count > 0 && result[^1].Item2 == at)
            {
                result[^1] = (result[^1].Item1, at + tick);
            }
            else
            {
                result.Add((at, at + tick));
            }
        }

        return result;
    }

    /// <summary>The lines every run logged, with its time.</summary>
    public IEnumerable<string> Log() =>
        Runs.SelectMany(r => r.Run.StepLines().Concat(r.Run.Traffic.Select(t => t.PreviewLine())).Select(l => $"{r.At:HH:mm} {l}"));

    private void Tick(DateTimeOffset t)
    {
        var stack = spec(t);
        var run = RunPlanner.Plan(new RunRequest(stack, _previous, t) { Observed = observe ? Observe(stack, t) : null });
        Assert.True(run.Ok, string.Join("\n", run.Diagnostics));
        var declared = FleetOrchestrator.Run(run, new RecordingPorts().Ports);
        Runs.Add((t, run));

        // The world follows the declarations: new copies start now, copies no longer declared go, unless their cluster's API is
        // down (nothing can delete them there) or they are a finished job's record (kept on the cluster).
        var now = declared.Workloads.Select(w => (w.Workload, w.Cluster)).ToHashSet();
        foreach (var w in declared.Workloads)
        {
            if (!_world.ContainsKey((w.Workload, w.Cluster)))
            {
                _world[(w.Workload, w.Cluster)] = new WorldCopy(stack.Workloads[w.Workload].Kind, stack.Workloads[w.Workload].Namespace, t);
            }
        }

        foreach (var key in _world.Keys.ToList())
        {
            var copy = _world[key];
            var state = run.Plan.Clusters.GetValueOrDefault(key.Cluster)?.State ?? ClusterState.Absent;
            var finishedJob = copy.Kind == RayKind.RayJob && Finished(key.Workload, copy, t);
            var gone = state == ClusterState.Absent
                || (!now.Contains(key) && !ApiDown(key.Cluster, t) && !finishedJob)
                || (state == ClusterState.Standby && !finishedJob);
            if (gone)
            {
                _world.Remove(key);
            }
        }

        foreach (var (name, plan) in run.Plan.Clusters)
        {
            if (!States.TryGetValue(name, out var list))
            {
                States[name] = list = [];
            }

            list.Add((t, plan.State));
            var fee = ControlPlaneFees.HourlyUsd(run.Spec.Clusters[name].Provider);
            var hourly = plan.State switch
            {
                ClusterState.Active => plan.HourlyCost + fee,
                ClusterState.Standby => fee,
                _ => 0m,
            };
            Cost += hourly * (decimal)tick.TotalHours;
        }

        foreach (var record in stack.Traffic.Values)
        {
            var targets = run.Traffic.FirstOrDefault(r => r.Traffic.Name == record.Name)?.Targets ?? [];
            var serving = targets.Any(c => _world.TryGetValue((record.Workload, c), out var copy) && copy.DeclaredAt + ServiceReadyAfter <= t);
            if (serving)
            {
                _recordsServed.Add(record.Name);
            }
            else if (_recordsServed.Contains(record.Name))
            {
                WithoutServingTarget += tick;
            }
        }

        _previous = StackOutputs.ReadText(StackOutputs.Write(run.Outputs).ToJsonString(), "timeline").Run!;
    }

    private bool ApiDown(string cluster, DateTimeOffset t) => ApiDownFrom.TryGetValue(cluster, out var from) && t >= from;

    private bool Finished(string workload, WorldCopy copy, DateTimeOffset t) => copy.DeclaredAt + JobRuns[workload] <= t;

    private FleetObservation Observe(FleetSpec stack, DateTimeOffset t)
    {
        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterObservation>(StringComparer.Ordinal);
        foreach (var name in stack.Clusters.Keys)
        {
            if (ApiDown(name, t))
            {
                clusters[name] = new ClusterObservation(name, Reachability.Unreachable, t) { Problem = "no answer within 10s" };
                continue;
            }

            var objects = _world.Where(w => w.Key.Cluster == name).Select(w => Seen(w.Key.Workload, w.Value, t));
            clusters[name] = new ClusterObservation(name, Reachability.Reachable, t)
            {
                RayObjects = [.. objects.OrderBy(o => o.Kind).ThenBy(o => o.Name, StringComparer.Ordinal)],
            };
        }

        return new FleetObservation(t, clusters.ToImmutable());
    }

    private ObservedRayObject Seen(string workload, WorldCopy copy, DateTimeOffset t)
    {
        var seen = new ObservedRayObject(copy.Kind, copy.Namespace, workload) { Workload = workload, HasStatus = true };
        if (copy.Kind == RayKind.RayJob)
        {
            var end = copy.DeclaredAt + JobRuns[workload];
            return end <= t
                ? seen with { DeploymentStatus = "Complete", JobStatus = "SUCCEEDED", StartTime = copy.DeclaredAt, EndTime = end }
                : seen with { DeploymentStatus = "Running", JobStatus = "RUNNING", StartTime = copy.DeclaredAt };
        }

        var ready = copy.DeclaredAt + ServiceReadyAfter <= t;
        return seen with
        {
            ReadyCondition = ready ? "True" : "False",
            ServeEndpoints = ready ? 2 : 0,
            ServeAddresses = ready ? [$"lb-{workload}.example.elb.amazonaws.com"] : [],
            OngoingRequests = 0,
        };
    }

    private sealed record WorldCopy(RayKind Kind, string Namespace, DateTimeOffset DeclaredAt);
}
