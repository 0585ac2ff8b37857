using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Validation;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;
using SkyRay.Testing;

namespace SkyRay.Orchestration.Tests;

/// <summary>
/// stacks/Pulumi.upgrade.yaml, the whole pipeline a <c>pulumi up</c> runs (planner → standby → upgrade → orchestrator,
/// real renderer), over successive simulated runs; each run's exported outputs are the next run's previous outputs.
/// </summary>
public sealed class UpgradeScenarioTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private static FleetSpec Load()
    {
        var result = StackLoader.LoadFile(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "Pulumi.upgrade.yaml"));
        Assert.True(result.Value is not null, string.Join("\n", result.Diagnostics));
        return result.Value!;
    }

    /// <summary>One `pulumi up`: the previous outputs travel through the stack-outputs writer and reader, as Pulumi carries them.</summary>
    private static (UpgradePlan Upgrade, RecordingPorts Recorder) Run(FleetSpec spec, FleetOutputs? previous, DateTimeOffset? at = null)
    {
        var before = previous is null ? PreviousRun.None : StackOutputs.ReadText(StackOutputs.Write(previous).ToJsonString(), "test").Run!;
        var run = RunPlanner.Plan(new RunRequest(spec, before, at ?? Now));
        return (run.Upgrade, RecordingPorts.Record(run));
    }

    private static RunPlan FirstRun(FleetSpec spec) => RunPlanner.Plan(new RunRequest(spec, PreviousRun.None, Now));

    [Fact]
    public void Upgrade_stack_clones_swaps_and_retires_over_three_runs()
    {
        var spec = Load();
        var deployedAt134 = spec with { Clusters = spec.Clusters.SetItem("prod", spec.Clusters["prod"] with { KubernetesVersion = "1.34" }) };
        var run0 = Run(deployedAt134, null);
        Assert.Empty(run0.Upgrade.Decisions);

        var run1 = Run(spec, run0.Recorder.Exported.Single());
        var run2 = Run(spec, run1.Recorder.Exported.Single());
        // Right after the swap the old cluster still gets traffic from clients that cached the record: the retire step waits its
        // TTL (60 s) plus the retire margin (5 min) from the swap.
        var tooSoon = Run(spec, run2.Recorder.Exported.Single(), Now + TimeSpan.FromMinutes(5));
        var run3 = Run(spec, run2.Recorder.Exported.Single(), Now + TimeSpan.FromMinutes(6));
        var run4 = Run(spec, run3.Recorder.Exported.Single(), Now + TimeSpan.FromMinutes(20));

        Assert.StartsWith("~ upgrade prod 1.34 → 1.35 (waiting): retire waits until 2026-01-01T10:06:00Z", tooSoon.Recorder.PreviewLines()[0], StringComparison.Ordinal);

        var preview1 = run1.Recorder.PreviewLines();
        Assert.StartsWith("~ upgrade prod 1.34 → 1.35 (cloned, step 1 of 3): cloned prod as prod-1-35 at 1.35", preview1[0], StringComparison.Ordinal);
        Assert.Contains("+ cluster prod (aws eks 1.34 us-west-2, pools: cpu 1..4 m6i.2xlarge, gpu 1..3 g5.2xlarge)", preview1);
        Assert.Contains("+ cluster prod-1-35 (aws eks 1.35 us-west-2, pools: cpu 1..4 m6i.2xlarge, gpu 1..3 g5.2xlarge)", preview1);
        Assert.Contains("+ RayService llm → prod-1-35", preview1);
        Assert.DoesNotContain("+ RayJob nightly-eval → prod-1-35", preview1);
        Assert.Contains("+ traffic llm.example.com → prod (CNAME)", preview1);

        var preview2 = run2.Recorder.PreviewLines();
        Assert.StartsWith("~ upgrade prod 1.34 → 1.35 (swapped, step 2 of 3)", preview2[0], StringComparison.Ordinal);
        Assert.Contains("~ traffic llm.example.com → prod-1-35 (was prod; CNAME)", preview2);

        var preview3 = run3.Recorder.PreviewLines();
        Assert.StartsWith("~ upgrade prod 1.34 → 1.35 (retired, step 3 of 3)", preview3[0], StringComparison.Ordinal);
        Assert.DoesNotContain(preview3, l => l.StartsWith("+ cluster prod ", StringComparison.Ordinal));
        Assert.Contains("+ RayJob nightly-eval → prod-1-35", preview3);
        Assert.Contains("+ traffic llm.example.com → prod-1-35 (CNAME)", preview3);
        var outputs = run3.Recorder.Exported.Single();
        Assert.Equal<string>(["prod-1-35"], outputs.Traffic["llm"]);
        Assert.Equal(UpgradePhase.Retired, outputs.Upgrades["prod"].Phase);
        Assert.EndsWith("; upgrade done", preview3[0], StringComparison.Ordinal);
        // Done is said once: the next run logs no upgrade step.
        Assert.DoesNotContain(run4.Recorder.PreviewLines(), l => l.StartsWith("~ upgrade", StringComparison.Ordinal));
    }

    [Fact]
    public void A_clone_whose_resource_names_would_clash_stops_the_run_before_anything_is_declared()
    {
        // Cluster prod with workload 1-35-llm and the clone prod-1-35 with workload llm both name a resource prod-1-35-llm.
        var spec = Load();
        spec = spec with { Workloads = spec.Workloads.Add("1-35-llm", spec.Workloads["nightly-eval"] with { Name = "1-35-llm" }) };
        var deployedAt134 = spec with { Clusters = spec.Clusters.SetItem("prod", spec.Clusters["prod"] with { KubernetesVersion = "1.34" }) };
        var run0 = RunPlanner.Plan(new RunRequest(deployedAt134, PreviousRun.None, Now));
        Assert.True(run0.Ok, string.Join("\n", run0.Diagnostics));
        var before = StackOutputs.ReadText(StackOutputs.Write(RecordingPorts.Record(run0).Exported.Single()).ToJsonString(), "test").Run!;

        var run1 = RunPlanner.Plan(new RunRequest(spec, before, Now));

        Assert.False(run1.Ok);
        var clash = Assert.Single(run1.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains("prod-1-35-llm", clash.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FleetOrchestrator.Run(run1, new RecordingPorts().Ports));
    }

    [Fact]
    public void Rendered_RayService_behind_the_record_exposes_its_serve_service_as_a_LoadBalancer()
    {
        var spec = Load();
        var run = FleetOrchestrator.Run(FirstRun(spec), new RecordingPorts().Ports);

        var llm = run.Workloads.Single(w => w.Workload == "llm");
        Assert.Equal("LoadBalancer", llm.Rendered.Manifest["spec"]!["serveService"]!["spec"]!["type"]!.GetValue<string>());
        Assert.False(run.Workloads.Single(w => w.Workload == "nightly-eval").Rendered.Manifest["spec"]!.AsObject().ContainsKey("serveService"));
    }

    [SkippableFact]
    public void Exposed_RayService_is_accepted_by_the_KubeRay_CRD_schema_and_keeps_its_serve_service()
    {
        var bag = new DiagnosticBag();
        var schemas = CrdSchemaSet.LoadDirectory(SharedMaterial.Require(SharedMaterial.KubeRayCrds), bag);
        var spec = Load();
        var run = FleetOrchestrator.Run(FirstRun(spec), new RecordingPorts().Ports);

        var result = schemas.Validate(run.Workloads.Single(w => w.Workload == "llm").Rendered, "llm");

        Assert.True(result.Accepted, string.Join("\n", result.Diagnostics));
        Assert.Equal("LoadBalancer", result.Stored["spec"]!["serveService"]!["spec"]!["type"]!.GetValue<string>());
    }
}
