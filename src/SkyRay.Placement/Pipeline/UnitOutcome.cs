using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Explain;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline.Filters;
using SkyRay.Placement.Pipeline.Scoring;
using SkyRay.Placement.Pipeline.Selection;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline;

/// <summary>One candidate of a search: passed with a score, or rejected with a reason.</summary>
/// <param name="Cluster">Cluster index.</param>
/// <param name="Candidate">The scored candidate, or null when rejected.</param>
/// <param name="Reject">Why it was rejected (explain mode), else null.</param>
internal readonly record struct Traced(int Cluster, Candidate? Candidate, string? Reject);

/// <summary>What placing one unit produced.</summary>
internal sealed class UnitOutcome
{
    private List<WorkloadCopy>[]? _copies;
    private List<Traced>? _chosen;
    private List<string?>? _chosenDomains;

    public UnitOutcome(int members)
    {
        Members = members;
    }

    public int Members { get; }

    /// <summary>Copies per member (made on first use: most units of a huge plan are one workload, many unplaced).</summary>
    public List<WorkloadCopy>[] Copies
    {
        get
        {
            if (_copies is null)
            {
                _copies = new List<WorkloadCopy>[Members];
                for (var i = 0; i < Members; i++)
                {
                    _copies[i] = new List<WorkloadCopy>(1);
                }
            }

            return _copies;
        }
    }

    /// <summary>Clusters chosen, with their scores.</summary>
    public List<Traced> Chosen => _chosen ??= new List<Traced>(1);

    /// <summary>Domains of <see cref="Chosen"/>, same order (null without spread).</summary>
    public List<string?> ChosenDomains => _chosenDomains ??= new List<string?>(1);

    /// <summary>True when at least one copy was placed.</summary>
    public bool Placed => _chosen is { Count: > 0 };

    /// <summary>Why nothing was placed, or null.</summary>
    public string? Unplaced { get; set; }

    /// <summary>Verdict per cluster (explain mode only).</summary>
    public ClusterVerdict?[]? Explained { get; set; }
}
