using System.Collections.Immutable;
using SkyRay.Fleet.Config;

namespace SkyRay.Orchestration.Simulation;

/// <summary>A step a <c>pulumi up</c> run takes on a cluster or for a workload, whose duration the launch model gives.</summary>
public enum LaunchStep
{
    /// <summary>A workload's pods start on nodes that are already running.</summary>
    Start,

    /// <summary>The node autoscaler adds nodes to an active cluster.</summary>
    ScaleUp,

    /// <summary>A suspended cluster's node pools come back from zero.</summary>
    Wake,

    /// <summary>A cluster is created (first time, or again after a delete standby).</summary>
    Create,

    /// <summary>A cluster is deleted (delete standby, or a dynamic cluster whose work is gone).</summary>
    Delete,
}

/// <summary>
/// How long each step of a run takes, per cloud. The defaults are published figures (see docs/simulate.md for the sources):
/// creating an EKS cluster ≈ 14 min, AKS ≈ 10, GKE ≈ 5; resuming a suspended cluster ≈ 2 min; adding a node ≈ 3 min;
/// deleting ≈ 10 min (GKE ≈ 5); pods on running nodes start at once.
/// </summary>
/// <param name="Times">Duration per (step, cloud); a missing pair falls back to <see cref="Default"/>'s.</param>
public sealed record LaunchModel(ImmutableSortedDictionary<string, TimeSpan> Times)
{
    /// <summary>The names the steps have in config and output: <c>start</c>, <c>scaleUp</c>, <c>wake</c>, <c>create</c>, <c>delete</c>.</summary>
    public static ImmutableArray<string> StepNames { get; } = ["start", "scaleUp", "wake", "create", "delete"];

    /// <summary>The cloud names a time can be given for (<c>default</c> sets every cloud).</summary>
    public static ImmutableArray<string> CloudNames { get; } = ["aws", "azure", "gcp", "existing"];

    /// <summary>The published figures.</summary>
    public static LaunchModel Default { get; } = new(Defaults());

    /// <summary>How long a step takes on a cloud.</summary>
    /// <param name="step">The step.</param>
    /// <param name="provider">The cluster's provider.</param>
    /// <returns>The duration (zero for steps that never happen there, such as creating an existing cluster).</returns>
    public TimeSpan Of(LaunchStep step, CloudProvider provider)
    {
        var key = Key(step, ProviderNames.Of(provider));
        return Times.TryGetValue(key, out var time) ? time : Default.Times.GetValueOrDefault(key);
    }

    /// <summary>A copy with one time replaced.</summary>
    /// <param name="step">The step name (<see cref="StepNames"/>).</param>
    /// <param name="cloud">A cloud name (<see cref="CloudNames"/>) or <c>default</c> for every cloud but existing clusters.</param>
    /// <param name="time">The duration.</param>
    /// <returns>The new model.</returns>
    public LaunchModel With(string step, string cloud, TimeSpan time)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(cloud);
        var clouds = cloud == "default" ? ["aws", "azure", "gcp"] : new[] { cloud };
        var times = Times;
        foreach (var c in clouds)
        {
            times = times.SetItem($"{step}.{c}", time);
        }

        return new LaunchModel(times);
    }

    /// <summary>The name of a step in config and output.</summary>
    /// <param name="step">The step.</param>
    /// <returns>e.g. <c>scaleUp</c>.</returns>
    public static string NameOf(LaunchStep step) => StepNames[(int)step];

    private static string Key(LaunchStep step, string cloud) => $"{NameOf(step)}.{cloud}";

    private static ImmutableSortedDictionary<string, TimeSpan> Defaults()
    {
        var minutes = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            // Pods on running nodes: image pulls and Ray start-up are the same for every policy, so left out by default.
            ["start.aws"] = 0, ["start.azure"] = 0, ["start.gcp"] = 0, ["start.existing"] = 0,
            ["scaleUp.aws"] = 3, ["scaleUp.azure"] = 3, ["scaleUp.gcp"] = 3, ["scaleUp.existing"] = 3,
            ["wake.aws"] = 2, ["wake.azure"] = 2, ["wake.gcp"] = 2, ["wake.existing"] = 0,
            ["create.aws"] = 14, ["create.azure"] = 10, ["create.gcp"] = 5, ["create.existing"] = 0,
            ["delete.aws"] = 10, ["delete.azure"] = 10, ["delete.gcp"] = 5, ["delete.existing"] = 0,
        };
        return minutes.ToImmutableSortedDictionary(p => p.Key, p => TimeSpan.FromMinutes(p.Value), StringComparer.Ordinal);
    }
}
