using System.Collections.Immutable;
using System.Globalization;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Runs;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Recording;

/// <summary>
/// An adapter that declares nothing and records every port call as plain data, in call order. Tests assert on
/// <see cref="Calls"/>; <c>skyray plan</c> prints <see cref="PreviewLines"/>, the resources a stack would declare.
/// One instance per run; not thread-safe.
/// </summary>
public sealed class RecordingPorts : IClusterProvisioner, IClusterConnector, IReleaseInstaller, INamespaceApplier, IObjectApplier, IWorkloadApplier, IOutputExporter, ITrafficSwitch
{
    private readonly List<RecordedCall> _calls = [];
    private ImmutableArray<string> _stepLines = [];
    private readonly List<FleetOutputs> _exported = [];

    /// <summary>The adapter as the port set the orchestrator takes.</summary>
    public FleetPorts Ports => new(this, this, this, this, this, this, this, this);

    /// <summary>Every call so far, in call order.</summary>
    public IReadOnlyList<RecordedCall> Calls => _calls;

    /// <summary>Every export so far (a correct run exports once).</summary>
    public IReadOnlyList<FleetOutputs> Exported => _exported;

    /// <summary>Runs the orchestrator over a decided run against a new recorder.</summary>
    /// <param name="run">The run (<see cref="RunPlanner.Plan"/>).</param>
    /// <param name="rendering">Rendering functions; null for the real ones.</param>
    /// <returns>The recorder; its <see cref="PreviewLines"/> start with the run's steps (<see cref="RunPlan.StepLines"/>).</returns>
    public static RecordingPorts Record(RunPlan run, FleetRendering? rendering = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var recorder = new RecordingPorts { _stepLines = run.StepLines() };
        FleetOrchestrator.Declare(run, recorder.Ports, rendering);
        return recorder;
    }

    /// <summary>
    /// One line per step of the run (when recorded through <see cref="Record(RunPlan, FleetRendering?)"/>: upgrade steps such as
    /// <c>~ upgrade main 1.31 → 1.32 (cloned, step 1 of 3): …</c>, standby transitions), then one line per declared resource, in
    /// call order, like a preview:
    /// <c>+ cluster aws-static (aws eks 1.31, pools: cpu 2..10 m6i.2xlarge)</c>,
    /// <c>+ provider aws-static (kubeconfig of cluster aws-static)</c>,
    /// <c>+ helm kuberay-operator 1.7.0 → aws-static</c> (an OCI chart by its release name: <c>+ helm kueue 0.19.2 → aws-static</c>), <c>+ NetworkPolicy ml/llm → aws-static</c>, <c>+ namespace serving → aws-static</c>, <c>+ RayService llm → aws-static</c>.
    /// A traffic record reads <c>+ traffic llm.example.com → main (CNAME)</c>, or <c>~ traffic llm.example.com → main-1-32 (was main; CNAME)</c>
    /// when the run switches it. The export is not a resource and has no line.
    /// </summary>
    /// <returns>The lines.</returns>
    public ImmutableArray<string> PreviewLines() =>
        [.. _stepLines, .. _calls.Where(c => c.Kind != RecordedKind.Outputs).Select(PreviewLine)];

    /// <inheritdoc />
    public IPortHandle Point(TrafficRecordSpec record, IReadOnlyList<IPortHandle> servingWorkloads)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(servingWorkloads);
        var detail = record.PreviewLine();
        var id = $"traffic/{record.Traffic.Name}";
        _calls.Add(new RecordedCall(RecordedKind.Traffic, id, record.Targets.IsEmpty ? string.Empty : record.Targets[0], record.Traffic.Dns.Name, IdsOf([.. servingWorkloads]), detail));
        return new RecordedHandle(record.Targets.IsEmpty ? string.Empty : record.Targets[0], id);
    }

    /// <inheritdoc />
    public IPortHandle Provision(ClusterProvisionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var cluster = spec.Cluster;
        var pools = string.Join(", ", spec.Plan.Pools.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Pool} {p.MinNodes}..{p.MaxNodes} {p.InstanceType}")));
        var region = cluster.Region is null ? string.Empty : " " + cluster.Region;
        var standby = spec.Plan.State == ClusterState.Standby ? ", standby: pools at zero" : string.Empty;
        var detail = $"{Words.Of(cluster.Provider)} {Words.Service(cluster.Provider)} {cluster.KubernetesVersion}{region}, pools: {pools}{standby}";
        return Record(RecordedKind.Cluster, "cluster/" + cluster.Name, cluster.Name, cluster.Name, [], detail);
    }

    /// <inheritdoc />
    public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned) => Connect(cluster, provisioned, ConnectionOptions.Reachable);

    /// <inheritdoc />
    public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned, ConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        var detail = provisioned is not null
            ? $"kubeconfig of cluster {cluster.Name}"
            : cluster.Existing?.KubeconfigContext is { } context
                ? $"existing, kubeconfig context '{context}'"
                : cluster.Existing?.KubeconfigSecret is { } secret
                    ? $"existing, kubeconfig from secret config '{secret}'"
                    : "existing, ambient kubeconfig";
        detail += options.DeleteUnreachable ? "; lost: objects it loses leave the state without a delete against it"
            : options.SkipUnreachableUpdates ? "; unreachable: changes to its objects are skipped" : string.Empty;
        return Record(RecordedKind.Connection, "connection/" + cluster.Name, cluster.Name, cluster.Name, IdsOf(provisioned), detail);
    }

    /// <inheritdoc />
    public IPortHandle Install(IPortHandle connection, HelmRelease release, IReadOnlyList<IPortHandle> after)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(after);
        return Record(
            RecordedKind.Release, $"helm/{release.Key}@{connection.Cluster}", connection.Cluster, release.ReleaseName, IdsOf(connection, after), $"{(release.IsOciChart ? release.ReleaseName : release.Chart)} {release.Version}");
    }

    /// <inheritdoc />
    public IPortHandle Apply(IPortHandle connection, KubeObject workloadNamespace)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(workloadNamespace);
        var id = $"Namespace/{workloadNamespace.Name}@{connection.Cluster}";
        return Record(RecordedKind.Namespace, id, connection.Cluster, workloadNamespace.Name, IdsOf(connection), "namespace");
    }

    /// <inheritdoc />
    IPortHandle IObjectApplier.Apply(IPortHandle connection, KubeObject kubeObject, IReadOnlyList<IPortHandle> after)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(kubeObject);
        ArgumentNullException.ThrowIfNull(after);
        var name = kubeObject.Namespace.Length == 0 ? kubeObject.Name : $"{kubeObject.Namespace}/{kubeObject.Name}";
        var id = $"{kubeObject.Kind}/{name}@{connection.Cluster}";
        return Record(RecordedKind.KubeObject, id, connection.Cluster, name, IdsOf(connection, after), kubeObject.Kind);
    }

    /// <inheritdoc />
    IPortHandle IWorkloadApplier.Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after) =>
        ((IWorkloadApplier)this).Apply(connection, workload, after, WorkloadDeclaration.Default);

    /// <inheritdoc />
    IPortHandle IWorkloadApplier.Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after, WorkloadDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(declaration);
        var id = $"{workload.Kind}/{workload.Namespace}/{workload.Name}@{connection.Cluster}";
        var detail = declaration.Retain ? workload.Kind + " (finished: kept as its record)" : workload.Kind;
        return Record(RecordedKind.Workload, id, connection.Cluster, workload.Name, IdsOf(connection, after), detail);
    }

    /// <inheritdoc />
    public void Export(FleetOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        _exported.Add(outputs);
        var detail = string.Create(CultureInfo.InvariantCulture, $"{outputs.Clusters.Count} clusters, {outputs.Workloads.Count} workloads");
        _calls.Add(new RecordedCall(RecordedKind.Outputs, "outputs", string.Empty, "outputs", [], detail));
    }

    private static string PreviewLine(RecordedCall call) => call.Kind switch
    {
        RecordedKind.Cluster => $"+ cluster {call.Name} ({call.Detail})",
        RecordedKind.Connection => $"+ provider {call.Cluster} ({call.Detail})",
        RecordedKind.Release => $"+ helm {call.Detail} → {call.Cluster}",
        RecordedKind.KubeObject => $"+ {call.Detail} {call.Name} → {call.Cluster}",
        RecordedKind.Namespace => $"+ namespace {call.Name} → {call.Cluster}",
        RecordedKind.Workload => $"+ {call.Detail} {call.Name} → {call.Cluster}",
        RecordedKind.Traffic => call.Detail,
        _ => $"+ {call.Id}",
    };

    // Called for every declared resource: one exact-size array, no LINQ, no copy of the dependency list.
    private static ImmutableArray<string> IdsOf(IPortHandle connection, IReadOnlyList<IPortHandle> after)
    {
        var ids = ImmutableArray.CreateBuilder<string>(after.Count + 1);
        ids.Add(IdOf(connection));
        for (var i = 0; i < after.Count; i++)
        {
            if (after[i] is { } handle)
            {
                ids.Add(IdOf(handle));
            }
        }

        return ids.Count == ids.Capacity ? ids.MoveToImmutable() : ids.ToImmutable();
    }

    private static string IdOf(IPortHandle handle) => handle is RecordedHandle r ? r.Id : handle.ToString() ?? string.Empty;

    private static ImmutableArray<string> IdsOf(params IPortHandle?[] handles) =>
        [.. handles.OfType<IPortHandle>().Select(IdOf)];

    private RecordedHandle Record(RecordedKind kind, string id, string cluster, string name, ImmutableArray<string> dependsOn, string detail)
    {
        _calls.Add(new RecordedCall(kind, id, cluster, name, dependsOn, detail));
        return new RecordedHandle(cluster, id);
    }
}
