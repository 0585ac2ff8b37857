using System.Collections.Immutable;
using SkyRay.Orchestration.Ports;

namespace SkyRay.Orchestration.Recording;

/// <summary>The port a recorded call went to.</summary>
public enum RecordedKind
{
    /// <summary><see cref="IClusterProvisioner.Provision"/>.</summary>
    Cluster,

    /// <summary><c>IClusterConnector.Connect</c>.</summary>
    Connection,

    /// <summary><see cref="IReleaseInstaller.Install"/>.</summary>
    Release,

    /// <summary><see cref="INamespaceApplier.Apply"/>.</summary>
    Namespace,

    /// <summary><see cref="IObjectApplier.Apply"/>.</summary>
    KubeObject,

    /// <summary><c>IWorkloadApplier.Apply</c>.</summary>
    Workload,

    /// <summary><see cref="ITrafficSwitch.Point"/>.</summary>
    Traffic,

    /// <summary><see cref="IOutputExporter.Export"/>.</summary>
    Outputs,
}

/// <summary>One port call as plain data.</summary>
/// <param name="Kind">Which port.</param>
/// <param name="Id">The id of the handle the call returned (e.g. <c>helm/kuberay@aws-static</c>); <c>outputs</c> for the export.</param>
/// <param name="Cluster">The cluster the call is about; empty for the export.</param>
/// <param name="Name">What was declared: the cluster name, the release name, the Ray object's name.</param>
/// <param name="DependsOn">Ids of the handles the call was given, in argument order.</param>
/// <param name="Detail">What a preview shows about it (sizes, versions, the Ray kind).</param>
public sealed record RecordedCall(RecordedKind Kind, string Id, string Cluster, string Name, ImmutableArray<string> DependsOn, string Detail);

/// <summary>A handle of the recording adapter: just an id.</summary>
/// <param name="Cluster">The cluster it belongs to.</param>
/// <param name="Id">Unique id within a run.</param>
public sealed record RecordedHandle(string Cluster, string Id) : IPortHandle;
