using SkyRay.Fleet.Config;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>Toleration matching follows Kubernetes' ToleratesTaint rules.</summary>
public sealed class TolerationTests
{
    private static readonly NodeTaint Gpu = new("nvidia.com/gpu", "present", "NoSchedule");

    [Theory]
    [InlineData("nvidia.com/gpu", "Exists", null, "NoSchedule", true)]
    [InlineData("nvidia.com/gpu", "Exists", null, null, true)]          // empty effect matches every effect
    [InlineData("nvidia.com/gpu", "Equal", "present", "NoSchedule", true)]
    [InlineData("nvidia.com/gpu", "Equal", "true", "NoSchedule", false)] // Equal needs the same value
    [InlineData("nvidia.com/gpu", "Exists", null, "NoExecute", false)]   // another effect
    [InlineData(null, "Exists", null, null, true)]                        // empty key with Exists tolerates everything
    [InlineData(null, "Equal", null, null, false)]
    [InlineData("other", "Exists", null, null, false)]
    public void Toleration_matches_a_taint_by_the_kubernetes_rules(string? key, string op, string? value, string? effect, bool tolerated) =>
        Assert.Equal(tolerated, new Toleration(key, op, value, effect).Tolerates(Gpu));

    [Fact]
    public void Gpu_pods_tolerate_the_gpu_taint_and_cpu_pods_only_with_the_workloads_setting()
    {
        var gpuGroup = new Workloads.PodGroupDemand("gpu", new Workloads.PodShape(1000, 1 << 30, 1, null), 1, 1, 1);
        var cpuGroup = new Workloads.PodGroupDemand("head", new Workloads.PodShape(1000, 1 << 30, 0, null), 1, 1, 1);

        Assert.Null(PodTolerations.Repelling([Gpu], PodTolerations.Automatic(gpuGroup)));
        Assert.Equal(Gpu, PodTolerations.Repelling([Gpu], PodTolerations.Automatic(cpuGroup)));
        Assert.Null(PodTolerations.Repelling([new NodeTaint("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule")], PodTolerations.Automatic(cpuGroup)));
        Assert.Null(PodTolerations.Repelling([new NodeTaint("soft", null, "PreferNoSchedule")], []));
    }
}
