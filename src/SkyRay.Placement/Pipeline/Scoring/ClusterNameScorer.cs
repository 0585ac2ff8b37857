namespace SkyRay.Placement.Pipeline.Scoring;

/// <summary>Last tie-break: cluster name (ordinal), so plans are deterministic.</summary>
internal sealed class ClusterNameScorer : IScorer
{
    public string Name => "name";

    public int Compare(in Candidate a, in Candidate b) => a.Cluster.CompareTo(b.Cluster);

    public string Describe(in Candidate c) => string.Empty;
}
