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

/// <summary>
/// Filter → score → select, kube-scheduler style. Cluster filters run once per policy (see <see cref="PolicyScope"/>),
/// unit filters and the capacity fit per candidate, scorers rank what passed, a selection (single cluster,
/// Duplicate, Divide) decides the copies. Holds the capacity of one plan run; not thread-safe.
/// </summary>
internal sealed partial class PlacementPipeline
{
    // Search memory (PlacementPipeline.Search.cs).
    private readonly Dictionary<string, int> _shapeIds = new(StringComparer.Ordinal);
    private readonly List<ulong[]> _failed = [];
    private readonly List<Memo[]?> _memos = [];
    private readonly int _memoShapes;
    private readonly Dictionary<string, ulong[]> _combinedFilterBits = new(StringComparer.Ordinal);
    private readonly Dictionary<(PolicyScope, int), Ranking> _rankings = [];
    private readonly HashSet<(PolicyScope, int)> _searchedOnce = [];
    private readonly int[] _rankedInPass;
    private int _rankPass;
    private readonly Dictionary<(long, long, int, string?, int), int> _groupShapeIds = [];
    private readonly List<int[]> _groupFailsFrom = [];
    private readonly Dictionary<(int, string), ulong[]> _unitFilterPasses = [];
    private readonly Dictionary<int[], Candidate[]> _suffixFloors = new(ReferenceEqualityComparer.Instance);

    // Shared copy maps (PlacementPipeline.Copies.cs).
    private readonly Dictionary<(string?, int, string?, int), ImmutableSortedDictionary<string, int>> _workerMaps = [];
    private readonly Dictionary<(string, int, string?, int, string?, int), ImmutableSortedDictionary<string, string>> _poolMaps = [];

    // Shared verdicts (PlacementPipeline.Verdicts.cs).
    private readonly Dictionary<string, ImmutableArray<ClusterVerdict>> _unplacedVerdicts = new(StringComparer.Ordinal);
    private readonly Dictionary<(bool, int, LaunchTier, decimal), string> _chosenReasons = [];
    private readonly Dictionary<(string, int), ClusterVerdict> _sharedVerdicts = [];
    private readonly Dictionary<(string, int), (int Version, string? Reason)> _declaredRejections = [];
    private readonly Dictionary<(string, string, int), ClusterVerdict> _gpuVerdicts = [];
    private readonly Dictionary<(int, bool, int, LaunchTier, decimal), ImmutableArray<ClusterVerdict>> _chosenVerdicts = [];
    private ClusterVerdict[]? _capacityVerdicts;
    private ClusterVerdict[]? _divideVerdicts;

    /// <param name="model">The fleet.</param>
    /// <param name="options">Planning options.</param>
    /// <param name="scorers">The ranking; the default one when omitted.</param>
    /// <param name="state">Capacity to start from (a copy of a saved, committed state of the same model); empty nodes when omitted.</param>
    public PlacementPipeline(PlanModel model, PlanOptions options, ImmutableArray<IScorer> scorers = default, CapacityState? state = null)
    {
        Model = model;
        Options = options;
        Scorers = scorers.IsDefault ? DefaultScorers : scorers;
        Order = new ScorerOrder(Scorers);
        State = state ?? new CapacityState(model);
        Packer = new UnitPacker(State);
        Cheapest = [.. model.Clusters.Select(c => c.CheapestNode)];
        // Memo tables are shapes × clusters; bound them to about four million entries.
        _memoShapes = Math.Max(64, 4_000_000 / Math.Max(1, model.Clusters.Length));
        _rankedInPass = new int[model.Clusters.Length];
    }

    /// <summary>Filters decided per policy and cluster, in the order they are checked.</summary>
    public static ImmutableArray<IClusterFilter> ClusterFilters { get; } =
        [new NodePoolsFilter(), new ClusterSelectorFilter(), new OrderedClusterSelectorFilter(), new TopologyKeyFilter()];

    /// <summary>Filters decided per unit and cluster, before the capacity fit.</summary>
    public static ImmutableArray<IUnitFilter> UnitFilters { get; } = [new GpuTypeFilter(), new TaintFilter()];

    /// <summary>The scorers of every plan, in priority order: stickiness, priority rank, launch tier, cost, name.</summary>
    public static ImmutableArray<IScorer> DefaultScorers { get; } =
        [new StickinessScorer(), new PriorityScorer(), new LaunchTierScorer(), new CostScorer(), new ClusterNameScorer()];

    /// <summary>
    /// This run's scorers in priority order: the one definition of the ranking. The search, its ranking heaps, its
    /// pruning bounds and the explanations all compare candidates with <see cref="Order"/>, which applies these.
    /// </summary>
    public ImmutableArray<IScorer> Scorers { get; }

    /// <summary>Candidates ordered by <see cref="Scorers"/>, best first.</summary>
    public IComparer<Candidate> Order { get; }

    /// <summary>Name of the capacity filter in explanations.</summary>
    public const string CapacityFilterName = "capacity";

    public PlanModel Model { get; }

    public PlanOptions Options { get; }

    /// <summary>
    /// True for a consolidate trial: it is judged on placements and cost only, so the texts of unplaced reasons and
    /// missing copies (each a re-pack of every candidate cluster to say why) are left out. Placements do not change.
    /// </summary>
    public bool WithoutReasons { get; init; }

    /// <summary>Stands for every reason text a run <see cref="WithoutReasons"/> leaves out.</summary>
    public const string ReasonLeftOut = "not placed (reason not worked out in a consolidate trial)";

    public CapacityState State { get; }

    /// <summary>Where memo tables come from and go back to (<see cref="ReturnMemoTables"/>); null: each table is new.</summary>
    public MemoPool? MemoTables
    {
        get;
        init => field = value is null || value.Clusters == Model.Clusters.Length ? value : throw new ArgumentException("memo tables of another fleet size", nameof(value));
    }

    public UnitPacker Packer { get; }

    /// <summary>Per cluster, the price of the cheapest node it could add.</summary>
    private decimal[] Cheapest { get; }

    public static ISelection SelectionFor(SchedulePolicy? policy) => policy?.Spread?.Mode switch
    {
        SpreadMode.Duplicate => DuplicateSelection.Instance,
        SpreadMode.Divide => DivideSelection.Instance,
        _ => SingleClusterSelection.Instance,
    };

    /// <summary>Applies the scorers one by one; the first that tells the candidates apart decides.</summary>
    private sealed class ScorerOrder(ImmutableArray<IScorer> scorers) : IComparer<Candidate>
    {
        private readonly IScorer[] _scorers = [.. scorers];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Compare(Candidate a, Candidate b)
        {
            foreach (var scorer in _scorers)
            {
                var c = scorer.Compare(a, b);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }
    }

    /// <summary>
    /// A number for display that orders candidates like the scorers do in practice (lower is better):
    /// 10000 unless it is the current cluster, + 1000 per priority rank, + 100 per launch tier, + the cost per hour.
    /// The decision itself compares the scorers one by one, never this sum.
    /// </summary>
    public static double ScoreOf(in Candidate c) =>
        Math.Round((c.Sticky ? 0 : 10_000) + (c.Rank * 1_000) + ((int)c.Tier * 100) + (double)c.Cost, 4);
}
