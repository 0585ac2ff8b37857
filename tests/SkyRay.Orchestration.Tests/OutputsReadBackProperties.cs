using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Simulation;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Orchestration.Tests.Simulation;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Testing;

namespace SkyRay.Orchestration.Tests;

/// <summary>
/// <see cref="StackOutputs.ReadBack"/> hands a run's outputs to the next run in the same process (the trace simulation) without
/// the JSON text, and a run asked for <see cref="RunRequest.OutputsInProcess"/> keeps its placements as the plan instead of
/// writing their text. Neither may change what the next run reads or decides: each is compared with the real round trip,
/// <c>pulumi up</c>'s (the outputs written, their JSON text parsed back).
/// </summary>
public sealed class OutputsReadBackProperties
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The real round trip: the outputs as JSON text, parsed back as a stack's outputs are.</summary>
    private static PreviousRunReading ThroughText(FleetOutputs outputs) =>
        StackOutputs.ReadText(StackOutputs.Write(outputs).ToJsonString(), "outputs.json");

    /// <summary>A previous run with the placements as text, the way the real round trip leaves them.</summary>
    private static PreviousRun? AsText(PreviousRun? run) =>
        run?.Outputs is { } o ? run with { Outputs = o with { Placements = o.PlacementsText, PlacementsPlan = null } } : run;

    private static FleetSpec RandomSpec(Random random)
    {
        var builder = new FleetSpecBuilder()
            .InstanceType("m6i.2xlarge", "aws", 0.384m)
            .InstanceType("g5.xlarge", "aws", 1.006m, gpus: 1);
        var clusters = random.Next(1, 4);
        for (var c = 0; c < clusters; c++)
        {
            var cluster = ClusterBuilder.Aws($"aws-{(char)('a' + c)}").Pool("cpu", "m6i.2xlarge", random.Next(0, 2), random.Next(2, 8));
            builder.Cluster(random.Next(2) == 0 ? cluster.Pool("gpu", "g5.xlarge", 0, random.Next(1, 4)) : cluster);
        }

        var workloads = random.Next(1, 9);
        for (var w = 0; w < workloads; w++)
        {
            var kind = (RayKind)random.Next(3);
            var workload = new WorkloadBuilder($"w{w}").Kind(kind).Namespace(random.Next(2) == 0 ? "ml" : "serve");
            workload = random.Next(3) switch
            {
                0 => workload.CpuOnly(),
                1 => workload.Workers(random.Next(1, 60)),
                _ => workload,
            };
            builder.Workload(workload);
        }

        return builder.Build();
    }

    /// <summary>A run's outputs with random parts the reader changes or drops: bad states, repeated or unsorted targets, null
    /// lines, zero counts, maps in another order, plans with verdicts or overrides, text that is not a plan.</summary>
    private static FleetOutputs Perturb(FleetOutputs outputs, FleetPlanShapes plans, Random random)
    {
        var reverse = Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x));
        var o = outputs;
        if (random.Next(4) == 0 && !o.Clusters.IsEmpty)
        {
            var (name, cluster) = o.Clusters.First();
            o = o with { Clusters = o.Clusters.SetItem(name, cluster with { State = random.Next(2) == 0 ? "waking" : "standby", IdleSince = random.Next(2) == 0 ? null : "2026-12-01T09:00:00.0000000+00:00", Provider = random.Next(3) == 0 ? null! : "" }) };
        }

        if (random.Next(5) == 0)
        {
            o = o with { Clusters = o.Clusters.WithComparers(reverse) };
        }

        if (random.Next(4) == 0 && !o.Workloads.IsEmpty)
        {
            var (name, targets) = o.Workloads.Last();
            ImmutableArray<string> odd = random.Next(3) switch
            {
                0 => [.. targets, .. targets, "aws-a"],
                1 => ["zz", "aws-a"],
                _ => [null!],
            };
            o = o with { Workloads = o.Workloads.SetItem(name, odd) };
        }

        if (random.Next(6) == 0)
        {
            o = o with { Explanation = o.Explanation.Add(null!) };
        }

        o = random.Next(6) switch
        {
            0 when o.PlacementsPlan is not null => o with { PlacementsPlan = plans.WithVerdicts },
            1 when o.PlacementsPlan is not null => o with { PlacementsPlan = plans.WithOverride },
            2 => o with { PlacementsPlan = null, Placements = random.Next(2) == 0 ? "not json" : """{"stack":"x"}""" },
            3 when o.PlacementsPlan is not null => o with { PlacementsPlan = plans.Unwhole },
            _ => o,
        };
        if (random.Next(3) == 0)
        {
            o = o with
            {
                Upgrades = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, UpgradeState>
                {
                    ["aws-a"] = new("aws-a", "aws-a-1-34", "1.33", "1.34", UpgradePhase.Cloned, ["w1"], ["aws-a"]),
                }),
                Traffic = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableArray<string>> { ["w1"] = random.Next(2) == 0 ? ["aws-a"] : ["aws-b", "aws-a"] }),
                TrafficAddresses = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableArray<string>> { ["w1"] = ["a1.elb.amazonaws.com"] }),
            };
        }

        o = random.Next(5) switch
        {
            0 => o with { Queues = null },
            1 => o with { Queues = ImmutableSortedDictionary<string, string>.Empty },
            2 => o with { Queues = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["aws-a"] = random.Next(2) == 0 ? "skyray" : null! }) },
            _ => o,
        };
        if (random.Next(3) == 0)
        {
            o = o with
            {
                Jobs = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, JobRecord>
                {
                    ["w0"] = new(random.Next(2) == 0 ? ["aws-b", "aws-a"] : ["aws-a", null!], random.Next(4) == 0 ? null! : "Complete", random.Next(2) == 0 ? null : "SUCCEEDED", random.Next(2) == 0 ? null : "2026-12-01T09:41:07Z", random.Next(2) == 0),
                }),
            };
        }

        if (random.Next(3) == 0)
        {
            o = o with { Unreachable = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, int> { ["aws-a"] = random.Next(-1, 3) }) };
        }

        if (random.Next(2) == 0)
        {
            o = o with { Fingerprint = "sha256:00" };
        }

        return o;
    }

    /// <summary>Plans a reader must not take as they are: with verdicts, with a field override, without placements.</summary>
    private sealed record FleetPlanShapes(Placement.Planning.FleetPlan WithVerdicts, Placement.Planning.FleetPlan WithOverride, Placement.Planning.FleetPlan Unwhole);

    [Fact]
    public void Outputs_read_back_in_process_are_the_data_their_json_text_reads_back_as()
    {
        // Random stacks' runs (text or kept plan), their outputs perturbed with what the reader changes or drops. The kinds met
        // are counted so that a generator change cannot quietly stop reaching the shortcut or the plain path.
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var spec = RandomSpec(random);
            var run = RunPlanner.Plan(new RunRequest(spec, PreviousRun.None, Now) { OutputsInProcess = random.Next(4) != 0 });
            var placed = run.Plan.Placements.Values.FirstOrDefault(p => p.IsPlaced);
            var shapes = new FleetPlanShapes(
                run.Plan,
                placed is null ? run.Plan : run.Plan with
                {
                    Placements = run.Plan.Placements.SetItem(placed.Workload, placed with
                    {
                        Verdicts = [],
                        Copies = placed.Copies.SetItem(0, placed.Copies[0] with { Overrides = [new Fleet.Policies.FieldOverride("spec.x", System.Text.Json.Nodes.JsonValue.Create(3))] }),
                    }),
                },
                run.Plan with { Placements = null! });
            var outputs = seed % 5 == 0 ? run.Outputs : Perturb(run.Outputs, shapes, random);

            var expected = ThroughText(outputs);
            var actual = StackOutputs.ReadBack(outputs);

            Assert.Equal(expected.Problems.Select(d => d.ToString()), actual.Problems.Select(d => d.ToString()));
            Assert.Null(DataEquality.FirstDifference(expected.Run is null ? null : expected.Run with { Plan = null }, AsText(actual.Run) is { } a ? a with { Plan = null } : null));
            if (expected.Run?.Plan is { } plan && plan.Placements.Values.Any(p => p.Copies.Any(c => !c.Overrides.IsEmpty)))
            {
                // A field override's JSON value is a node, equal only to itself: such plans are compared as their text.
                Assert.Equal(Placement.Planning.PlanJson.Write(plan), Placement.Planning.PlanJson.Write(actual.Run!.Plan!));
                kinds.Add("override");
            }
            else
            {
                Assert.Null(DataEquality.FirstDifference(expected.Run?.Plan, actual.Run?.Plan));
            }

            kinds.Add(actual.Run?.Outputs?.PlacementsPlan is not null ? "plan handed on" : "text");
            kinds.Add(expected.Problems.IsEmpty ? "read whole" : "parts dropped");
            if (expected.Run?.Plan?.Placements.Values.Any(p => !p.IsPlaced) == true)
            {
                kinds.Add("unplaced");
            }
        }

        Assert.Equal(["override", "parts dropped", "plan handed on", "read whole", "text", "unplaced"], kinds);
    }

    [Fact]
    public void An_upgrade_decides_the_same_steps_after_outputs_read_back_in_process_as_after_their_json_text()
    {
        // stacks/Pulumi.upgrade.yaml deployed at 1.34, then configured at 1.35: clone, swap, wait, retire, done. With upgrades in
        // the outputs the previous placements are read under configured names (UpgradePolicy.ConfiguredView), from the kept plan
        // in one chain and from the text in the other.
        var spec = StackLoader.LoadFile(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "Pulumi.upgrade.yaml")).Value!;
        var at134 = spec with { Clusters = spec.Clusters.SetItem("prod", spec.Clusters["prod"] with { KubernetesVersion = "1.34" }) };
        var times = new[] { 0, 0, 5, 6, 20, 30 };
        PreviousRun? text = null;
        PreviousRun? inProcess = null;
        var phases = new SortedSet<UpgradePhase>();
        for (var i = 0; i < times.Length; i++)
        {
            var stack = i == 0 ? at134 : spec;
            var now = Now + TimeSpan.FromMinutes(times[i]);
            var viaText = RunPlanner.Plan(new RunRequest(stack, text ?? PreviousRun.None, now));
            var viaPlan = RunPlanner.Plan(new RunRequest(stack, inProcess ?? PreviousRun.None, now) { OutputsInProcess = true });

            Assert.NotNull(viaPlan.Outputs.PlacementsPlan);
            Assert.Null(DataEquality.FirstDifference(viaText.Plan, viaPlan.Plan));
            Assert.Null(DataEquality.FirstDifference(viaText.Outputs, viaPlan.Outputs with { Placements = viaPlan.Outputs.PlacementsText, PlacementsPlan = null }));
            Assert.Equal(viaText.Diagnostics.Select(d => d.ToString()), viaPlan.Diagnostics.Select(d => d.ToString()));
            Assert.Equal(string.Join("\n", viaText.StepLines()), string.Join("\n", viaPlan.StepLines()));
            text = ThroughText(viaText.Outputs).Run;
            inProcess = StackOutputs.ReadBack(viaPlan.Outputs).Run;
            Assert.NotNull(inProcess!.Outputs!.PlacementsPlan);
            // The previous placements under configured names, as the kept plan and as the text give them.
            var viewText = UpgradePolicy.ConfiguredView(text!.Outputs)!;
            var viewPlan = UpgradePolicy.ConfiguredView(inProcess.Outputs)!;
            Assert.Null(DataEquality.FirstDifference(viewText.PlacementsPlanOrRead(), viewPlan.PlacementsPlanOrRead()));
            Assert.Null(DataEquality.FirstDifference(viewText with { Placements = "" }, viewPlan with { Placements = "", PlacementsPlan = null }));
            phases.UnionWith(viaText.Outputs.Upgrades.Values.Select(u => u.Phase));
        }

        Assert.Equal([UpgradePhase.Cloned, UpgradePhase.Swapped, UpgradePhase.Retired], phases);
    }

    [Fact]
    public void A_simulation_handing_outputs_on_in_process_gives_the_result_of_handing_them_on_as_json_text()
    {
        // The sample training week (stacks/Pulumi.training.yaml, stacks/traces/bursty-training.yaml): 2,016 runs with clusters
        // created, suspended and woken; every figure and every event the same.
        var stack = FleetLoading.LoadFile(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "Pulumi.training.yaml")).Value!;
        var trace = SimulationFixture.Trace(File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "traces", "bursty-training.yaml")), "bursty-training.yaml");

        var inProcess = TraceSimulator.Simulate(stack, trace, new SimulationOptions { RecordEvents = true }).Value!;
        var viaText = TraceSimulator.Simulate(stack, trace, new SimulationOptions { RecordEvents = true, OutputsAsText = true }).Value!;

        Assert.True(inProcess.Runs > 1000);
        Assert.Contains(inProcess.Events, e => e.Kind == "cluster" && e.Detail.StartsWith("creating", StringComparison.Ordinal));
        Assert.Null(DataEquality.FirstDifference(viaText, inProcess));
    }
}
