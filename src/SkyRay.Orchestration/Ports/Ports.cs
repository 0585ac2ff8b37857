using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
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
    /// <returns>A handle for <see cref="IClusterConnector.Connect"/>.</returns>
    IPortHandle Provision(ClusterProvisionSpec spec);
}

/// <summary>Turns a cluster into a Kubernetes connection (kubeconfig → provider).</summary>
public interface IClusterConnector
{
    /// <summary>Connects to a cluster.</summary>
    /// <param name="cluster">The cluster as configured.</param>
    /// <param name="provisioned">The provisioner's handle, or null for an existing cluster.</param>
    /// <returns>A connection handle.</returns>
    IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned);
}

/// <summary>Installs the KubeRay operator on a connected cluster.</summary>
public interface IOperatorInstaller
{
    /// <summary>Declares the kuberay-operator release.</summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="release">The release to install.</param>
    /// <returns>An operator handle workloads depend on.</returns>
    IPortHandle Install(IPortHandle connection, OperatorRelease release);
}

/// <summary>Applies a rendered Ray workload to a cluster.</summary>
public interface IWorkloadApplier
{
    /// <summary>Declares the Ray object on the cluster, after its operator.</summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="kubeRayOperator">The operator the object depends on.</param>
    /// <param name="workload">The rendered object.</param>
    /// <returns>A handle for the applied object.</returns>
    IPortHandle Apply(IPortHandle connection, IPortHandle kubeRayOperator, KubeObject workload);

    /// <summary>
    /// Declares the Ray object on the cluster, after its operator and after the namespace it lives in. The orchestrator
    /// calls this overload; the default forwards to the three-argument one, so an adapter that does not implement
    /// <see cref="INamespaceApplier"/> keeps working unchanged. Adapters that declare namespaces implement it and make the
    /// object depend on <paramref name="workloadNamespace"/>.
    /// </summary>
    /// <param name="connection">The cluster's connection.</param>
    /// <param name="kubeRayOperator">The operator the object depends on.</param>
    /// <param name="workload">The rendered object.</param>
    /// <param name="workloadNamespace">The handle <see cref="INamespaceApplier.Apply"/> returned for the object's namespace,
    /// or null when SkyRay does not create it (<c>default</c>, built-in, the operator's) or the ports have no namespace applier.</param>
    /// <returns>A handle for the applied object.</returns>
    IPortHandle Apply(IPortHandle connection, IPortHandle kubeRayOperator, KubeObject workload, IPortHandle? workloadNamespace) =>
        Apply(connection, kubeRayOperator, workload);
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
    /// <summary>Clone-and-swap upgrades by configured cluster name (in progress and finished: a finished one says which
    /// clone now stands for the configured cluster). Read back on the next run by <c>UpgradePolicy</c>.</summary>
    public ImmutableSortedDictionary<string, UpgradeState> Upgrades { get; init; } =
        ImmutableSortedDictionary.Create<string, UpgradeState>(StringComparer.Ordinal);

    /// <summary>Per traffic record, the clusters its DNS record points at, sorted.</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<string>> Traffic { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal);
}

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
    /// <summary>The name of the Service KubeRay creates for the RayService's serve endpoint.</summary>
    public string ServeServiceName => Traffic.Workload + "-serve-svc";

    /// <summary>True when the record pointed elsewhere after the previous run (a switch).</summary>
    public bool Switched => !PreviousTargets.IsEmpty && !PreviousTargets.SequenceEqual(Targets, StringComparer.Ordinal);
}

/// <summary>Points traffic records (DNS) at the clusters serving a RayService.</summary>
public interface ITrafficSwitch
{
    /// <summary>Declares the DNS record, after the serving workloads it points at.</summary>
    /// <param name="record">The record and its targets, decided by the core.</param>
    /// <param name="servingWorkloads">The workload handles of the record's RayService on each target, in target order.</param>
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
/// <param name="Operator">KubeRay operator installs.</param>
/// <param name="Workloads">Ray workloads.</param>
/// <param name="Outputs">Stack outputs.</param>
/// <param name="Namespaces">Workload namespaces; null for an adapter that does not create them (then the orchestrator
/// declares none and passes no namespace handle to <see cref="IWorkloadApplier"/>).</param>
/// <param name="Traffic">Traffic records (DNS); null for an adapter that declares none (the YAML renderer).</param>
public sealed record FleetPorts(
    IClusterProvisioner Provisioner,
    IClusterConnector Connector,
    IOperatorInstaller Operator,
    IWorkloadApplier Workloads,
    IOutputExporter Outputs,
    INamespaceApplier? Namespaces = null,
    ITrafficSwitch? Traffic = null);
