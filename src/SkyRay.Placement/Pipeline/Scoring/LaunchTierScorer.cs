using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline.Scoring;

/// <summary>Fastest start first: running nodes, then scaling up an active cluster, then waking a standby one, then creating one.</summary>
internal sealed class LaunchTierScorer : IScorer
{
    public string Name => "launch-tier";

    public static string Words(LaunchTier tier) => tier switch
    {
        LaunchTier.RunningNodes => "fits in running nodes",
        LaunchTier.ScaleUp => "fits by scaling up node pools",
        LaunchTier.WakeStandby => "fits after waking the standby cluster",
        _ => "fits after creating the cluster",
    };

    // As integers: Enum.CompareTo(object) would box both values on every comparison of the search.
    public int Compare(in Candidate a, in Candidate b) => ((int)a.Tier).CompareTo((int)b.Tier);

    public string Describe(in Candidate c) => Words(c.Tier);
}
