using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Costs;

/// <summary>The period a simulation covers.</summary>
/// <param name="Hours">Length of the period in hours (730 is an average month).</param>
/// <param name="Utilization">Fraction of the period, 0 to 1, during which the placed RayJobs that shut down after they
/// finish actually run; 1 means the plan as it stands for the whole period.</param>
public sealed record CostPeriod(decimal Hours, decimal Utilization)
{
    /// <summary>Hours in an average month (365 × 24 / 12).</summary>
    public const decimal MonthHours = 730m;

    /// <summary>A month with the work running all the time.</summary>
    public static CostPeriod Month { get; } = new(MonthHours, 1m);
}

/// <summary>One node pool in a simulation.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="InstanceType">Instance type.</param>
/// <param name="NodeHourlyUsd">Catalog price of one node per hour; 0 when the type is not in the catalog.</param>
/// <param name="Priced">False when the instance type has no catalog price (counted as free).</param>
/// <param name="MinNodes">The configured minimum.</param>
/// <param name="PlannedNodes">Nodes the plan runs while the cluster is active (its desired nodes; 0 unless active).</param>
/// <param name="BaselineNodes">Nodes the always-on baseline runs: max(planned, min).</param>
public sealed record PoolCost(string Pool, string InstanceType, decimal NodeHourlyUsd, bool Priced, int MinNodes, int PlannedNodes, int BaselineNodes);

/// <summary>One cluster in a simulation.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Provider">Its provider.</param>
/// <param name="Lifecycle">Static or dynamic.</param>
/// <param name="State">The plan's state for it.</param>
/// <param name="ControlPlaneHourlyUsd">Control-plane fee per hour (<see cref="ControlPlaneFees"/>).</param>
/// <param name="Pools">Pools sorted by name.</param>
/// <param name="ActiveHours">Hours of the period the plan has the cluster active (nodes running).</param>
/// <param name="PlanUsd">What the plan costs over the period.</param>
/// <param name="BaselineUsd">What the always-on baseline costs over the period.</param>
/// <param name="Basis">How the plan's cost was counted, in plain words.</param>
public sealed record ClusterCost(
    string Cluster,
    CloudProvider Provider,
    ClusterLifecycle Lifecycle,
    ClusterState State,
    decimal ControlPlaneHourlyUsd,
    ImmutableArray<PoolCost> Pools,
    decimal ActiveHours,
    decimal PlanUsd,
    decimal BaselineUsd,
    string Basis)
{
    /// <summary>What the plan saves against the baseline (negative if it costs more).</summary>
    public decimal SavingsUsd => BaselineUsd - PlanUsd;
}

/// <summary>What a stack's plan costs over a period, against keeping every cluster on all the time.</summary>
/// <param name="Stack">Stack name.</param>
/// <param name="Period">The period.</param>
/// <param name="Clusters">Per cluster, sorted by name.</param>
/// <param name="Unpriced">Pools whose instance type has no catalog price (<c>cluster/pool: type</c>), counted as free.</param>
public sealed record CostSimulation(string Stack, CostPeriod Period, ImmutableArray<ClusterCost> Clusters, ImmutableArray<string> Unpriced)
{
    /// <summary>Total cost of the plan over the period.</summary>
    public decimal PlanUsd => Clusters.Sum(c => c.PlanUsd);

    /// <summary>Total cost of the always-on baseline over the period.</summary>
    public decimal BaselineUsd => Clusters.Sum(c => c.BaselineUsd);

    /// <summary>Baseline minus plan.</summary>
    public decimal SavingsUsd => BaselineUsd - PlanUsd;

    /// <summary>Savings as a percentage of the baseline; 0 when the baseline costs nothing.</summary>
    public decimal SavingsPercent => BaselineUsd == 0m ? 0m : SavingsUsd / BaselineUsd * 100m;
}
