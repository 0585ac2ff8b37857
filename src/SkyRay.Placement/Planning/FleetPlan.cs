using System.Collections.Immutable;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;

namespace SkyRay.Placement.Planning;

/// <summary>How quickly a placement can start, fastest first. The planner prefers lower tiers.</summary>
public enum LaunchTier
{
    /// <summary>Fits in nodes that are already running.</summary>
    RunningNodes = 0,

    /// <summary>Fits by autoscaling node pools of an active cluster.</summary>
    ScaleUp = 1,

    /// <summary>Needs a cluster in standby to wake up.</summary>
    WakeStandby = 2,

    /// <summary>Needs a dynamic cluster to be created.</summary>
    CreateCluster = 3,
}

/// <summary>What the plan does with a cluster.</summary>
public enum ClusterState
{
    /// <summary>Provisioned and running (static clusters, and dynamic ones with placed work).</summary>
    Active,

    /// <summary>No placed work; node pools scaled to zero (standby mode suspend).</summary>
    Standby,

    /// <summary>Not provisioned: a dynamic cluster with no placed work, or one in delete-recreate standby.</summary>
    Absent,
}

/// <summary>The planned size of a node pool.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="InstanceType">Instance type.</param>
/// <param name="MinNodes">Autoscaling minimum to declare (0 in standby).</param>
/// <param name="MaxNodes">Autoscaling maximum to declare.</param>
/// <param name="DesiredNodes">Nodes the placed work needs (at least <see cref="MinNodes"/>).</param>
/// <param name="HourlyCost">Catalog cost of <see cref="DesiredNodes"/> per hour.</param>
public sealed record NodePoolPlan(string Pool, string InstanceType, int MinNodes, int MaxNodes, int DesiredNodes, decimal HourlyCost);

/// <summary>The plan for one cluster.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="State">Active, standby or absent.</param>
/// <param name="Labels">All cluster labels, including the ones SkyRay sets (provider, region, version, lifecycle).</param>
/// <param name="Pools">Node pools sorted by name.</param>
/// <param name="Workloads">Names of workloads with a copy here, sorted.</param>
/// <param name="HourlyCost">Sum of the pools' cost.</param>
/// <param name="Reason">Why the cluster is in this state, in plain words.</param>
public sealed record ClusterPlan(
    string Cluster,
    ClusterState State,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<NodePoolPlan> Pools,
    ImmutableArray<string> Workloads,
    decimal HourlyCost,
    string Reason);

/// <summary>One copy of a workload on one cluster.</summary>
/// <param name="Workload">Workload name.</param>
/// <param name="Cluster">Target cluster.</param>
/// <param name="WorkerReplicas">Worker replicas per worker group for this copy (the full count, or a Divide share).</param>
/// <param name="GroupPools">Node pool chosen for each group (head and workers), so rendering can set nodeSelector / tolerations.</param>
/// <param name="Overrides">Per-cluster field overrides from the policy, in order.</param>
/// <param name="Tier">How quickly this copy can start.</param>
/// <param name="HourlyCost">Catalog cost of the nodes this copy needs.</param>
public sealed record WorkloadCopy(
    string Workload,
    string Cluster,
    ImmutableSortedDictionary<string, int> WorkerReplicas,
    ImmutableSortedDictionary<string, string> GroupPools,
    ImmutableArray<FieldOverride> Overrides,
    LaunchTier Tier,
    decimal HourlyCost);

/// <summary>Why a candidate cluster was taken or not.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Accepted">True when the cluster passed every filter.</param>
/// <param name="Score">Score when accepted (lower is better), else null.</param>
/// <param name="Reason">Plain words: "skipped, needs 2×L4, pool 'gpu' max 1 node".</param>
public sealed record ClusterVerdict(string Cluster, bool Accepted, double? Score, string Reason);

/// <summary>Where one workload goes and why.</summary>
/// <param name="Workload">Workload name.</param>
/// <param name="Policy">Policy that decided, or null for the default (available capacity).</param>
/// <param name="Copies">Copies, sorted by cluster; empty when unplaced.</param>
/// <param name="Verdicts">Verdict for every cluster considered, sorted by cluster.</param>
/// <param name="UnplacedReason">Why the workload fits nowhere, or null when placed.</param>
public sealed record WorkloadPlacement(
    string Workload,
    string? Policy,
    ImmutableArray<WorkloadCopy> Copies,
    ImmutableArray<ClusterVerdict> Verdicts,
    string? UnplacedReason)
{
    /// <summary>True when at least one copy is placed.</summary>
    public bool IsPlaced => !Copies.IsEmpty;

    /// <summary>
    /// Copies the policy asks for that fit nowhere although the workload is placed elsewhere: the spread Duplicate
    /// domains where no cluster could take it (written in the plan's JSON only when there are any). Empty for other
    /// policies and for an unplaced workload (<see cref="UnplacedReason"/> says why then).
    /// </summary>
    public ImmutableArray<MissingCopy> MissingCopies { get; init; } = [];

    /// <summary>True when the workload has a copy everywhere its policy asks for one: placed, with no missing copy.</summary>
    public bool IsComplete => IsPlaced && MissingCopies.IsDefaultOrEmpty;

    /// <summary>The copy on the cluster (the first, should there be more), or null.</summary>
    internal WorkloadCopy? CopyOn(string cluster)
    {
        foreach (var copy in Copies)
        {
            if (string.Equals(copy.Cluster, cluster, StringComparison.Ordinal))
            {
                return copy;
            }
        }

        return null;
    }
}

/// <summary>A copy a spread Duplicate policy asks for in one topology domain that no cluster of the domain could take.</summary>
/// <param name="TopologyKey">The policy's topologyKey.</param>
/// <param name="Domain">The domain: the topologyKey's value (a cluster name for <c>kubernetes.io/metadata.name</c>).</param>
/// <param name="Reason">Why each cluster of the domain could not take the copy, in plain words.</param>
public sealed record MissingCopy(string TopologyKey, string Domain, string Reason);

/// <summary>
/// The decision for a whole stack: pure data, deterministic for the same input, explainable.
/// Feeds the CLI, the renderer and the Pulumi program alike.
/// </summary>
/// <param name="Stack">Stack name.</param>
/// <param name="Clusters">Per-cluster plans by name.</param>
/// <param name="Placements">Per-workload placements by name.</param>
/// <param name="Diagnostics">Warnings found while planning (e.g. policy fields SkyRay does not act on).</param>
public sealed record FleetPlan(
    string Stack,
    ImmutableSortedDictionary<string, ClusterPlan> Clusters,
    ImmutableSortedDictionary<string, WorkloadPlacement> Placements,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Total catalog cost per hour of all active clusters.</summary>
    public decimal HourlyCost => Clusters.Values.Sum(c => c.HourlyCost);

    /// <summary>Workloads that fit nowhere.</summary>
    public IEnumerable<WorkloadPlacement> Unplaced => Placements.Values.Where(p => !p.IsPlaced);

    /// <summary>Workloads placed somewhere but missing a copy their policy asks for (<see cref="WorkloadPlacement.MissingCopies"/>).</summary>
    public IEnumerable<WorkloadPlacement> PartlyPlaced => Placements.Values.Where(p => p.IsPlaced && !p.MissingCopies.IsDefaultOrEmpty);
}
