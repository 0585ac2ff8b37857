using System.Collections.Immutable;
using System.Globalization;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Costs;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Simulation.Traces;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Simulation;

/// <summary>
/// One simulation. The clock jumps from run to run: before a run, everything that happened since the last one is applied
/// in time order (finishes, removals, demand changes, arrivals; at equal times in that order); the run is decided with
/// <see cref="RunPlanner.Plan"/>; its outputs are written and read back for the next run (<see cref="StackOutputs"/>); the
/// steps it takes give when each newly placed workload starts and how each cluster is paid until the next run. Runs do
/// not overlap: the next one starts at the first tick after this one's slowest step.
/// </summary>
internal sealed class SimulationRun
{
    private readonly FleetSpec _stack;
    private readonly PreparedTrace _prepared;
    private readonly SimulationOptions _options;
    private readonly LaunchModel _launch;
    private readonly long _start;
    private readonly long _end;
    private readonly long _tick;
    private readonly TimeBuckets _time;
    private readonly double[] _cost;
    private readonly double[] _gpusUsed;
    private readonly double[] _gpusPaid;
    private readonly double[] _running;
    private readonly double[] _waiting;
    private readonly Dictionary<string, ClusterLedger> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Instance> _active = new(StringComparer.Ordinal);
    // The same entries in name order, kept as they change (a few per run) instead of sorting the whole stack every run.
    private readonly SortedDictionary<string, Instance> _activeByName = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Pending, (long Time, int Kind, long Seq)> _pending = new();
    private readonly Dictionary<string, int> _workloadIndex = new(StringComparer.Ordinal);
    private readonly List<string> _workloadNames = [];
    private readonly List<int> _workloadArrivals = [];
    private readonly List<(int Workload, double Minutes)> _waits = [];
    private readonly List<SimulationEvent>? _events;
    private readonly SortedSet<string> _notes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Provider, string Type), (decimal Usd, int Gpus)> _prices = [];
    private readonly IEnumerator<TraceArrival> _arrivals;
    private ImmutableSortedDictionary<string, WorkloadSpec> _workloads = ImmutableSortedDictionary.Create<string, WorkloadSpec>(StringComparer.Ordinal);
    private TraceArrival? _next;
    private long _seq;
    private int _arrived;
    private int _started;
    private int _unplaced;
    private int _moves;
    private int _interrupted;
    private double _gpuHoursUsed;
    private double _gpuHoursPaid;

    public SimulationRun(FleetSpec stack, PreparedTrace prepared, SimulationOptions options)
    {
        _stack = stack;
        _prepared = prepared;
        _options = options;
        _launch = prepared.Launch;
        _start = prepared.Start.UtcTicks;
        _end = prepared.End.UtcTicks;
        _tick = prepared.Tick.Ticks;
        _time = new TimeBuckets(prepared.Start, prepared.End, options.TimelinePoints);
        _cost = _time.Series();
        _gpusUsed = _time.Series();
        _gpusPaid = _time.Series();
        _running = _time.Series();
        _waiting = _time.Series();
        _events = options.RecordEvents ? [] : null;
        _arrivals = prepared.Trace.Arrivals(new DiagnosticBag()).GetEnumerator();
        Advance();
    }

    private enum Kind
    {
        Finish = 0,
        Remove = 1,
        Demand = 2,
        Arrive = 3,
    }

    public SimulationResult Run()
    {
        var previous = WarmUp();
        var runs = 0;
        var failed = 0;
        var t = _start;
        while (t < _end)
        {
            ApplyUpTo(t);
            var now = new DateTimeOffset(t, TimeSpan.Zero);
            var run = RunPlanner.Plan(new RunRequest(_stack with { Workloads = _workloads }, previous, now) { OutputsInProcess = !_options.OutputsAsText });
            runs++;
            long slowest = 0;
            if (run.Ok)
            {
                slowest = Interpret(run, t, runs);
                previous = ReadBack(run.Outputs) ?? previous;
            }
            else
            {
                // A run that fails declares nothing and writes no outputs; the next one starts from the same place.
                failed++;
                Note(run.Diagnostics.First(d => d.Severity == Severity.Error).ToString());
                foreach (var ledger in _clusters.Values)
                {
                    ledger.StepLength = TimeSpan.Zero;
                }
            }

            foreach (var d in run.Diagnostics.Where(d => d.Severity == Severity.Warning && !d.Message.StartsWith("not deployed", StringComparison.Ordinal)))
            {
                Note(d.ToString());
            }

            var next = NextRun(t, t + slowest);
            var until = Math.Min(next, _end);
            foreach (var ledger in _clusters.Values)
            {
                ledger.Book(t, until, _time, _cost, _gpusPaid, ref _gpuHoursPaid);
            }

            _options.Progress?.Invoke(runs, now);
            t = next;
        }

        ApplyUpTo(_end - 1);
        return Finish(runs, failed);
    }

    /// <summary>The fleet before the trace starts: one run with no trace work, its clusters up as it declares them.</summary>
    private PreviousRun WarmUp()
    {
        var run = RunPlanner.Plan(new RunRequest(_stack with { Workloads = _workloads }, PreviousRun.None, new DateTimeOffset(_start, TimeSpan.Zero)) { OutputsInProcess = !_options.OutputsAsText });
        foreach (var (name, plan) in run.Plan.Clusters)
        {
            var ledger = Ledger(name, run.Spec);
            Settle(ledger, plan, run.Spec.Clusters.GetValueOrDefault(name));
        }

        return run.Ok ? ReadBack(run.Outputs) ?? PreviousRun.None : PreviousRun.None;
    }

    /// <summary>
    /// A run's outputs as the next run reads them: <see cref="StackOutputs.ReadBack"/>, the same data as writing them and reading
    /// them back (<see cref="SimulationOptions.OutputsAsText"/>: that round trip itself, through the JSON text, as tests compare).
    /// </summary>
    private PreviousRun? ReadBack(Ports.FleetOutputs outputs) => _options.OutputsAsText
        ? StackOutputs.ReadText(StackOutputs.Write(outputs).ToJsonString(), "outputs").Run
        : StackOutputs.ReadBack(outputs).Run;

    private long NextRun(long t, long done)
    {
        var after = Math.Max(done, t + 1);
        var k = (after - _start + _tick - 1) / _tick;
        return _start + (k * _tick);
    }

    private void Advance() => _next = _arrivals.MoveNext() && _start + _arrivals.Current.At.Ticks < _end ? _arrivals.Current : null;

    /// <summary>Applies, in time order, everything that happened up to <paramref name="t"/>.</summary>
    private void ApplyUpTo(long t)
    {
        while (true)
        {
            var hasPending = _pending.TryPeek(out var pending, out var key);
            var arrivalTime = _next is { } n ? _start + n.At.Ticks : long.MaxValue;
            if (hasPending && key.Time <= t && (key.Time < arrivalTime || (key.Time == arrivalTime && key.Kind < (int)Kind.Arrive)))
            {
                _pending.Dequeue();
                Apply(pending, key.Time);
            }
            else if (arrivalTime <= t)
            {
                Arrive(_next!, arrivalTime);
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    private void Arrive(TraceArrival arrival, long at)
    {
        _arrived++;
        if (!_workloadIndex.TryGetValue(arrival.Workload, out var index))
        {
            index = _workloadNames.Count;
            _workloadIndex[arrival.Workload] = index;
            _workloadNames.Add(arrival.Workload);
            _workloadArrivals.Add(0);
        }

        _workloadArrivals[index]++;
        var initial = arrival.Demand.FirstOrDefault(s => s.After == TimeSpan.Zero);
        var instance = new Instance(arrival, index, at, _prepared.Workloads.Instance(arrival, initial));
        _active[instance.Name] = instance;
        _activeByName[instance.Name] = instance;
        _workloads = _workloads.SetItem(instance.Name, instance.Spec);
        if (_events is not null)
        {
            Log(at, "arrive", instance.Name, $"{arrival.Workload} ({instance.Spec.Kind}){(arrival.Duration is { } d ? $", {(instance.Spec.Kind == RayKind.RayJob ? "runs" : "stays")} {TraceValues.Format(d)}" : "")}");
        }

        for (var i = 0; i < arrival.Demand.Length; i++)
        {
            if (arrival.Demand[i].After > TimeSpan.Zero)
            {
                Schedule(at + arrival.Demand[i].After.Ticks, Kind.Demand, instance, i);
            }
        }

        if (instance.Spec.Kind != RayKind.RayJob && arrival.Duration is { } stays)
        {
            Schedule(at + stays.Ticks, Kind.Remove, instance, 0);
        }
    }

    private void Apply(Pending pending, long at)
    {
        var instance = pending.Instance;
        if (!_active.ContainsKey(instance.Name))
        {
            return;
        }

        switch (pending.Kind)
        {
            case Kind.Demand:
                var step = instance.Arrival.Demand[pending.Step];
                instance.Spec = _prepared.Workloads.Instance(instance.Arrival, step);
                instance.DemandChanged = true;
                _workloads = _workloads.SetItem(instance.Name, instance.Spec);
                Log(at, "demand", instance.Name, $"replicas {Describe(step)}");
                break;
            default:
                Leave(instance, at, pending.Kind == Kind.Finish ? "finish" : "remove");
                break;
        }
    }

    private void Leave(Instance instance, long at, string why)
    {
        instance.Close(at, this);
        if (instance.StartedAt is null)
        {
            _time.Add(_waiting, instance.ArrivedAt, at, 1);
        }

        if (!instance.EverPlaced)
        {
            _unplaced++;
        }

        _active.Remove(instance.Name);
        _activeByName.Remove(instance.Name);
        _workloads = _workloads.Remove(instance.Name);
        Log(at, why, instance.Name, why == "finish" ? "done" : "removed from the stack");
    }

    /// <summary>Reads what a run decided: cluster steps, then workloads placed, started, moved; returns its slowest step.</summary>
    private long Interpret(RunPlan run, long t, int number)
    {
        long slowest = 0;
        foreach (var name in _clusters.Keys.Union(run.Plan.Clusters.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList())
        {
            var ledger = Ledger(name, run.Spec);
            var step = Transition(ledger, run.Plan.Clusters.GetValueOrDefault(name), run.Spec.Clusters.GetValueOrDefault(name), t);
            slowest = Math.Max(slowest, step);
        }

        var waiting = 0;
        foreach (var instance in _activeByName.Values)
        {
            var placement = run.Plan.Placements.GetValueOrDefault(instance.Name);
            if (placement is null || !placement.IsPlaced)
            {
                if (instance.Running)
                {
                    _interrupted++;
                    instance.Close(t, this);
                    Log(t, "interrupt", instance.Name, placement?.UnplacedReason ?? "no longer placed");
                }

                waiting += instance.StartedAt is null ? 1 : 0;
                instance.Copies = [];
                continue;
            }

            var copies = placement.Copies;
            var moved = !SameClusters(instance.Copies, copies);
            if (!instance.Running)
            {
                var delay = copies.Max(c => Delay(c, run.Spec));
                var start = t + delay;
                slowest = Math.Max(slowest, delay);
                instance.EverPlaced = true;
                instance.Copies = copies;
                if (instance.StartedAt is null)
                {
                    Start(instance, copies, start, run.Spec);
                }
                else
                {
                    // Placed again after an interruption: it runs again from when its nodes are back.
                    instance.Open(start, Gpus(instance, copies));
                }

                continue;
            }

            if (moved || instance.DemandChanged)
            {
                if (moved)
                {
                    _moves++;
                    if (_events is not null)
                    {
                        Log(t, "move", instance.Name, $"{string.Join(", ", instance.Copies.Select(c => c.Cluster))} → {string.Join(", ", copies.Select(c => c.Cluster))}");
                    }
                }

                var gpus = Gpus(instance, copies);
                if (gpus != instance.Gpus)
                {
                    instance.Close(t, this);
                    instance.Open(t, gpus);
                }

                instance.Copies = copies;
                instance.DemandChanged = false;
            }
        }

        if (_events is not null)
        {
            Log(t, "run", $"#{number.ToString(CultureInfo.InvariantCulture)}", $"{_active.Count} workload(s) in the stack, {waiting} waiting; done after {TraceValues.Format(TimeSpan.FromTicks(slowest))}");
        }

        return slowest;
    }

    private void Start(Instance instance, ImmutableArray<WorkloadCopy> copies, long start, FleetSpec declared)
    {
        instance.StartedAt = start;
        _time.Add(_waiting, instance.ArrivedAt, start, 1);
        if (start < _end)
        {
            _started++;
            _waits.Add((instance.Workload, (start - instance.ArrivedAt) / (double)TimeSpan.TicksPerMinute));
        }

        instance.Open(start, Gpus(instance, copies));
        if (_events is not null)
        {
            var steps = copies.Select(c => $"{c.Cluster} ({Tier(c.Tier)}{(c.Tier == LaunchTier.RunningNodes ? "" : ", " + TraceValues.Format(TimeSpan.FromTicks(Delay(c, declared))))})");
            Log(start, "start", instance.Name, $"on {string.Join(", ", steps)} after waiting {TraceValues.Format(TimeSpan.FromTicks(start - instance.ArrivedAt))}");
        }

        if (instance.Spec.Kind == RayKind.RayJob && instance.Arrival.Duration is { } runs)
        {
            Schedule(start + runs.Ticks, Kind.Finish, instance, 0);
        }
    }

    private long Delay(WorkloadCopy copy, FleetSpec declared)
    {
        var provider = declared.Clusters.TryGetValue(copy.Cluster, out var cluster) ? cluster.Provider : CloudProvider.Existing;
        var step = copy.Tier switch
        {
            LaunchTier.ScaleUp => _launch.Of(LaunchStep.ScaleUp, provider),
            LaunchTier.WakeStandby => _launch.Of(LaunchStep.Wake, provider),
            LaunchTier.CreateCluster => _launch.Of(LaunchStep.Create, provider),
            _ => TimeSpan.Zero,
        };
        return (step + _launch.Of(LaunchStep.Start, provider)).Ticks;
    }

    /// <summary>Moves a cluster's account to what the run declares; returns how long its step takes.</summary>
    private long Transition(ClusterLedger ledger, ClusterPlan? plan, ClusterSpec? spec, long t)
    {
        var from = ledger.State;
        var phaseBefore = ledger.Settled.Phase;
        var settled = Settle(ledger, plan, spec);
        var to = ledger.State;
        var fee = ledger.Fee;
        var step = TimeSpan.Zero;
        ClusterLedger.Stretch during = default;
        string? what = null;
        switch (from, to)
        {
            case (ClusterState.Absent, ClusterState.Active or ClusterState.Standby):
                step = _launch.Of(LaunchStep.Create, ledger.Provider);
                during = new ClusterLedger.Stretch(ClusterPhase.Creating, fee, 0);
                ledger.Creates++;
                what = "creating";
                break;
            case (ClusterState.Standby, ClusterState.Active):
                step = _launch.Of(LaunchStep.Wake, ledger.Provider);
                during = new ClusterLedger.Stretch(ClusterPhase.Waking, fee, 0);
                ledger.Wakes++;
                what = "waking";
                break;
            case (ClusterState.Active, ClusterState.Active) when settled.Grown is { } kept:
                step = _launch.Of(LaunchStep.ScaleUp, ledger.Provider);
                during = new ClusterLedger.Stretch(ledger.Settled.Phase, fee + kept.Usd, kept.Gpus);
                what = "adding nodes";
                break;
            case (ClusterState.Active, ClusterState.Standby):
                ledger.Suspends++;
                what = "suspended";
                break;
            case (ClusterState.Active or ClusterState.Standby, ClusterState.Absent):
                step = _launch.Of(LaunchStep.Delete, ledger.Provider);
                during = new ClusterLedger.Stretch(ClusterPhase.Deleting, fee, 0);
                ledger.Deletes++;
                what = "deleting";
                break;
        }

        if (what is null && from == ClusterState.Active && to == ClusterState.Active && phaseBefore != ledger.Settled.Phase)
        {
            what = ledger.Settled.Phase == ClusterPhase.Idle ? "idle" : "busy";
        }

        ledger.Step = during;
        ledger.StepLength = step;
        if (what is not null)
        {
            Log(t, "cluster", ledger.Name, step > TimeSpan.Zero ? $"{what} ({TraceValues.Format(step)})" : what);
            if (step > TimeSpan.Zero)
            {
                Log(t + step.Ticks, "cluster", ledger.Name, Words(ledger.Settled.Phase));
            }
        }

        return step.Ticks;
    }

    /// <summary>Sets a cluster's state, pools and settled stretch from a run's plan; says which part of its nodes ran before
    /// when pools grow.</summary>
    private (decimal Usd, int Gpus)? SettleGrown(Dictionary<string, int> before, Dictionary<string, int> after, ClusterSpec? spec)
    {
        if (!after.Any(p => p.Value > before.GetValueOrDefault(p.Key)))
        {
            return null;
        }

        var kept = after.ToDictionary(p => p.Key, p => Math.Min(p.Value, before.GetValueOrDefault(p.Key)), StringComparer.Ordinal);
        return Nodes(kept, spec);
    }

    private (ClusterLedger.Stretch Settled, (decimal Usd, int Gpus)? Grown) Settle(ClusterLedger ledger, ClusterPlan? plan, ClusterSpec? spec)
    {
        var state = plan?.State ?? ClusterState.Absent;
        var pools = state == ClusterState.Active
            ? plan!.Pools.ToDictionary(p => p.Pool, p => p.DesiredNodes, StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal);
        var grown = ledger.State == ClusterState.Active && state == ClusterState.Active ? SettleGrown(ledger.Pools, pools, spec) : null;
        var (nodesUsd, gpus) = Nodes(pools, spec);
        var phase = state switch
        {
            ClusterState.Active => plan!.Workloads.IsEmpty ? ClusterPhase.Idle : ClusterPhase.Active,
            ClusterState.Standby => ClusterPhase.Standby,
            _ => ClusterPhase.Absent,
        };
        ledger.State = state;
        ledger.Pools = pools;
        ledger.Settled = new ClusterLedger.Stretch(phase, state == ClusterState.Absent ? 0m : ledger.Fee + nodesUsd, gpus);
        return (ledger.Settled, grown);
    }

    private (decimal Usd, int Gpus) Nodes(Dictionary<string, int> pools, ClusterSpec? spec)
    {
        if (spec?.CatalogProvider is not { } provider)
        {
            return (0m, 0);
        }

        var usd = 0m;
        var gpus = 0;
        foreach (var pool in spec.NodePools)
        {
            if (pools.TryGetValue(pool.Name, out var count) && count > 0)
            {
                var (price, perNode) = Price(provider, pool.InstanceType);
                usd += price * count;
                gpus += perNode * count;
            }
        }

        return (usd, gpus);
    }

    private (decimal Usd, int Gpus) Price(string provider, string type)
    {
        if (!_prices.TryGetValue((provider, type), out var price))
        {
            price = _stack.Catalog.TryGet(provider, type, out var t) ? (t.HourlyUsd, t.Gpus) : (0m, 0);
            _prices[(provider, type)] = price;
        }

        return price;
    }

    private ClusterLedger Ledger(string name, FleetSpec declared)
    {
        if (!_clusters.TryGetValue(name, out var ledger))
        {
            var provider = declared.Clusters.TryGetValue(name, out var spec) ? spec.Provider : CloudProvider.Existing;
            ledger = new ClusterLedger(name, provider, ControlPlaneFees.HourlyUsd(provider), _time.Count);
            _clusters[name] = ledger;
        }

        return ledger;
    }

    private static int Gpus(Instance instance, ImmutableArray<WorkloadCopy> copies)
    {
        var gpus = 0;
        foreach (var copy in copies)
        {
            gpus += TraceSimulator.Gpus(instance.Spec, copy.WorkerReplicas);
        }

        return gpus;
    }

    private static bool SameClusters(ImmutableArray<WorkloadCopy> a, ImmutableArray<WorkloadCopy> b)
    {
        if (a.IsDefaultOrEmpty || a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i].Cluster, b[i].Cluster, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void Schedule(long at, Kind kind, Instance instance, int step) =>
        _pending.Enqueue(new Pending(kind, instance, step), (at, (int)kind, _seq++));

    private SimulationResult Finish(int runs, int failed)
    {
        var waitingAtEnd = 0;
        var runningAtEnd = 0;
        foreach (var instance in _active.Values)
        {
            if (instance.Running && instance.SegmentFrom < _end)
            {
                runningAtEnd++;
            }

            instance.Close(_end, this);
            if (instance.StartedAt is null || instance.StartedAt >= _end)
            {
                waitingAtEnd++;
                _time.Add(_waiting, instance.ArrivedAt, _end, 1);
            }

            if (!instance.EverPlaced)
            {
                _unplaced++;
            }
        }

        var clusters = _clusters.Values
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new ClusterOutcome(
                c.Name,
                c.Provider,
                c.Usd,
                Enum.GetValues<ClusterPhase>().ToImmutableSortedDictionary(p => p, p => c.Hours[(int)p]),
                c.Creates,
                c.Wakes,
                c.Suspends,
                c.Deletes,
                c.Bands(_time)))
            .ToImmutableArray();
        var byWorkload = _workloadNames
            .Select((name, i) => new WorkloadWaits(name, _workloadArrivals[i], Summarize(_waits.Where(w => w.Workload == i).Select(w => w.Minutes))))
            .OrderBy(w => w.Workload, StringComparer.Ordinal)
            .ToImmutableArray();
        var timeline = new Timeline(
            _time.Step,
            [.. _time.PerHour(_cost)],
            [.. _time.PerHour(_gpusUsed)],
            [.. _time.PerHour(_gpusPaid)],
            [.. _time.PerHour(_running)],
            [.. _time.PerHour(_waiting)]);
        var events = _events is null ? [] : _events.Select((e, i) => (e, i)).OrderBy(p => p.e.At).ThenBy(p => p.i).Select(p => p.e).ToImmutableArray();
        return new SimulationResult(
            _options.Label ?? _stack.Stack,
            _stack.Stack,
            _prepared.Trace.Header.Name,
            _prepared.Start,
            _prepared.End,
            _prepared.Tick,
            _launch,
            runs,
            failed,
            clusters.Sum(c => c.Usd),
            clusters,
            Summarize(_waits.Select(w => w.Minutes)),
            byWorkload,
            _gpuHoursUsed,
            _gpuHoursPaid,
            _arrived,
            _started,
            _unplaced,
            waitingAtEnd,
            runningAtEnd,
            _moves,
            _interrupted,
            timeline,
            [.. _notes.Take(20)],
            events);
    }

    /// <summary>Nearest-rank percentiles: the p-th percentile of n sorted values is the value at rank ⌈p·n/100⌉.</summary>
    internal static WaitSummary Summarize(IEnumerable<double> minutes)
    {
        var sorted = minutes.Order().ToArray();
        if (sorted.Length == 0)
        {
            return WaitSummary.None;
        }

        double Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length / 100.0) - 1)];
        return new WaitSummary(sorted.Length, Rank(50), Rank(95), sorted[^1], sorted.Average());
    }

    private void Note(string text)
    {
        if (_notes.Count < 20)
        {
            _notes.Add(text);
        }
    }

    /// <summary>Records an event when events are recorded; the hot callers skip making the words otherwise.</summary>
    private void Log(long at, string kind, string subject, string detail) =>
        _events?.Add(new SimulationEvent(TimeSpan.FromTicks(at - _start), kind, subject, detail));

    private static string Describe(DemandStep step) =>
        string.Join(", ", (step.Replicas is { } all ? new[] { all.ToString(CultureInfo.InvariantCulture) } : [])
            .Concat(step.Groups.Select(g => $"{g.Key}={g.Value.ToString(CultureInfo.InvariantCulture)}")));

    private static string Tier(LaunchTier tier) => tier switch
    {
        LaunchTier.RunningNodes => "running nodes",
        LaunchTier.ScaleUp => "scale up",
        LaunchTier.WakeStandby => "wake",
        _ => "create",
    };

    private static string Words(ClusterPhase phase) => phase switch
    {
        ClusterPhase.Active => "ready, with work",
        ClusterPhase.Idle => "ready, idle",
        ClusterPhase.Standby => "in standby",
        ClusterPhase.Absent => "deleted",
        _ => phase.ToString().ToLowerInvariant(),
    };

    private readonly record struct Pending(Kind Kind, Instance Instance, int Step);

    /// <summary>One arrival while it is in the stack.</summary>
    private sealed class Instance(TraceArrival arrival, int workload, long arrivedAt, WorkloadSpec spec)
    {
        public TraceArrival Arrival { get; } = arrival;

        /// <summary>The instance's name in the stack (<see cref="TraceArrival.InstanceName"/>, worked out once: asked of every active instance every run).</summary>
        public string Name { get; } = arrival.InstanceName;

        public int Workload { get; } = workload;

        public long ArrivedAt { get; } = arrivedAt;

        public WorkloadSpec Spec { get; set; } = spec;

        public bool DemandChanged { get; set; }

        public bool EverPlaced { get; set; }

        public long? StartedAt { get; set; }

        public ImmutableArray<WorkloadCopy> Copies { get; set; } = [];

        public bool Running { get; private set; }

        public long SegmentFrom { get; private set; }

        public int Gpus { get; private set; }

        public void Open(long from, int gpus)
        {
            Running = true;
            SegmentFrom = from;
            Gpus = gpus;
        }

        /// <summary>Books the running stretch up to <paramref name="to"/> (nothing when it had not begun yet).</summary>
        public void Close(long to, SimulationRun run)
        {
            if (!Running)
            {
                return;
            }

            Running = false;
            if (to > SegmentFrom)
            {
                run._time.Add(run._running, SegmentFrom, to, 1);
                run._time.Add(run._gpusUsed, SegmentFrom, to, Gpus);
                var from = Math.Max(SegmentFrom, run._start);
                var until = Math.Min(to, run._end);
                if (until > from)
                {
                    run._gpuHoursUsed += Gpus * (until - from) / (double)TimeSpan.TicksPerHour;
                }
            }
        }
    }
}
