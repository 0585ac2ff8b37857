using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Orchestration.Upgrades;

namespace SkyRay.Orchestration.Tests;

/// <summary>The stack outputs' one writer and one reader: what a run writes, the next run reads back, and what it cannot read it says.</summary>
public sealed class StackOutputsTests
{
    private static FleetOutputs Sample() => new(
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ClusterOutput>
        {
            ["aws-a"] = new("aws", "1.33", "static", "active"),
            ["gcp-b"] = new("gcp", "1.33", "dynamic", "standby", "2026-12-01T10:00:00.0000000+00:00"),
        }),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableArray<string>> { ["llm"] = ["aws-a"], ["job"] = [] }),
        ["job: unplaced: no room", "llm → aws-a (available capacity)"],
        """{"stack":"test","clusters":{},"placements":{},"diagnostics":[]}""")
    {
        Upgrades = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, UpgradeState>
        {
            ["aws-a"] = new("aws-a", "aws-a-1-34", "1.33", "1.34", UpgradePhase.Cloned, ["llm"], ["aws-a"]),
        }),
        Traffic = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableArray<string>> { ["llm"] = ["aws-a"] }),
        Queues = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["gcp-b"] = "skyray" }),
        TrafficAddresses = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableArray<string>> { ["llm"] = ["a1.elb.amazonaws.com"] }),
        Jobs = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, JobRecord>
        {
            ["train"] = new(["gcp-b"], "Complete", "SUCCEEDED", "2026-12-01T09:41:07Z", Released: false),
        }),
        Unreachable = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, int> { ["gcp-b"] = 2 }),
    };

    [Fact]
    public void Written_outputs_are_the_documented_stack_outputs_and_carry_the_format_version()
    {
        var written = StackOutputs.Write(Sample());

        Assert.Equal<string>(
            ["outputsFormat", "clusters", "workloads", "explanation", "placements", "upgrades", "traffic", "trafficAddresses", "jobs", "unreachable", "queues", "rayTokens", "fingerprint"],
            written.Select(p => p.Key));
        Assert.Equal(3, written["outputsFormat"]!.GetValue<int>());
        Assert.Equal("""{"train":{"clusters":["gcp-b"],"status":"Complete","jobStatus":"SUCCEEDED","finishedAt":"2026-12-01T09:41:07Z","released":false}}""", written["jobs"]!.ToJsonString());
        Assert.Equal("""{"gcp-b":2}""", written["unreachable"]!.ToJsonString());
        Assert.Equal("""{"llm":["a1.elb.amazonaws.com"]}""", written["trafficAddresses"]!.ToJsonString());
        Assert.Equal("""{"provider":"aws","kubernetesVersion":"1.33","lifecycle":"static","state":"active"}""", written["clusters"]!["aws-a"]!.ToJsonString());
        Assert.Equal("2026-12-01T10:00:00.0000000+00:00", written["clusters"]!["gcp-b"]!["idleSince"]!.GetValue<string>());
        Assert.Equal("""{"job":[],"llm":["aws-a"]}""", written["workloads"]!.ToJsonString());
        Assert.Equal("""{"llm":["aws-a"]}""", written["traffic"]!.ToJsonString());
        Assert.Equal("""{"gcp-b":"skyray"}""", written["queues"]!.ToJsonString());
        Assert.Equal(
            """{"aws-a":{"cluster":"aws-a","clone":"aws-a-1-34","from":"1.33","to":"1.34","phase":"cloned","serving":["llm"],"traffic":["aws-a"]}}""",
            written["upgrades"]!.GetValue<string>());
    }

    [Fact]
    public void Ray_token_locations_are_written_per_copy_and_never_hold_a_token()
    {
        // A RayCluster with KubeRay's generated token (its Secret is named after the RayCluster: the workload), a RayService
        // sharing one token from stack config on two clusters (SkyRay's Secret "<workload>.ray-token"), a RayJob whose
        // Secret KubeRay names at run time, and one that opted out of authentication (no entry).
        var spec = new FleetSpecBuilder()
            .InstanceType("m6i.2xlarge", "aws", 0.384m)
            .Cluster(ClusterBuilder.Aws("aws-a").Pool("cpu", "m6i.2xlarge", 1, 10))
            .Cluster(ClusterBuilder.Aws("aws-b").Pool("cpu", "m6i.2xlarge", 1, 10))
            .Workload(new WorkloadBuilder("lab").Kind(Fleet.Workloads.RayKind.RayCluster).Namespace("ml").CpuOnly())
            .Workload(new WorkloadBuilder("llm").Namespace("serve").CpuOnly())
            .Workload(new WorkloadBuilder("train").Kind(Fleet.Workloads.RayKind.RayJob).Namespace("ml").CpuOnly())
            .Workload(new WorkloadBuilder("open").Kind(Fleet.Workloads.RayKind.RayCluster).CpuOnly())
            .Build();
        spec = spec with
        {
            Workloads = spec.Workloads
                .SetItem("llm", spec.Workloads["llm"] with { Security = Fleet.Workloads.WorkloadSecurity.Default with { TokenSecret = "skyray-infra:rayToken" } })
                .SetItem("open", spec.Workloads["open"] with { Security = Fleet.Workloads.WorkloadSecurity.Default with { Auth = Fleet.Workloads.RayAuthMode.Disabled } }),
        };
        var plan = new FleetPlanBuilder(spec).Place("lab", "aws-a").Place("llm", "aws-a", "aws-b").Place("train", "aws-b").Place("open", "aws-a").Build();

        var written = StackOutputs.Write(FleetOutputsBuilder.Build(spec, plan))[StackOutputs.RayTokensOutput]!.ToJsonString();

        Assert.Equal(
            "{" +
            "\"lab\":[{\"cluster\":\"aws-a\",\"namespace\":\"ml\",\"secret\":\"lab\",\"key\":\"auth_token\",\"createdBy\":\"KubeRay (generated, one per Ray cluster)\"}]," +
            "\"llm\":[" +
            "{\"cluster\":\"aws-a\",\"namespace\":\"serve\",\"secret\":\"llm.ray-token\",\"key\":\"auth_token\",\"createdBy\":\"SkyRay, from the Pulumi secret config key skyray-infra:rayToken\",\"configKey\":\"skyray-infra:rayToken\"}," +
            "{\"cluster\":\"aws-b\",\"namespace\":\"serve\",\"secret\":\"llm.ray-token\",\"key\":\"auth_token\",\"createdBy\":\"SkyRay, from the Pulumi secret config key skyray-infra:rayToken\",\"configKey\":\"skyray-infra:rayToken\"}]," +
            "\"train\":[{\"cluster\":\"aws-b\",\"namespace\":\"ml\",\"key\":\"auth_token\",\"createdBy\":\"KubeRay (generated, one per Ray cluster): the Secret is named after the RayJob's current RayCluster and labelled ray.io/cluster=<that name>\"}]" +
            "}",
            System.Text.RegularExpressions.Regex.Unescape(written));
        Assert.DoesNotContain(StackOutputs.RayTokensOutput, StackOutputs.Names);
    }

    [Fact]
    public void What_one_run_writes_the_next_run_reads_back_unchanged()
    {
        var sample = Sample();

        var reading = StackOutputs.ReadText(StackOutputs.Write(sample).ToJsonString(), "outputs.json");

        Assert.Empty(reading.Problems);
        var read = reading.Run!.Outputs!;
        Assert.Equal(3, reading.Run.Format);
        Assert.Equal(sample.Jobs["train"] with { Clusters = [] }, read.Jobs["train"] with { Clusters = [] });
        Assert.Equal<string>(["gcp-b"], read.Jobs["train"].Clusters);
        Assert.Equal(2, read.Unreachable["gcp-b"]);
        Assert.Equal<string>(["a1.elb.amazonaws.com"], read.TrafficAddresses["llm"]);
        Assert.Equal(sample.Clusters, read.Clusters);
        Assert.Equal(sample.Workloads.Keys, read.Workloads.Keys);
        Assert.Equal<string>(["aws-a"], read.Workloads["llm"]);
        Assert.Equal<string>(sample.Explanation, read.Explanation);
        Assert.Equal(sample.Placements, read.Placements);
        Assert.Equal(sample.Upgrades["aws-a"].CloneCluster, read.Upgrades["aws-a"].CloneCluster);
        Assert.Equal(UpgradePhase.Cloned, read.Upgrades["aws-a"].Phase);
        Assert.Equal<string>(["aws-a"], read.Traffic["llm"]);
        Assert.Equal("skyray", read.Queues!["gcp-b"]);
        Assert.NotNull(reading.Run.Plan);
    }

    [Fact]
    public void The_next_run_in_the_same_process_reads_what_reading_the_written_json_text_gives()
    {
        // The trace simulation hands each run's outputs to the next through Write and Read without a text in between, and
        // the placements plan is then given back without parsing (PlanJson.WriteShared). What it reads must be what reading
        // the JSON text gives (as `pulumi up` reads its stack outputs): every kind of output, a plan with a workload placed
        // twice, one unplaced, one on a GPU pool, Ray token locations (not read back) and an upgrade in progress.
        var spec = new FleetSpecBuilder()
            .InstanceType("m6i.2xlarge", "aws", 0.384m)
            .InstanceType("g5.xlarge", "aws", 1.006m, gpus: 1)
            .Cluster(ClusterBuilder.Aws("aws-a").Pool("cpu", "m6i.2xlarge", 1, 10).Pool("gpu", "g5.xlarge", 0, 4))
            .Cluster(ClusterBuilder.Aws("aws-b").Pool("cpu", "m6i.2xlarge", 1, 10))
            .Workload(new WorkloadBuilder("lab").Kind(Fleet.Workloads.RayKind.RayCluster).Namespace("ml").CpuOnly())
            .Workload(new WorkloadBuilder("llm").Namespace("serve").CpuOnly())
            .Workload(new WorkloadBuilder("train").Kind(Fleet.Workloads.RayKind.RayJob).Namespace("ml"))
            .Workload(new WorkloadBuilder("huge").Kind(Fleet.Workloads.RayKind.RayJob).Workers(40))
            .Build();
        var run = Runs.RunPlanner.Plan(new Runs.RunRequest(spec, PreviousRun.None, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero)));
        var outputs = Sample() with { Placements = run.Outputs.Placements, RayTokens = run.Outputs.RayTokens };
        var written = StackOutputs.Write(outputs);

        var inProcess = StackOutputs.Read(written);
        var fromText = StackOutputs.ReadText(written.ToJsonString(), "outputs.json");

        Assert.Same(Placement.Planning.PlanJson.ReadShared(run.Outputs.Placements), inProcess.Run!.Plan);
        Assert.NotSame(inProcess.Run.Plan, fromText.Run!.Plan);
        Assert.Contains(inProcess.Run.Plan!.Placements.Values, p => !p.IsPlaced);
        Assert.Contains(inProcess.Run.Plan.Placements.Values, p => p.Copies.Any(c => c.GroupPools.ContainsValue("gpu")));
        Assert.NotEmpty(outputs.RayTokens);
        Assert.Null(SkyRay.Testing.DataEquality.FirstDifference(fromText.Run, inProcess.Run));
        Assert.Equal(fromText.Problems, inProcess.Problems);
    }

    [Fact]
    public void Outputs_written_by_a_newer_SkyRay_are_refused_with_what_to_do()
    {
        var newer = StackOutputs.Write(Sample());
        newer["outputsFormat"] = 4;

        var reading = StackOutputs.Read(newer);

        Assert.False(reading.Ok);
        var error = Assert.Single(reading.Problems);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal("outputs.outputsFormat", error.Path);
        Assert.Equal("the stack's outputs were written by a newer SkyRay (outputs format 4); this one reads formats up to 3", error.Message);
    }

    [Fact]
    public void Outputs_without_a_format_are_format_1_and_read_the_same_shapes()
    {
        var old = StackOutputs.Write(Sample());
        old.Remove("outputsFormat");

        var reading = StackOutputs.Read(old);

        Assert.Empty(reading.Problems);
        Assert.Equal(1, reading.Run!.Format);
        Assert.Equal("standby", reading.Run.Outputs!.Clusters["gcp-b"].State);
    }

    [Fact]
    public void Each_unreadable_output_is_dropped_with_one_warning_naming_its_path_and_the_rest_is_read()
    {
        var outputs = StackOutputs.Write(Sample());
        outputs["placements"] = "not json";
        outputs["traffic"] = "llm.example.com";
        outputs["clusters"]!["gcp-b"] = new JsonObject { ["state"] = "sleeping" };
        outputs["upgrades"] = "[1]";
        outputs["queues"] = new JsonArray("gcp-b");

        var reading = StackOutputs.Read(outputs);

        Assert.True(reading.Ok);
        Assert.Equal(
            ["outputs.clusters.gcp-b", "outputs.placements", "outputs.queues", "outputs.traffic", "outputs.upgrades"],
            reading.Problems.Select(p => p.Path).Order(StringComparer.Ordinal).ToArray());
        Assert.All(reading.Problems, p => Assert.Equal(Severity.Warning, p.Severity));
        Assert.Contains("workloads are placed afresh", reading.Problems.Single(p => p.Path == "outputs.placements").Message, StringComparison.Ordinal);
        var read = reading.Run!.Outputs!;
        Assert.Equal<string>(["aws-a"], read.Clusters.Keys);
        Assert.Empty(read.Traffic);
        Assert.Empty(read.Upgrades);
        Assert.Null(read.Queues);
        Assert.Null(reading.Run.Plan);
        Assert.Equal<string>(["aws-a"], read.Workloads["llm"]);
    }

    [Fact]
    public void Outputs_of_a_skyray_without_kueue_read_as_no_queues_declared()
    {
        var old = StackOutputs.Write(Sample());
        old.Remove("queues");

        var reading = StackOutputs.Read(old);

        Assert.Empty(reading.Problems);
        Assert.Empty(reading.Run!.Outputs!.Queues!);
    }

    [Fact]
    public void A_stack_never_deployed_has_no_previous_run_and_no_problem()
    {
        Assert.Same(PreviousRun.None, StackOutputs.Read(null).Run);
        Assert.Same(PreviousRun.None, StackOutputs.Read([]).Run);
        Assert.Empty(StackOutputs.Read(null).Problems);
    }

    [Fact]
    public void Text_that_is_not_an_outputs_object_is_an_error_at_its_source()
    {
        var notJson = StackOutputs.ReadText("{", "--previous-outputs");
        var notObject = StackOutputs.ReadText("[1, 2]", "--previous-outputs");

        Assert.False(notJson.Ok);
        Assert.Equal("--previous-outputs", Assert.Single(notJson.Problems).Path);
        Assert.StartsWith("the stack outputs cannot be read: it is not JSON", notJson.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("the stack outputs cannot be read: it is not the JSON object of a stack's outputs", Assert.Single(notObject.Problems).Message);
    }

    [Fact]
    public void A_format_number_sent_back_as_text_is_read_as_that_number()
    {
        var outputs = StackOutputs.Write(Sample());
        outputs["outputsFormat"] = "2";

        Assert.Equal(2, StackOutputs.Read(outputs).Run!.Format);
    }
}
