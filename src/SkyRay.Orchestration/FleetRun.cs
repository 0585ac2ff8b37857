using System.Collections.Immutable;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration;

/// <summary>What the orchestrator declared for one live cluster.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="State">Active or standby (absent clusters are not declared).</param>
/// <param name="Provisioned">The provisioner's handle, or null for an existing cluster.</param>
/// <param name="Connection">The Kubernetes connection.</param>
/// <param name="Operator">The kuberay-operator release every workload on the cluster depends on.</param>
/// <param name="Release">The kuberay-operator release that was installed.</param>
public sealed record DeployedCluster(
    string Cluster,
    ClusterState State,
    IPortHandle? Provisioned,
    IPortHandle Connection,
    IPortHandle Operator,
    HelmRelease Release)
{
    /// <summary>Every release installed on the cluster, in install order (the KubeRay operator among them).</summary>
    public ImmutableArray<DeployedRelease> Releases { get; init; } = [];
}

/// <summary>A Helm release the orchestrator installed.</summary>
/// <param name="Release">The release.</param>
/// <param name="Handle">The installer's handle.</param>
public sealed record DeployedRelease(HelmRelease Release, IPortHandle Handle);

/// <summary>A plain Kubernetes object the orchestrator applied.</summary>
/// <param name="Cluster">The cluster it was applied to.</param>
/// <param name="Workload">The workload it goes with, or null for a cluster-level object.</param>
/// <param name="Rendered">The object.</param>
/// <param name="Handle">The object applier's handle.</param>
public sealed record DeployedObject(string Cluster, string? Workload, KubeObject Rendered, IPortHandle Handle);

/// <summary>What the orchestrator declared for one copy of a workload.</summary>
/// <param name="Workload">Workload name.</param>
/// <param name="Cluster">Target cluster.</param>
/// <param name="Rendered">The rendered Ray object.</param>
/// <param name="Handle">The applier's handle.</param>
public sealed record DeployedWorkload(string Workload, string Cluster, KubeObject Rendered, IPortHandle Handle)
{
    /// <summary>True for the record of a finished RayJob declared for the last time (kept on the cluster when it leaves the program).</summary>
    public bool Retained { get; init; }
}

/// <summary>A workload namespace the orchestrator declared on one cluster.</summary>
/// <param name="Namespace">Namespace name.</param>
/// <param name="Cluster">The cluster it was declared on.</param>
/// <param name="Rendered">The <c>v1 Namespace</c> object.</param>
/// <param name="Handle">The namespace applier's handle.</param>
public sealed record DeployedNamespace(string Namespace, string Cluster, KubeObject Rendered, IPortHandle Handle);

/// <summary>Everything one orchestrator run declared, in walk order.</summary>
/// <param name="Clusters">Live clusters by name.</param>
/// <param name="Workloads">Workload copies sorted by workload, then cluster.</param>
/// <param name="Outputs">The outputs that were exported.</param>
public sealed record FleetRun(
    ImmutableSortedDictionary<string, DeployedCluster> Clusters,
    ImmutableArray<DeployedWorkload> Workloads,
    FleetOutputs Outputs)
{
    /// <summary>Workload namespaces declared, by cluster then name; empty when the ports have no namespace applier.</summary>
    public ImmutableArray<DeployedNamespace> Namespaces { get; init; } = [];

    /// <summary>Plain Kubernetes objects declared: cluster-level ones by cluster, then each workload's, in walk order.</summary>
    public ImmutableArray<DeployedObject> Objects { get; init; } = [];

    /// <summary>Traffic records declared, by name; empty when the ports have no traffic switch.</summary>
    public ImmutableArray<DeployedTraffic> Traffic { get; init; } = [];
}

/// <summary>A traffic record the orchestrator pointed.</summary>
/// <param name="Record">The record and its targets.</param>
/// <param name="Handle">The traffic switch's handle.</param>
public sealed record DeployedTraffic(TrafficRecordSpec Record, IPortHandle Handle);
