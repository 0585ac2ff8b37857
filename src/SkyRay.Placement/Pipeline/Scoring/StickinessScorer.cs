namespace SkyRay.Placement.Pipeline.Scoring;

/// <summary>Stability: a workload stays on the cluster it had while the policy still selects it and it still fits.</summary>
internal sealed class StickinessScorer : IScorer
{
    public string Name => "stickiness";

    public int Compare(in Candidate a, in Candidate b) => b.Sticky.CompareTo(a.Sticky);

    public string Describe(in Candidate c) => c.Sticky ? "current cluster" : "new cluster";
}
