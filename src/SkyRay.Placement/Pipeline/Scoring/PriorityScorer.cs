using SkyRay.Fleet.Policies;
using SkyRay.Placement.Labels;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline.Scoring;

/// <summary>
/// <c>orderedClusterSelector</c>: the order of the values of its first <c>In</c> expression is the preference
/// (cluster names or label values such as a provider): fill the first, spill to the next.
/// </summary>
internal sealed class PriorityScorer : IScorer
{
    public string Name => "priority";

    public static int RankOf(SchedulePolicy? policy, PlanCluster cluster) =>
        policy?.OrderedClusterSelector is null ? 0 : SelectorMatch.Rank(policy.OrderedClusterSelector, cluster.Labels);

    public int Compare(in Candidate a, in Candidate b) => a.Rank.CompareTo(b.Rank);

    public string Describe(in Candidate c) => $"rank {c.Rank + 1}";
}
