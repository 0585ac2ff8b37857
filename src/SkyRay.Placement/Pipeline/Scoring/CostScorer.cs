using System.Globalization;

namespace SkyRay.Placement.Pipeline.Scoring;

/// <summary>Cheapest added nodes first (catalog price per hour of the nodes the copy makes the cluster start).</summary>
internal sealed class CostScorer : IScorer
{
    public string Name => "cost";

    public static string Money(decimal perHour) => string.Create(CultureInfo.InvariantCulture, $"${perHour:0.00##}/h");

    public int Compare(in Candidate a, in Candidate b) => a.Cost.CompareTo(b.Cost);

    public string Describe(in Candidate c) => "+" + Money(c.Cost);
}
