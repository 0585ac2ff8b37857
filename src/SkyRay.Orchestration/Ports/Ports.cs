using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Security;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Ports;

/// <summary>
/// A handle a port returns. Opaque to the core: the Pulumi adapter carries <c>Output&lt;T&gt;</c> and
/// resources inside its handles, the recording adapter carries names.
/// </summary>
public interface IPortHandle
{
    /// <summary>The cluster the handle belongs to.</summary>
    string Cluster { get; }
}

/// <summary>Everything a provisioner needs to declare one cluster; every decision is already made.</summary>
/// <param name="Cluster">The cluster as configured.</param>
/// <param name="Plan">The plan for it (state, pool sizes, all labels).</param>
/// <param name="Autoscaling">How its pools autoscale (<see cref="Autoscaling.NodeAutoscaling"/>): the Cluster Autoscaler
/// to install, whether the plan's node counts are declared this run, scale-from-zero tags; null from callers that
/// predate it (the adapter then treats the cluster as <see cref="Autoscaling.AutoscalingSpec.None"/>).</param>
public sealed record ClusterProvisionSpec(ClusterSpec Cluster, ClusterPlan Plan, Autoscaling.AutoscalingSpec? Autoscaling = null);

/// <summary>Provisions a cloud cluster with its node pools (EKS, AKS, GKE).</summary>
public interface IClusterProvisioner
{
    /// <summary>Declares the cluster and its pools.</summary>
    /// <param name="spec">What to declare.</param>
    /// <returns>A handle for <see cref="IClusterConnector.Connect(ClusterSpec, IPortHandle?)"/>.</returns>
    IPortHandle Provision(ClusterProvisionSpec spec);
}

/// <summary>How a run treats a cluster's Kubernetes API (decided from observations, <c>Failover.Availability</c>).</summary>
/// <param name="SkipUnreachableUpdates">The API server was observed unreachable: changes to its objects are skipped instead of failing
/// or hanging the run (pulumi-kubernetes <c>skipUpdateUnreachable</c>).</param>
/// <param name="DeleteUnreachable">The cluster is lost: objects that leave the program while it does not answer leave the state
/// without a delete against it (pulumi-kubernetes <c>deleteUnreachable</c>).</param>
public sealed record ConnectionOptions(bool SkipUnreachableUpdates = false, bool DeleteUnreachable = false)
{
    /// <summary>A cluster that answers.</summary>
    public static ConnectionOptions Reachable { get; } = new();
}

/// <summary>Turns a cluster into a Kubernetes connection (kubeconfig → provider).</summary>
public interface IClusterConnector
{
    /// <summary>Connects to a cluster.</summary>
    /// <param name="cluster">The cluster as configured.</param>
    /// <param name="provisioned">The provisioner's handle, or null for an existing cluster.</param>
    /// <returns>A connection handle.</returns>
    IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned);

    /// <summary>Connects to a cluster, knowing how its API is treated this run; adapters without such options ignore them.</summary>
    /// <param name="cluster">The cluster as configured.</param>
    /// <param name="provisioned">The provisioner's handle, or null for an existing cluster.</param>
    /// <param name="options">Reachability decisions for the connection.</param>
    /// <returns>A connection handle.</returns>
    IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned, ConnectionOptions options) => Connect(cluster, provisioned);
}

/// <summary>Installs Helm releases (the KubeRay operator and other add-ons) on a connected cluster.</summary>
public interface IReleaseInstaller
{
    /// <summary>Declares a release, after the releases it depends on.</summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="release">The release, every setting decided by the core.</param>
    /// <param name="after">Handles of what the release is installed after (the releases named in <see cref="HelmRelease.After"/>).</param>
    /// <returns>A handle objects and workloads depend on.</returns>
    IPortHandle Install(IPortHandle connection, HelmRelease release, IReadOnlyList<IPortHandle> after);
}

/// <summary>How a Ray object is declared.</summary>
/// <param name="Retain">The object is the record of a finished RayJob, declared for the last time: unchanged, and kept on the cluster
/// when it leaves the program (Pulumi: <c>retainOnDelete</c>, changes to it ignored).</param>
public sealed record WorkloadDeclaration(bool Retain = false)
{
    /// <summary>A workload declared as usual.</summary>
    public static WorkloadDeclaration Default { get; } = new();
}

/// <summary>Applies a rendered Ray workload to a cluster.</summary>
public interface IWorkloadApplier
{
    /// <summary>Declares the Ray object on the cluster, after what it depends on.</summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="workload">The rendered object.</param>
    /// <param name="after">Handles the object is declared after: the KubeRay operator release first, then the cluster's other releases
    /// (an add-on's admission webhook, such as Kueue's, must answer its create), then the object's namespace when SkyRay creates it, then
    /// the cluster's objects in that namespace (its Kueue LocalQueue) and the objects that go with it (<see cref="IObjectApplier"/>).</param>
    /// <returns>A handle for the applied object.</returns>
    IPortHandle Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after);

    /// <summary>Declares the Ray object with declaration options; adapters without such options declare it as usual.</summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="workload">The rendered object.</param>
    /// <param name="after">Handles the object is declared after.</param>
    /// <param name="declaration">How it is declared.</param>
    /// <returns>A handle for the applied object.</returns>
    IPortHandle Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after, WorkloadDeclaration declaration) =>
        Apply(connection, workload, after);
}

/// <summary>Applies plain Kubernetes objects (not Ray workloads, not namespaces) that rendering puts on a cluster.</summary>
public interface IObjectApplier
{
    /// <summary>Declares one object on the cluster, after what it depends on.</summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="kubeObject">The rendered object (apiVersion, kind, metadata and its other top-level fields).</param>
    /// <param name="after">Handles the object is declared after (the cluster's releases, its namespace).</param>
    /// <returns>A handle workloads can depend on.</returns>
    IPortHandle Apply(IPortHandle connection, KubeObject kubeObject, IReadOnlyList<IPortHandle> after);
}

/// <summary>Creates the namespaces workloads live in (see <c>WorkloadNamespaces</c> for which).</summary>
public interface INamespaceApplier
{
    /// <summary>Declares a <c>v1 Namespace</c> on a cluster; called once per cluster and namespace, before the workloads in it.</summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="workloadNamespace">The Namespace object (apiVersion v1, labelled <c>app.kubernetes.io/managed-by: skyray</c>).</param>
    /// <returns>A handle the namespace's workloads depend on.</returns>
    IPortHandle Apply(IPortHandle connection, KubeObject workloadNamespace);
}

/// <summary>Stack outputs, all plain data.</summary>
/// <param name="Clusters">Per cluster: provider, version, lifecycle, state.</param>
/// <param name="Workloads">Per workload: target clusters, sorted.</param>
/// <param name="Explanation">One line per workload saying where it went and why.</param>
/// <param name="Placements">The placement per workload (cluster list), read back on the next run for stability.</param>
public sealed record FleetOutputs(
    ImmutableSortedDictionary<string, ClusterOutput> Clusters,
    ImmutableSortedDictionary<string, ImmutableArray<string>> Workloads,
    ImmutableArray<string> Explanation,
    string Placements)
{
    /// <summary>
    /// The plan behind <see cref="Placements"/> when the run kept it instead of writing its text (a run whose outputs are read back in
    /// the same process, <c>RunRequest.OutputsInProcess</c>): <see cref="Placements"/> is then empty, and
    /// <see cref="Outputs.StackOutputs.Write"/> writes this plan's text as the placements output. Null when <see cref="Placements"/>
    /// holds the text. Read either through <see cref="PlacementsPlanOrRead"/>.
    /// </summary>
    public FleetPlan? PlacementsPlan { get; init; }

    /// <summary>The placements output as text: <see cref="Placements"/>, or the text of <see cref="PlacementsPlan"/> when kept as a plan.</summary>
    public string PlacementsText => PlacementsPlan is { } kept ? PlanJson.Write(kept) : Placements;

    /// <summary>
    /// The previous placements as a plan: <see cref="PlacementsPlan"/>, or the <see cref="Placements"/> text read (once per text,
    /// <see cref="PlanJson.ReadShared"/>); null when there is none or the text is not a plan.
    /// </summary>
    /// <returns>The plan, or null.</returns>
    public FleetPlan? PlacementsPlanOrRead()
    {
        if (PlacementsPlan is { } kept)
        {
            return kept;
        }

        if (string.IsNullOrWhiteSpace(Placements))
        {
            return null;
        }

        try
        {
            return PlanJson.ReadShared(Placements);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Clone-and-swap upgrades by configured cluster name (in progress and finished: a finished one says which
    /// clone now stands for the configured cluster). Read back on the next run by <c>UpgradePolicy</c>.</summary>
    public ImmutableSortedDictionary<string, UpgradeState> Upgrades { get; init; } =
        ImmutableSortedDictionary.Create<string, UpgradeState>(StringComparer.Ordinal);

    /// <summary>Per traffic record, the clusters its DNS record points at, sorted.</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<string>> Traffic { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal);

    /// <summary>Per cluster whose Kueue queue objects the run declared, the fingerprint of its flavors and ClusterQueue (read back on
    /// the next run by <c>KueueRollout</c>: a sleeping cluster keeps what was declared, and a change to it is flagged); null when a
    /// previous run's output could not be read.</summary>
    public ImmutableSortedDictionary<string, string>? Queues { get; init; } =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
    /// <summary>Per traffic record, the load balancer addresses its DNS record was written with (observed), sorted; read back to
    /// keep a record where it is while no new target serves.</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<string>> TrafficAddresses { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal);

    /// <summary>Finished RayJobs by workload: never created or run again while the workload stays in the config.</summary>
    public ImmutableSortedDictionary<string, JobRecord> Jobs { get; init; } =
        ImmutableSortedDictionary.Create<string, JobRecord>(StringComparer.Ordinal);

    /// <summary>The digest of what the run declared (<c>RunFingerprint</c>), or null when it was not computed; with the other outputs
    /// it tells whether a later run would change anything.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Per physical cluster, how many runs in a row its API server was observed unreachable (only clusters above 0).</summary>
    public ImmutableSortedDictionary<string, int> Unreachable { get; init; } =
        ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>Per workload with Ray token authentication, where each copy's token lives (cluster, namespace, Secret, key, who
    /// makes it), never the token. Written for people and tools (<c>pulumi stack output rayTokens</c>); no run reads it back.</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<RayTokenLocation>> RayTokens { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableArray<RayTokenLocation>>(StringComparer.Ordinal);
}

/// <summary>The record of a finished RayJob, kept in the stack outputs.</summary>
/// <param name="Clusters">The clusters it ran on, sorted.</param>
/// <param name="Status">KubeRay's <c>jobDeploymentStatus</c> at the end: <c>Complete</c>, <c>Failed</c> or <c>ValidationFailed</c>.</param>
/// <param name="JobStatus">Ray's <c>jobStatus</c> at the end (<c>SUCCEEDED</c>, <c>FAILED</c>, <c>STOPPED</c>), or null.</param>
/// <param name="FinishedAt">When it ended (ISO 8601), or null when the cluster did not say.</param>
/// <param name="Released">False on the run that saw it finish (its RayJob object is declared once more, to be kept on the cluster
/// when it leaves the program); true from the next run on (no longer declared; the object stays on the cluster as the record).</param>
public sealed record JobRecord(ImmutableArray<string> Clusters, string Status, string? JobStatus, string? FinishedAt, bool Released);

/// <summary>Outputs of one cluster.</summary>
/// <param name="Provider">aws, azure, gcp or existing.</param>
/// <param name="KubernetesVersion">Kubernetes version.</param>
/// <param name="Lifecycle">static or dynamic.</param>
/// <param name="State">active, standby or absent.</param>
/// <param name="IdleSince">When the cluster last had no placed work, ISO 8601 (round-trip format), or null while it
/// has work or when standby is not tracked. Read back on the next run by <c>StandbyPolicy</c>.</param>
public sealed record ClusterOutput(string Provider, string KubernetesVersion, string Lifecycle, string State, string? IdleSince = null);

/// <summary>The kind of DNS record a traffic record is written as.</summary>
public enum TrafficRecordType
{
    /// <summary>A CNAME to one load balancer host name (EKS load balancers have host names, not fixed addresses).</summary>
    Cname,

    /// <summary>An A record with the load balancer IP addresses of every target (AKS and GKE load balancers).</summary>
    A,
}

/// <summary>
/// One traffic record with every decision made: the DNS record, the clusters it points at (each serving the record's
/// RayService through its <c>&lt;workload&gt;-serve-svc</c> LoadBalancer Service) and the record type.
/// </summary>
/// <param name="Traffic">The record as configured.</param>
/// <param name="Targets">Clusters the record points at, sorted; never empty (a record with no serving cluster is not declared).</param>
/// <param name="RecordType">CNAME (one AWS target) or A (the IP addresses of every target).</param>
/// <param name="PreviousTargets">Where the record pointed after the previous run; empty when unknown.</param>
/// <param name="Reason">Why these targets, in plain words (the upgrade phase when one is under way).</param>
public sealed record TrafficRecordSpec(
    TrafficSpec Traffic,
    ImmutableArray<string> Targets,
    TrafficRecordType RecordType,
    ImmutableArray<string> PreviousTargets,
    string Reason)
{
    /// <summary>The load balancer addresses of each target's serve Service, as observed (host names or IPs), by target; empty when
    /// nothing was observed (the adapter then reads the Service itself, by its known name).</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<string>> Addresses { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal);

    /// <summary>The addresses the record was written with by the previous run (its <c>trafficAddresses</c> output); empty when unknown.
    /// The adapter falls back to them when it reads a serve Service that has no address.</summary>
    public ImmutableArray<string> PreviousAddresses { get; init; } = [];

    /// <summary>True when no target serves yet and the record is kept at the targets and addresses it had (<see cref="Addresses"/>):
    /// a record is never removed, nor pointed at a cluster that does not serve, while it waits.</summary>
    public bool Held { get; init; }

    /// <summary>The addresses the record is written with, when every target's is known (observed or held); empty otherwise.</summary>
    public ImmutableArray<string> KnownAddresses =>
        Targets.All(t => Addresses.TryGetValue(t, out var a) && !a.IsDefaultOrEmpty)
            ? [.. Targets.SelectMany(t => Addresses[t]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The name of the Service KubeRay creates for the RayService's serve endpoint.</summary>
    public string ServeServiceName => Traffic.Workload + "-serve-svc";

    /// <summary>True when the record pointed elsewhere after the previous run (a switch).</summary>
    public bool Switched => !PreviousTargets.IsEmpty && !PreviousTargets.SequenceEqual(Targets, StringComparer.Ordinal);

    /// <summary>The record as a preview line: <c>+ traffic llm.example.com → main (CNAME)</c>, or
    /// <c>~ traffic llm.example.com → main-1-32 (was main; CNAME)</c> when this run switches it.</summary>
    /// <returns>The line.</returns>
    public string PreviewLine()
    {
        var type = RecordType == TrafficRecordType.Cname ? "CNAME" : "A";
        if (Held)
        {
            return $"  traffic {Traffic.Dns.Name} stays on {string.Join(", ", Targets)} ({type}): {Reason}";
        }

        return Switched
            ? $"~ traffic {Traffic.Dns.Name} → {string.Join(", ", Targets)} (was {string.Join(", ", PreviousTargets)}; {type})"
            : $"+ traffic {Traffic.Dns.Name} → {string.Join(", ", Targets)} ({type})";
    }
}

/// <summary>Points traffic records (DNS) at the clusters serving a RayService.</summary>
public interface ITrafficSwitch
{
    /// <summary>Declares the DNS record, after the serving workloads it points at.</summary>
    /// <param name="record">The record and its targets, decided by the core.</param>
    /// <param name="servingWorkloads">The workload handles of the record's RayService on the targets that have a copy this run, in
    /// target order (a held record may have targets without one; their addresses are in <see cref="TrafficRecordSpec.Addresses"/>).</param>
    /// <returns>A handle for the record.</returns>
    IPortHandle Point(TrafficRecordSpec record, IReadOnlyList<IPortHandle> servingWorkloads);
}

/// <summary>Exports stack outputs.</summary>
public interface IOutputExporter
{
    /// <summary>Exports the outputs.</summary>
    /// <param name="outputs">The outputs.</param>
    void Export(FleetOutputs outputs);
}

/// <summary>All ports an orchestrator run needs; adapters implement them together.</summary>
/// <param name="Provisioner">Cloud clusters.</param>
/// <param name="Connector">Kubernetes connections.</param>
/// <param name="Releases">Helm releases (the KubeRay operator and add-ons).</param>
/// <param name="Workloads">Ray workloads.</param>
/// <param name="Objects">The other Kubernetes objects rendering puts on clusters. Required: an object left out (a
/// NetworkPolicy, a queue) changes what runs, so no adapter may skip them silently.</param>
/// <param name="Outputs">Stack outputs.</param>
/// <param name="Namespaces">Workload namespaces; null for an adapter that does not create them (then the orchestrator
/// declares none and workloads depend on no namespace).</param>
/// <param name="Traffic">Traffic records (DNS); null for an adapter that declares none (the YAML renderer).</param>
public sealed record FleetPorts(
    IClusterProvisioner Provisioner,
    IClusterConnector Connector,
    IReleaseInstaller Releases,
    IWorkloadApplier Workloads,
    IObjectApplier Objects,
    IOutputExporter Outputs,
    INamespaceApplier? Namespaces = null,
    ITrafficSwitch? Traffic = null);
