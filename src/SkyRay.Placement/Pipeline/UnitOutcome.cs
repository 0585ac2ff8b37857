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
/// <remarks>
/// Most units of a huge plan are one workload placed on one cluster (or not at all), so the first copy and the first
/// chosen cluster are held inline and lists are made only for more.
/// </remarks>
internal sealed class UnitOutcome
{
    private WorkloadCopy? _singleCopy;
    private List<WorkloadCopy>[]? _copies;
    private Traced _firstChosen;
    private List<Traced>? _moreChosen;

    public UnitOutcome(int members)
    {
        Members = members;
    }

    public int Members { get; }

    /// <summary>An independent copy (a Duplicate unit begun in phase 1 is finished by each plan that resumes from it).</summary>
    public UnitOutcome Copy()
    {
        var copy = new UnitOutcome(Members)
        {
            _singleCopy = _singleCopy,
            _firstChosen = _firstChosen,
            _moreChosen = _moreChosen is null ? null : [.. _moreChosen],
            ChosenCount = ChosenCount,
            KeptDomains = KeptDomains is null ? null : new HashSet<string>(KeptDomains, KeptDomains.Comparer),
            Missing = Missing is null ? null : [.. Missing],
            Unplaced = Unplaced,
            Explained = Explained is null ? null : (ClusterVerdict?[])Explained.Clone(),
        };
        if (_copies is not null)
        {
            copy._copies = new List<WorkloadCopy>[_copies.Length];
            for (var i = 0; i < _copies.Length; i++)
            {
                copy._copies[i] = [.. _copies[i]];
            }
        }

        return copy;
    }

    /// <summary>The domains a Duplicate unit kept its previous cluster in (first part of a re-plan); null once finished.</summary>
    public HashSet<string>? KeptDomains { get; set; }

    /// <summary>Records a copy of member <paramref name="member"/>.</summary>
    public void AddCopy(int member, WorkloadCopy copy)
    {
        if (Members == 1 && _singleCopy is null && _copies is null)
        {
            _singleCopy = copy;
            return;
        }

        if (_copies is null)
        {
            _copies = new List<WorkloadCopy>[Members];
            for (var i = 0; i < Members; i++)
            {
                _copies[i] = new List<WorkloadCopy>(1);
            }

            if (_singleCopy is not null)
            {
                _copies[0].Add(_singleCopy);
                _singleCopy = null;
            }
        }

        _copies[member].Add(copy);
    }

    /// <summary>The copies of member <paramref name="member"/>, sorted by cluster name.</summary>
    public ImmutableArray<WorkloadCopy> CopiesOf(int member)
    {
        if (_singleCopy is not null)
        {
            return [_singleCopy];
        }

        if (_copies is null)
        {
            return [];
        }

        var list = _copies[member];
        return list.Count switch
        {
            0 => [],
            1 => [list[0]],
            _ => list.OrderBy(c => c.Cluster, StringComparer.Ordinal).ToImmutableArray(),
        };
    }

    /// <summary>Records a chosen cluster with its score.</summary>
    public void AddChosen(in Traced chosen)
    {
        if (ChosenCount == 0)
        {
            _firstChosen = chosen;
        }
        else
        {
            (_moreChosen ??= []).Add(chosen);
        }

        ChosenCount++;
    }

    /// <summary>How many clusters were chosen (copies placed).</summary>
    public int ChosenCount { get; private set; }

    /// <summary>The chosen clusters in the order they were chosen.</summary>
    public Traced ChosenAt(int index) => index == 0 ? _firstChosen : _moreChosen![index - 1];

    /// <summary>True when at least one copy was placed.</summary>
    public bool Placed => ChosenCount > 0;

    /// <summary>Duplicate domains where no cluster could take a copy while other domains did (see <see cref="WorkloadPlacement.MissingCopies"/>).</summary>
    public List<MissingCopy>? Missing { get; set; }

    /// <summary>Why nothing was placed, or null.</summary>
    public string? Unplaced { get; set; }

    /// <summary>Verdict per cluster (explain mode only).</summary>
    public ClusterVerdict?[]? Explained { get; set; }
}
