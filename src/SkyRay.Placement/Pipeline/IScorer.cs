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
/// One ranking rule. Scorers are applied in order, each breaking the ties of the ones before it, so the order of
/// <see cref="PlacementPipeline.Scorers"/> is the priority of the rules. They are the ranking itself: the search, its
/// ranking heaps, its pruning and the explanations ("not chosen (launch-tier prefers …)") all compare candidates
/// through <see cref="PlacementPipeline.Order"/>, which applies them and nothing else.
/// </summary>
/// <remarks>
/// Contract, which lets the search prune by bounds without packing every cluster: a scorer compares only the facts of
/// <see cref="Candidate"/>, and is <b>monotone</b>: making a candidate no faster (a later <see cref="Candidate.Tier"/>),
/// no cheaper (a higher <see cref="Candidate.Cost"/>) or not sticky never makes it rank better against any other
/// candidate. The search compares lower bounds (fastest tier and least cost the totals allow) with the same scorers
/// and skips a cluster whose bound already ranks below the best found. A rule that needs another fact adds it to
/// <see cref="Candidate"/> with its bound (<c>PlacementPipeline.Bound</c> and <c>SuffixFloors</c>).
/// </remarks>
internal interface IScorer
{
    /// <summary>Name shown in explanations.</summary>
    string Name { get; }

    /// <summary>Negative when <paramref name="a"/> is better.</summary>
    int Compare(in Candidate a, in Candidate b);

    /// <summary>This rule's view of a candidate in plain words (<c>scale up</c>, <c>+$1.20/h</c>).</summary>
    string Describe(in Candidate c);
}
