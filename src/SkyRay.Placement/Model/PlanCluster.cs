using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Model;

/// <summary>A cluster as the planner sees it: labels, resolved pools and its state when the plan starts.</summary>
internal sealed class PlanCluster
{
    public PlanCluster(
        int index,
        ClusterSpec spec,
        ImmutableSortedDictionary<string, string> labels,
        PlanPool[] pools,
        ClusterState startState,
        int[] runningNodes)
    {
        Index = index;
        Spec = spec;
        Labels = labels;
        Pools = pools;
        StartState = startState;
        RunningNodes = runningNodes;
        CheapestNode = pools.Where(p => p.Type is not null && p.Max > 0).Select(p => p.Price).DefaultIfEmpty(0m).Min();
        MinNodesCost = pools.Where(p => p.Type is not null).Sum(p => p.Price * p.Min);
        StartTier = startState switch
        {
            ClusterState.Active => LaunchTier.RunningNodes,
            ClusterState.Standby => LaunchTier.WakeStandby,
            _ => LaunchTier.CreateCluster,
        };
    }

    public int Index { get; }

    // A cache, not data of the cluster (a method, so comparisons of models by their properties leave it out).
    private Dictionary<string, string>? _gpuPoolWords;

    /// <summary>The GPU type filter's words about the pools, by GPU type (see <c>GpuTypeFilter.Explain</c>), filled as asked.</summary>
    public Dictionary<string, string> GpuPoolWords() => _gpuPoolWords ??= new(StringComparer.Ordinal);

    public ClusterSpec Spec { get; }

    public string Name => Spec.Name;

    public ImmutableSortedDictionary<string, string> Labels { get; }

    /// <summary>Pools sorted by name.</summary>
    public PlanPool[] Pools { get; }

    /// <summary>State before this plan: from the previous plan when given, else what the spec implies.</summary>
    public ClusterState StartState { get; }

    /// <summary>Fastest tier work can reach on this cluster: running nodes when active, else wake or create.</summary>
    public LaunchTier StartTier { get; }

    public bool ActiveAtStart => StartState == ClusterState.Active;

    /// <summary>
    /// Per pool, how many nodes are already running: MinNodes (or what the previous plan ran) on an active cluster, 0 otherwise.
    /// A pod on node index below this number starts without new nodes.
    /// </summary>
    public int[] RunningNodes { get; }

    /// <summary>Price of the cheapest node that could be added: a lower bound on the cost of anything that needs a new node.</summary>
    public decimal CheapestNode { get; }

    /// <summary>Cost per hour of every pool's MinNodes: the least that activating this cluster adds.</summary>
    public decimal MinNodesCost { get; }
}
