using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

/// <summary><c>skyray:kueue</c>, a cluster's <c>kueue</c> block, and a workload's <c>queue</c> / <c>priorityClass</c>.</summary>
public sealed class KueueConfigTests
{
    [Fact]
    public void Without_any_kueue_block_no_cluster_runs_kueue()
    {
        var spec = StackConfigBuilder.Valid().Load().IsValid();

        Assert.False(spec.Clusters["aws-west"].Kueue.Enabled);
        Assert.False(spec.Kueue.Enabled);
        Assert.Null(spec.Workloads["job"].Queue);
        Assert.Null(spec.Workloads["job"].PriorityClass);
    }

    [Fact]
    public void A_fleet_block_enables_kueue_everywhere_with_the_documented_defaults()
    {
        var spec = StackConfigBuilder.Valid().SetYaml("kueue", "{}").Load().IsValid();

        var kueue = spec.Clusters["aws-west"].Kueue;
        Assert.True(kueue.Enabled);
        Assert.Equal("0.19.2", kueue.ChartVersion);
        Assert.Equal("kueue-system", kueue.Namespace);
        Assert.Empty(kueue.Values);
        Assert.Equal(QueueingStrategy.BestEffortFifo, kueue.Queueing.Strategy);
        Assert.Equal(
            (WithinClusterQueuePreemption.Never, ReclaimWithinCohortPreemption.Never, BorrowWithinCohortPreemption.Never),
            (kueue.Queueing.Preemption.WithinClusterQueue, kueue.Queueing.Preemption.ReclaimWithinCohort, kueue.Queueing.Preemption.BorrowWithinCohort));
        Assert.Null(kueue.Queueing.Cohort);
        Assert.False(kueue.Queueing.FairSharing);
        Assert.False(kueue.Queueing.AdmissionFairSharing);
        Assert.Empty(kueue.PriorityClasses);
    }

    [Fact]
    public void A_cluster_block_goes_over_the_fleet_block_key_by_key()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("kueue", """
                queueingStrategy: StrictFIFO
                preemption: {withinClusterQueue: LowerPriority}
                values: {controllerManager: {replicas: 2, manager: {logLevel: 3}}}
                priorityClasses:
                  high: {value: 1000, description: production}
                  low: {value: 10}
                """)
            .SetYaml("clusters/aws-west/kueue", """
                cohort: shared-gpu
                fairSharing: {weight: 2}
                preemption: {reclaimWithinCohort: Any}
                values: {controllerManager: {manager: {logLevel: 5}}}
                priorityClasses:
                  low: {value: 1}
                """)
            .Load().IsValid();

        var kueue = spec.Clusters["aws-west"].Kueue;
        Assert.True(kueue.Enabled);
        Assert.Equal(QueueingStrategy.StrictFifo, kueue.Queueing.Strategy);
        Assert.Equal(WithinClusterQueuePreemption.LowerPriority, kueue.Queueing.Preemption.WithinClusterQueue);
        Assert.Equal(ReclaimWithinCohortPreemption.Any, kueue.Queueing.Preemption.ReclaimWithinCohort);
        Assert.Equal("shared-gpu", kueue.Queueing.Cohort);
        Assert.Equal("2", kueue.Queueing.FairSharingWeight);
        Assert.Equal("""{"controllerManager":{"replicas":2,"manager":{"logLevel":5}}}""", kueue.Values.ToJsonString());
        Assert.Equal(new WorkloadPriorityClassSpec(1000, "production"), kueue.PriorityClasses["high"]);
        Assert.Equal(new WorkloadPriorityClassSpec(1, null), kueue.PriorityClasses["low"]);
    }

    [Fact]
    public void A_cluster_can_opt_out_of_the_fleet_default_and_another_can_opt_in_alone()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/kueue", "{enabled: false}")
            .Load().IsValid();
        Assert.False(spec.Clusters["aws-west"].Kueue.Enabled);

        var optIn = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/kueue", "{queueingStrategy: StrictFIFO}").Load().IsValid();
        Assert.True(optIn.Clusters["aws-west"].Kueue.Enabled);

        var fleetOff = StackConfigBuilder.Valid()
            .SetYaml("kueue", "{enabled: false}")
            .SetYaml("clusters/aws-west/kueue", "{queueingStrategy: StrictFIFO}")
            .Load().IsValid();
        Assert.False(fleetOff.Clusters["aws-west"].Kueue.Enabled);
    }

    [Fact]
    public void Fair_sharing_written_without_a_weight_gets_weight_one()
    {
        var spec = StackConfigBuilder.Valid().SetYaml("kueue", "{cohort: gpus, fairSharing: {}}").Load().IsValid();

        Assert.Equal("1", spec.Clusters["aws-west"].Kueue.Queueing.FairSharingWeight);
    }

    [Fact]
    public void Misspelt_kueue_keys_and_values_get_did_you_mean()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("kueue", "{queueingStrategy: StrictFifo, preemtion: {}}")
            .SetYaml("clusters/aws-west/kueue", "{preemption: {withinClusterQueue: LowerPriorty}}")
            .Load();

        Assert.Equal("did you mean 'StrictFIFO'?", result.HasError("skyray:kueue.queueingStrategy", "'StrictFifo' is not a valid queueingStrategy").Hint);
        Assert.Equal("did you mean 'preemption'?", result.HasError("skyray:kueue.preemtion", "unknown key 'preemtion'").Hint);
        Assert.Equal(
            "did you mean 'LowerPriority'?",
            result.HasError("skyray:clusters.aws-west.kueue.preemption.withinClusterQueue", "'LowerPriorty' is not a valid withinClusterQueue").Hint);
    }

    [Fact]
    public void A_misspelt_top_level_kueue_key_suggests_kueue()
    {
        var result = StackConfigBuilder.Valid().SetYaml("keue", "{}").Load();

        Assert.Equal("did you mean 'kueue'?", result.HasError("skyray:keue", "unknown config key").Hint);
    }

    [Fact]
    public void Chart_versions_older_than_0_19_are_errors_and_bad_versions_are_named()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("kueue", "{chartVersion: 0.13.4}")
            .SetYaml("clusters/aws-west/kueue", "{chartVersion: v0.19.2}")
            .Load();

        Assert.Contains("0.19.2", result.HasError("skyray:kueue.chartVersion", "older than 0.19.0").Hint, StringComparison.Ordinal);
        result.HasError("skyray:clusters.aws-west.kueue.chartVersion", "'v0.19.2' is not a chart version");
    }

    [Fact]
    public void Borrowing_preemption_without_reclaim_is_rejected_as_kueue_rejects_it()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("kueue", "{cohort: gpus, preemption: {borrowWithinCohort: LowerPriority}}")
            .Load();

        result.HasError("skyray:kueue.preemption.borrowWithinCohort", "while reclaimWithinCohort is Never");
    }

    [Fact]
    public void Cohort_settings_without_a_cohort_are_warnings()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("kueue", "{fairSharing: {weight: 1}, preemption: {reclaimWithinCohort: Any}}")
            .Load();

        result.IsValid();
        result.HasWarning("skyray:kueue.fairSharing", "joins no cohort");
        result.HasWarning("skyray:kueue.preemption", "joins no cohort");
    }

    [Fact]
    public void Bad_names_and_values_are_errors_at_their_paths()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("kueue", """
                namespace: Kueue_System
                cohort: "-gpus"
                fairSharing: {weight: lots}
                priorityClasses:
                  High: {value: 1}
                  big: {value: 3000000000}
                  nothing: {description: x}
                """)
            .Load();

        result.HasError("skyray:kueue.namespace", "namespace 'Kueue_System'");
        result.HasError("skyray:kueue.cohort", "cohort '-gpus'");
        result.HasError("skyray:kueue.fairSharing.weight", "weight 'lots' is not a non-negative number");
        result.HasError("skyray:kueue.priorityClasses.High", "priority class name 'High'");
        result.HasError("skyray:kueue.priorityClasses.big.value", "is out of range");
        result.HasError("skyray:kueue.priorityClasses.nothing.value", "'value' is required");
    }

    [Fact]
    public void Replacing_the_whole_kueue_configuration_through_values_is_a_warning()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("kueue", """{values: {managerConfig: {controllerManagerConfigYaml: "apiVersion: config.kueue.x-k8s.io/v1beta2"}}}""")
            .Load();

        result.IsValid();
        result.HasWarning("skyray:kueue.values.managerConfig.controllerManagerConfigYaml", "replaces the whole Kueue configuration");
    }

    [Fact]
    public void A_workload_names_its_queue_and_priority_class()
    {
        var spec = StackConfigBuilder.Valid()
            .Set("workloads/job/queue", "team-a")
            .Set("workloads/job/priorityClass", "high")
            .Load().IsValid();

        Assert.Equal("team-a", spec.Workloads["job"].Queue);
        Assert.Equal("high", spec.Workloads["job"].PriorityClass);
    }

    [Fact]
    public void A_raw_workload_names_its_queue_too()
    {
        var spec = StackConfigBuilder.Valid()
            .Remove("workloads/job/head")
            .Remove("workloads/job/workerGroups")
            .Remove("workloads/job/entrypoint")
            .SetYaml("workloads/job/spec", """
                entrypoint: python train.py
                rayClusterSpec:
                  rayVersion: "2.52.0"
                  headGroupSpec:
                    rayStartParams: {}
                    template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0", resources: {requests: {cpu: "1", memory: 4Gi}}}]}}
                """)
            .Set("workloads/job/queue", "team-b")
            .Load().IsValid();

        Assert.True(spec.Workloads["job"].IsRaw);
        Assert.Equal("team-b", spec.Workloads["job"].Queue);
    }

    [Fact]
    public void Queue_and_priority_class_names_are_label_values()
    {
        var result = StackConfigBuilder.Valid()
            .Set("workloads/job/queue", "Team A")
            .Set("workloads/job/priorityClass", new string('p', 64))
            .Load();

        result.HasError("skyray:workloads.job.queue", "queue name 'Team A'");
        result.HasError("skyray:workloads.job.priorityClass", "is 64 characters long");
    }
}
