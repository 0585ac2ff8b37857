using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Config;

/// <summary>How Kueue orders the workloads of a ClusterQueue (<c>spec.queueingStrategy</c>).</summary>
public enum QueueingStrategy
{
    /// <summary>By creation time, but an older workload that cannot be admitted does not block newer ones that fit (Kueue's default).</summary>
    BestEffortFifo,

    /// <summary>Strictly by creation time: an older workload that cannot be admitted blocks the newer ones.</summary>
    StrictFifo,
}

/// <summary>Whom a pending workload may preempt inside its own ClusterQueue (<c>spec.preemption.withinClusterQueue</c>).</summary>
public enum WithinClusterQueuePreemption
{
    /// <summary>Nobody (Kueue's default): a serving RayService is never evicted for a job.</summary>
    Never,

    /// <summary>Workloads of lower priority.</summary>
    LowerPriority,

    /// <summary>Workloads of lower priority, or of equal priority that are newer.</summary>
    LowerOrNewerEqualPriority,
}

/// <summary>Whom a pending workload may preempt in other ClusterQueues of its cohort to take back its nominal quota
/// (<c>spec.preemption.reclaimWithinCohort</c>).</summary>
public enum ReclaimWithinCohortPreemption
{
    /// <summary>Nobody (Kueue's default).</summary>
    Never,

    /// <summary>Workloads of lower priority.</summary>
    LowerPriority,

    /// <summary>Any workload that borrows.</summary>
    Any,
}

/// <summary>Whom a borrowing workload may preempt in other ClusterQueues of its cohort (<c>spec.preemption.borrowWithinCohort.policy</c>).</summary>
public enum BorrowWithinCohortPreemption
{
    /// <summary>Nobody (Kueue's default).</summary>
    Never,

    /// <summary>Workloads of lower priority.</summary>
    LowerPriority,
}

/// <summary>The preemption policy of a ClusterQueue (<c>spec.preemption</c>). Every default is Kueue's own: no preemption.</summary>
/// <param name="WithinClusterQueue">Inside the ClusterQueue.</param>
/// <param name="ReclaimWithinCohort">To take back nominal quota lent to the cohort.</param>
/// <param name="BorrowWithinCohort">While borrowing from the cohort.</param>
public sealed record KueuePreemption(
    WithinClusterQueuePreemption WithinClusterQueue,
    ReclaimWithinCohortPreemption ReclaimWithinCohort,
    BorrowWithinCohortPreemption BorrowWithinCohort)
{
    /// <summary>No preemption at all (Kueue's defaults).</summary>
    public static KueuePreemption None { get; } = new(WithinClusterQueuePreemption.Never, ReclaimWithinCohortPreemption.Never, BorrowWithinCohortPreemption.Never);
}

/// <summary>How the ClusterQueue SkyRay declares on a cluster shares and orders its quota.</summary>
/// <param name="Strategy">Queueing strategy (default best-effort FIFO).</param>
/// <param name="Preemption">Preemption policy (default none).</param>
/// <param name="Cohort">The cohort the ClusterQueue joins, so it lends unused quota to and borrows from other ClusterQueues of
/// the cluster; null for none.</param>
/// <param name="FairSharingWeight">With fair sharing on, the ClusterQueue's weight in its cohort (a Kubernetes quantity such as
/// <c>1</c> or <c>0.5</c>); null when fair sharing (Kueue's preemption-based fair sharing between the ClusterQueues of a cohort) is off.</param>
/// <param name="AdmissionFairSharing">Admission fair sharing between the LocalQueues (teams) of the ClusterQueue: workloads of the
/// queue that used less recently are admitted first.</param>
public sealed record KueueQueueing(
    QueueingStrategy Strategy,
    KueuePreemption Preemption,
    string? Cohort,
    string? FairSharingWeight,
    bool AdmissionFairSharing)
{
    /// <summary>Kueue's defaults: best-effort FIFO, no preemption, no cohort, no fair sharing.</summary>
    public static KueueQueueing Default { get; } = new(QueueingStrategy.BestEffortFifo, KueuePreemption.None, null, null, false);

    /// <summary>True when Kueue's fair sharing between ClusterQueues is on.</summary>
    public bool FairSharing => FairSharingWeight is not null;
}

/// <summary>A Kueue <c>WorkloadPriorityClass</c> SkyRay declares on every Kueue cluster that lists it.</summary>
/// <param name="Value">The priority workloads of the class get (higher goes first; a 32-bit integer).</param>
/// <param name="Description">What the class is for, or null.</param>
public sealed record WorkloadPriorityClassSpec(int Value, string? Description);

/// <summary>
/// Kueue on one cluster (<c>skyray:kueue</c>, the fleet default, with the cluster's own <c>kueue</c> block over it): whether the
/// cluster queues Ray work through Kueue, the Helm release, and the queueing options of its ClusterQueue. Placement still decides
/// which cluster a workload goes to; Kueue decides when it starts there.
/// </summary>
/// <param name="Enabled">True when the cluster runs Kueue.</param>
/// <param name="ChartVersion">Kueue Helm chart version (default <see cref="DefaultChartVersion"/>).</param>
/// <param name="Namespace">Namespace of the Kueue release (default <see cref="DefaultNamespace"/>).</param>
/// <param name="Values">Helm values merged over SkyRay's defaults. Read-only.</param>
/// <param name="Queueing">The ClusterQueue's queueing options.</param>
/// <param name="PriorityClasses">WorkloadPriorityClasses declared on the cluster, by name.</param>
public sealed record KueueSettings(
    bool Enabled,
    string ChartVersion,
    string Namespace,
    JsonObject Values,
    KueueQueueing Queueing,
    ImmutableSortedDictionary<string, WorkloadPriorityClassSpec> PriorityClasses)
{
    /// <summary>The chart version used when config names none: the release SkyRay's Kueue objects are validated against.</summary>
    public const string DefaultChartVersion = "0.19.2";

    /// <summary>The namespace used when config names none (the one Kueue's own install guide uses).</summary>
    public const string DefaultNamespace = "kueue-system";

    /// <summary>The LocalQueue a workload joins when it names none: Kueue's default LocalQueue name, which Kueue also gives
    /// objects of the namespace that carry no queue label.</summary>
    public const string DefaultQueue = "default";

    /// <summary>Kueue off, every other setting at its default.</summary>
    public static KueueSettings Disabled { get; } = new(
        false, DefaultChartVersion, DefaultNamespace, [], KueueQueueing.Default,
        ImmutableSortedDictionary.Create<string, WorkloadPriorityClassSpec>(StringComparer.Ordinal));
}
