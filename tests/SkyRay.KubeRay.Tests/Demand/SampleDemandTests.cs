using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Demand;

public class SampleDemandTests
{
    private const long Gi = 1024L * 1024 * 1024;
    private const long Mi = 1024L * 1024;

    private static (WorkloadDemand Demand, DiagnosticBag Diagnostics) Compute(SampleObject sample)
    {
        var bag = new DiagnosticBag();
        return (RawSpecDemand.Compute(sample.Kind, sample.Spec, $"sample:{sample.File}.spec", bag), bag);
    }

    [SkippableFact]
    public void Llm_serve_sample_needs_four_gpus_on_one_worker_and_a_cpu_head()
    {
        var (demand, bag) = Compute(KubeRaySamples.Load("ray-service.llm-serve.yaml", RayKind.RayService));
        Assert.Empty(bag.Items);
        Assert.Equal<PodGroupDemand>(
            [new("head", new PodShape(2000, 4 * Gi, 0, null), 1, 1, 1), new("gpu-group", new PodShape(32_000, 32 * Gi, 4, null), 1, 1, 1)],
            demand.Groups.ToArray());
        Assert.Equal(4, demand.TotalGpus);
        Assert.Equal(34_000, demand.TotalCpuMillis);
        Assert.Equal(36 * Gi, demand.TotalMemoryBytes);
    }

    [SkippableFact]
    public void Complete_cluster_sample_counts_requests_not_limits()
    {
        var (demand, bag) = Compute(KubeRaySamples.Load("ray-cluster.complete.yaml", RayKind.RayCluster));
        Assert.Empty(bag.Items);
        Assert.Equal<PodGroupDemand>(
            [new("head", new PodShape(500, 2 * Gi, 0, null), 1, 1, 1), new("small-group", new PodShape(500, 1 * Gi, 0, null), 1, 1, 10)],
            demand.Groups.ToArray());
    }

    [SkippableFact]
    public void Job_sample_adds_the_default_submitter_pod()
    {
        var (demand, bag) = Compute(KubeRaySamples.Load("ray-job.sample.yaml", RayKind.RayJob));
        Assert.Empty(bag.Items);
        Assert.Equal<PodGroupDemand>(
            [
                new("head", new PodShape(1000, 2 * Gi, 0, null), 1, 1, 1),
                new("small-group", new PodShape(200, 0, 0, null), 1, 1, 5),
                new("submitter", new PodShape(500, 200 * Mi, 0, null), 1, 1, 1),
            ],
            demand.Groups.ToArray());
    }

    [SkippableFact]
    public void High_throughput_llm_sample_asks_for_four_l4_gpus_one_per_worker()
    {
        var (demand, _) = Compute(KubeRaySamples.Load("ray-service.high-throughput-llm.yaml", RayKind.RayService));

        // The sample: workerGroupSpecs[0] "gpu-group", replicas 4, each pod requests cpu 6, memory 24Gi, nvidia.com/gpu 1, on
        // nodeSelector cloud.google.com/gke-accelerator: nvidia-l4.
        var gpuGroup = Assert.Single(demand.Groups, g => g.Pod.Gpus > 0);
        // No minReplicas or maxReplicas in the sample: the v1.7.0 CRD defaults, 0 and 2147483647.
        Assert.Equal(new PodGroupDemand("gpu-group", new PodShape(6000, 24 * Gi, 1, "L4"), 4, 0, int.MaxValue), gpuGroup);
        Assert.Equal(4, demand.TotalGpus);
    }

    [SkippableFact]
    public void Multi_host_tpu_sample_counts_four_pods_per_replica_and_warns_that_tpus_are_not_placed()
    {
        var (demand, bag) = Compute(KubeRaySamples.Load("ray-cluster.tpu-v6e-16-multihost.yaml", RayKind.RayCluster));
        var tpu = demand.Groups.Single(g => g.Group == "tpu-group");
        Assert.Equal((4, 0, 4), (tpu.Count, tpu.MinCount, tpu.MaxCount));
        Assert.Equal(new PodShape(24_000, 200_000_000_000, 0, null), tpu.Pod);
        Assert.Equal(Severity.Warning, Assert.Single(bag.Items).Severity);
    }

    [SkippableFact]
    public void Existing_cluster_job_sample_needs_only_the_submitter()
    {
        var (demand, bag) = Compute(KubeRaySamples.Load("ray-job.use-existing-raycluster.yaml", RayKind.RayJob));
        Assert.Empty(bag.Items);
        Assert.Equal(RawSpecDemand.SubmitterGroup, Assert.Single(demand.Groups).Group);
    }

    [SkippableFact]
    public void Every_sample_has_its_demand_computed_without_errors()
    {
        var warnings = new List<string>();
        foreach (var sample in KubeRaySamples.LoadAll())
        {
            var (demand, bag) = Compute(sample);
            Assert.False(bag.HasErrors, $"{sample}: {string.Join("; ", bag.Items)}");
            Assert.NotEmpty(demand.Groups);
            warnings.AddRange(bag.Items.Select(d => d.Path));
        }

        // The only warnings are TPU requests: google.com/tpu is not modelled by the catalog.
        Assert.NotEmpty(warnings);
        Assert.All(warnings, p => Assert.EndsWith("['google.com/tpu']", p, StringComparison.Ordinal));
    }
}
