using SkyRay.Orchestration.Simulation;

namespace SkyRay.Orchestration.Tests.Simulation;

/// <summary>
/// A three-job trace on <see cref="SimulationFixture.HandStack"/>, every figure worked out by hand below. Runs every 10
/// minutes; default launch times (EKS scale-up 3 min, GKE create 5 min).
/// </summary>
public sealed class TraceSimulatorTests
{
    // train-1 at 0:00 for 1h, train-2 at 0:05 for 30m, train-3 at 2:00 for 20m; the period ends at 3:00.
    private const string HandTrace = SkyRay.Testing.HandTrace.Trace;

    private static SimulationResult Simulate(SimulationOptions? options = null)
    {
        var result = TraceSimulator.Simulate(
            SimulationFixture.Stack(SimulationFixture.HandStack),
            SimulationFixture.Trace(HandTrace),
            options ?? new SimulationOptions { RecordEvents = true });
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        return result.Value!;
    }

    [Fact]
    public void Events_happen_in_the_order_worked_out_by_hand()
    {
        // 0:00 run 1: train-1 fits home once its GPU pool adds a node (scale up, 3m) → starts 0:03, done 1:03.
        //      The run takes 3m, so the next one is at the next tick, 0:10.
        // 0:10 run 2: train-2 (arrived 0:05) finds home's one GPU node taken; burst is created (GKE, 5m) → starts 0:15, done 0:45.
        // 0:50 run 6: burst has no work: idle (its idleAfter of 10m starts now). 1:00 run 7: burst suspends.
        // 1:10 run 8: train-1 is done (1:03): home is idle. 2:00 run 13: train-3 arrives at the run; home scales up
        //      again (faster than waking burst) → starts 2:03, done 2:23. 2:30 run 16: home idle again.
        string[] expected =
        [
            "0s arrive train-1: train (RayJob), runs 1h",
            "0s cluster home: adding nodes (3m)",
            "3m cluster home: ready, with work",
            "3m start train-1: on home (scale up, 3m) after waiting 3m",
            "5m arrive train-2: train (RayJob), runs 30m",
            "10m cluster burst: creating (5m)",
            "15m cluster burst: ready, with work",
            "15m start train-2: on burst (create, 5m) after waiting 10m",
            "45m finish train-2: done",
            "50m cluster burst: idle",
            "1h cluster burst: suspended",
            "1h3m finish train-1: done",
            "1h10m cluster home: idle",
            "2h arrive train-3: train (RayJob), runs 20m",
            "2h cluster home: adding nodes (3m)",
            "2h3m cluster home: ready, with work",
            "2h3m start train-3: on home (scale up, 3m) after waiting 3m",
            "2h23m finish train-3: done",
            "2h30m cluster home: idle",
        ];

        var result = Simulate();

        Assert.Equal(expected, result.Events.Where(e => e.Kind != "run").Select(e => e.ToString()));
        // Runs at every tick from 0:00 to 2:50: no run took longer than a tick.
        Assert.Equal(18, result.Runs);
        Assert.Equal(18, result.Events.Count(e => e.Kind == "run"));
    }

    [Fact]
    public void Costs_per_cluster_and_in_total_are_the_hand_computed_ones()
    {
        // home: fee 0.10 + CPU node 1.00 all 3h = 3.30; its GPU node ($2) runs 0:03–1:10 (67 min, until the run after
        // train-1 is done) and 2:03–2:30 (27 min): 94 min = 3.1333…; total 6.4333….
        var home = 3.30 + (2.0 * 94 / 60);
        // burst: fee 0.10 from its creation at 0:10 to 3:00 (170 min) = 0.28333…; its GPU node ($3) 0:15–0:50 (35 min) = 1.75.
        var burst = (0.10 * 170 / 60) + (3.0 * 35 / 60);

        var result = Simulate();

        Assert.Equal(home, (double)result.Clusters.Single(c => c.Cluster == "home").Usd, 9);
        Assert.Equal(burst, (double)result.Clusters.Single(c => c.Cluster == "burst").Usd, 9);
        Assert.Equal(home + burst, (double)result.Usd, 9);
    }

    [Fact]
    public void Waits_until_start_are_the_hand_computed_ones()
    {
        // Waits 3, 10 and 3 minutes; sorted 3, 3, 10. Nearest rank: p50 = rank ⌈1.5⌉ = 2 → 3; p95 = rank ⌈2.85⌉ = 3 → 10.
        var result = Simulate();

        Assert.Equal((3, 3.0, 10.0, 10.0), (result.Waits.Count, result.Waits.P50, result.Waits.P95, result.Waits.Max));
        Assert.Equal(16.0 / 3, result.Waits.Mean, 9);
        var train = Assert.Single(result.WaitsByWorkload);
        Assert.Equal(("train", 3), (train.Workload, train.Arrivals));
        Assert.Equal((3, 3.0, 10.0, 10.0), (train.Waits.Count, train.Waits.P50, train.Waits.P95, train.Waits.Max));
        Assert.Equal((3, 3, 0, 0, 0), (result.Arrivals, result.Started, result.Unplaced, result.WaitingAtEnd, result.RunningAtEnd));
    }

    [Fact]
    public void Gpu_hours_used_and_paid_are_the_hand_computed_ones()
    {
        // Used: train-1 0:03–1:03 (60 min), train-2 0:15–0:45 (30), train-3 2:03–2:23 (20): 110 min of one GPU.
        // Paid: home's GPU node 94 min, burst's 35 min: 129 min.
        var result = Simulate();

        Assert.Equal(110.0 / 60, result.GpuHoursUsed, 9);
        Assert.Equal(129.0 / 60, result.GpuHoursPaid, 9);
    }

    [Fact]
    public void Cluster_phases_are_the_hand_computed_ones()
    {
        // With a 3h period the timeline step is 1 minute, so the bands are exact.
        var result = Simulate();
        var burst = result.Clusters.Single(c => c.Cluster == "burst");
        var home = result.Clusters.Single(c => c.Cluster == "home");

        Assert.Equal(TimeSpan.FromMinutes(1), result.Timeline.Step);
        Assert.Equal<PhaseBand>(
            [
                new PhaseBand(TimeSpan.Zero, TimeSpan.FromMinutes(10), ClusterPhase.Absent),
                new PhaseBand(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), ClusterPhase.Creating),
                new PhaseBand(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(50), ClusterPhase.Active),
                new PhaseBand(TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(60), ClusterPhase.Idle),
                new PhaseBand(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(180), ClusterPhase.Standby),
            ],
            burst.Bands.ToArray());
        Assert.Equal<PhaseBand>(
            [
                new PhaseBand(TimeSpan.Zero, TimeSpan.FromMinutes(70), ClusterPhase.Active),
                new PhaseBand(TimeSpan.FromMinutes(70), TimeSpan.FromMinutes(120), ClusterPhase.Idle),
                new PhaseBand(TimeSpan.FromMinutes(120), TimeSpan.FromMinutes(150), ClusterPhase.Active),
                new PhaseBand(TimeSpan.FromMinutes(150), TimeSpan.FromMinutes(180), ClusterPhase.Idle),
            ],
            home.Bands.ToArray());
        Assert.Equal((1, 0, 1, 0), (burst.Creates, burst.Wakes, burst.Suspends, burst.Deletes));
        Assert.Equal(2.0, burst.Hours[ClusterPhase.Standby], 9);
        Assert.Equal(100.0 / 60, home.Hours[ClusterPhase.Active], 9);
    }

    [Fact]
    public void Timeline_cost_adds_up_to_the_total()
    {
        var result = Simulate();

        // Each point is the average $/h over one minute: the points times 1/60 h sum to the total cost.
        Assert.Equal(180, result.Timeline.UsdPerHour.Length);
        Assert.Equal((double)result.Usd, result.Timeline.UsdPerHour.Sum() / 60, 9);
        // 0:20–0:30: home fee + CPU + GPU node (3.10) and burst fee + GPU node (3.10).
        Assert.Equal(6.20, result.Timeline.UsdPerHour[25], 9);
        Assert.Equal(2.0, result.Timeline.GpusUsed[25], 9);
        Assert.Equal(0.0, result.Timeline.Waiting[25], 9);
        // 0:05–0:15 train-2 waits.
        Assert.Equal(1.0, result.Timeline.Waiting[7], 9);
    }

    [Fact]
    public void Workloads_a_run_starts_at_the_same_time_are_reported_in_name_order_whatever_order_they_arrived_in()
    {
        // Three jobs arrive at once, named against their arrival order: home takes one (its GPU pool adds a node, 3m), burst
        // is created for the other two (5m), which start together. A run reads its workloads in name order, so "mid" starts
        // before "zeta" although zeta arrived first.
        const string trace = """
            trace: {start: "2026-03-02T00:00:00Z", end: 2h, tick: 10m}
            arrivals:
              - {at: 0m, workload: train, name: zeta, duration: 1h}
              - {at: 0m, workload: train, name: alpha, duration: 1h}
              - {at: 0m, workload: train, name: mid, duration: 1h}
            """;
        var result = TraceSimulator.Simulate(
            SimulationFixture.Stack(SimulationFixture.HandStack),
            SimulationFixture.Trace(trace),
            new SimulationOptions { RecordEvents = true }).Value!;

        var starts = result.Events.Where(e => e.Kind == "start").Select(e => $"{SkyRay.Orchestration.Simulation.Traces.TraceValues.Format(e.At)} {e.Subject}").ToList();

        Assert.Equal(3, starts.Count);
        Assert.Equal(["5m mid", "5m zeta"], starts.Where(s => s.StartsWith("5m ", StringComparison.Ordinal)));
    }
}
