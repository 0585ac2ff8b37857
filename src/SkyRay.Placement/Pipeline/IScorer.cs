using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline;

/// <summary>A cluster that passed every filter, with what the scorers compare.</summary>
/// <param name="Cluster">Cluster index (= name order).</param>
/// <param name="Sticky">True when the unit had a copy there in the previous plan.</param>
/// <param name="Rank">Priority rank from the ordered selector (0 best).</param>
/// <param name="Tier">How quickly the copy could start.</param>
/// <param name="Cost">Catalog cost per hour of the nodes it would add.</param>
internal readonly record struct Candidate(int Cluster, bool Sticky, int Rank, LaunchTier Tier, decimal Cost);

/// <summary>
/// One scoring rule. Scorers are applied in order, each breaking the ties of the ones before it, so the order
/// of <see cref="PlacementPipeline.Scorers"/> is the priority of the rules.
/// </summary>
internal interface IScorer
{
    /// <summary>Name shown in explanations.</summary>
    string Name { get; }

    /// <summary>Negative when <paramref name="a"/> is better.</summary>
    int Compare(in Candidate a, in Candidate b);

    /// <summary>This rule's view of a candidate in plain words (<c>scale up</c>, <c>+$1.20/h</c>).</summary>
    string Describe(in Candidate c);
}
