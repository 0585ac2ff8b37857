using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Clusters;
using SkyRay.Infra.Inputs;
using SkyRay.Infra.KubeRay;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.Ports;

/// <summary>A provisioned cloud cluster and its planned state.</summary>
internal sealed record ClusterHandle(string Cluster, FleetCluster Component, ClusterState State) : IPortHandle;

/// <summary>A connected cluster: its component, its Kubernetes provider, and its planned state (null for existing clusters).</summary>
internal sealed record ConnectionHandle(string Cluster, FleetCluster Component, K8s.Provider Provider, ClusterState? State) : IPortHandle
{
    /// <summary>
    /// What the cluster's Kubernetes objects are deleted with: a provisioned cluster's component, so a cluster that leaves the
    /// program (removed, deleted on standby, lost) takes its objects with it and no delete is sent to an API server that is going
    /// away; null for an existing cluster, whose objects SkyRay deletes one by one.
    /// </summary>
    public Resource? DeletedWith => State is null ? null : Component;
}

/// <summary>A handle of something declared on a cluster that later resources can depend on.</summary>
internal interface IDeclaredHandle : IPortHandle
{
    /// <summary>The resource dependents wait for.</summary>
    Resource Resource { get; }
}

/// <summary>An installed Helm release.</summary>
internal sealed record ReleaseHandle(string Cluster, ClusterRelease Component) : IDeclaredHandle
{
    /// <inheritdoc />
    public Resource Resource => Component.Release;
}

/// <summary>A declared workload namespace.</summary>
internal sealed record NamespaceHandle(string Cluster, string Namespace, K8s.Core.V1.Namespace Declared) : IDeclaredHandle
{
    /// <inheritdoc />
    public Resource Resource => Declared;
}

/// <summary>A declared plain Kubernetes object.</summary>
internal sealed record ObjectHandle(string Cluster, DeclaredObject Declared) : IDeclaredHandle
{
    /// <inheritdoc />
    public Resource Resource => Declared;
}

/// <summary>An applied Ray object.</summary>
internal sealed record WorkloadHandle(string Cluster, RayWorkload Component) : IPortHandle;

/// <summary>Provisions EKS, AKS and GKE clusters as <see cref="FleetCluster"/> components.</summary>
/// <param name="catalog">Instance catalog (GPU details of pool instance types).</param>
internal sealed class PulumiClusterProvisioner(InstanceCatalog catalog) : IClusterProvisioner
{
    /// <inheritdoc />
    public IPortHandle Provision(ClusterProvisionSpec spec) =>
        new ClusterHandle(spec.Cluster.Name, new FleetCluster(new FleetClusterArgs(spec.Cluster, spec.Plan, catalog, Autoscaling: spec.Autoscaling)), spec.Plan.State);
}

/// <summary>
/// Connects clusters: one Kubernetes provider per cluster, named <c>&lt;cluster&gt;-k8s</c>, from the provisioned
/// kubeconfig, an existing cluster's secret kubeconfig, or a context of the ambient kubeconfig; on an EKS cluster the
/// core gave a Cluster Autoscaler, also its Helm release <c>&lt;cluster&gt;-cluster-autoscaler</c> on that provider.
/// </summary>
/// <param name="catalog">Instance catalog.</param>
/// <param name="readSecret">Reads a secret config value by its full key (<c>namespace:key</c>).</param>
internal sealed class PulumiClusterConnector(InstanceCatalog catalog, Func<string, Output<string>> readSecret) : IClusterConnector
{
    private readonly SortedDictionary<string, Output<string>> _kubeconfigs = new(StringComparer.Ordinal);

    /// <summary>Kubeconfig (secret) of every connected cluster that has one, by cluster name.</summary>
    public IReadOnlyDictionary<string, Output<string>> Kubeconfigs => _kubeconfigs;

    /// <inheritdoc />
    public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned) => Connect(cluster, provisioned, ConnectionOptions.Reachable);

    /// <inheritdoc />
    public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned, ConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var component = provisioned switch
        {
            ClusterHandle handle => handle.Component,
            null => new FleetCluster(new FleetClusterArgs(
                cluster,
                null,
                catalog,
                cluster.Existing?.KubeconfigSecret is { } key ? readSecret(key) : null)),
            _ => throw new ArgumentException($"handle of type {provisioned?.GetType().Name} does not come from the Pulumi adapter", nameof(provisioned)),
        };

        var args = new K8s.ProviderArgs();
        if (component.Kubeconfig is { } kubeconfig)
        {
            args.KubeConfig = kubeconfig;
            _kubeconfigs[cluster.Name] = kubeconfig;
        }

        if (cluster.Existing?.KubeconfigContext is { } context)
        {
            args.Context = context;
        }

        // Decided by the core from observations: an unreachable cluster's updates are skipped rather than failing the run, and a
        // lost cluster's objects that leave the program leave the state without a delete against its API server.
        if (options.SkipUnreachableUpdates)
        {
            args.SkipUpdateUnreachable = true;
        }

        if (options.DeleteUnreachable)
        {
            args.DeleteUnreachable = true;
        }

        var provider = new K8s.Provider(NodePools.ChildName(cluster.Name, "k8s"), args, new CustomResourceOptions { Parent = component });
        if (component.Autoscaler is { } autoscaler)
        {
            // The release needs the provider, which exists only from here on; the cloud side is already declared.
            _ = ClusterAutoscaler.Install(cluster.Name, autoscaler, provider, component);
        }

        return new ConnectionHandle(cluster.Name, component, provider, (provisioned as ClusterHandle)?.State);
    }
}

/// <summary>
/// Installs each release the core decides on as a <see cref="ClusterRelease"/> under the cluster's component, named
/// <c>&lt;cluster&gt;-&lt;key&gt;</c> (the KubeRay operator: <c>&lt;cluster&gt;-kuberay</c>), after the releases it comes after.
/// </summary>
internal sealed class PulumiReleaseInstaller : IReleaseInstaller
{
    /// <inheritdoc />
    public IPortHandle Install(IPortHandle connection, HelmRelease release, IReadOnlyList<IPortHandle> after)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(after);
        var target = PulumiPortHandles.Connection(connection);
        var component = new ClusterRelease(
            NodePools.ChildName(target.Cluster, release.Key),
            new ClusterReleaseArgs(target.Cluster, release, target.Provider, PulumiPortHandles.Resources(after)) { DeletedWith = target.DeletedWith, NodePools = target.Component.NodeResources },
            new ComponentResourceOptions { Parent = target.Component });
        return new ReleaseHandle(target.Cluster, component);
    }
}

/// <summary>
/// Declares plain Kubernetes objects (NetworkPolicies, queues, ...) as generic resources of their own apiVersion and kind on the
/// cluster's provider, parented to the cluster's component, named <c>&lt;cluster&gt;-&lt;kind&gt;-&lt;namespace&gt;-&lt;name&gt;</c>
/// (lower case; cluster-scoped objects without the namespace part).
/// </summary>
internal sealed class PulumiObjectApplier : IObjectApplier
{
    /// <inheritdoc />
    public IPortHandle Apply(IPortHandle connection, KubeObject kubeObject, IReadOnlyList<IPortHandle> after)
    {
        ArgumentNullException.ThrowIfNull(kubeObject);
        ArgumentNullException.ThrowIfNull(after);
        var target = PulumiPortHandles.Connection(connection);
        var declared = new DeclaredObject(
            NodePools.ChildName(target.Cluster, ObjectResourceName(kubeObject)),
            KubeObjectArgs.From(kubeObject),
            PulumiPortHandles.Resources(after),
            new CustomResourceOptions { Parent = target.Component, Provider = target.Provider, DeletedWith = target.DeletedWith });
        return new ObjectHandle(target.Cluster, declared);
    }

    /// <summary>The part of the resource name after the cluster's: kind, namespace (when namespaced) and name, lower case.</summary>
    public static string ObjectResourceName(KubeObject kubeObject)
    {
        ArgumentNullException.ThrowIfNull(kubeObject);
        var kind = kubeObject.Kind.ToLowerInvariant();
        return kubeObject.Namespace.Length == 0 ? $"{kind}-{kubeObject.Name}" : $"{kind}-{kubeObject.Namespace}-{kubeObject.Name}";
    }
}

/// <summary>
/// Declares the workload namespaces the core decides on (<c>WorkloadNamespaces</c>): one <c>v1 Namespace</c> per call,
/// on the cluster's Kubernetes provider, parented to the cluster's component, named <c>&lt;cluster&gt;-ns-&lt;namespace&gt;</c>.
/// The core calls it once per cluster and namespace, so the adapter keeps no bookkeeping of its own.
/// </summary>
internal sealed class PulumiNamespaceApplier : INamespaceApplier
{
    /// <inheritdoc />
    public IPortHandle Apply(IPortHandle connection, KubeObject workloadNamespace)
    {
        ArgumentNullException.ThrowIfNull(workloadNamespace);
        var target = PulumiPortHandles.Connection(connection);
        var metadata = workloadNamespace.Manifest["metadata"] as JsonObject;
        var created = new K8s.Core.V1.Namespace(NodePools.ChildName(target.Cluster, "ns-" + workloadNamespace.Name), new K8s.Types.Inputs.Core.V1.NamespaceArgs
        {
            Metadata = new K8s.Types.Inputs.Meta.V1.ObjectMetaArgs
            {
                // An explicit name: without it pulumi-kubernetes would auto-name the namespace with a random suffix.
                Name = workloadNamespace.Name,
                Labels = JsonInputs.ToStringMap(metadata?["labels"] as JsonObject),
                Annotations = JsonInputs.ToStringMap(metadata?["annotations"] as JsonObject),
            },
        }, new CustomResourceOptions
        {
            Parent = target.Component,
            Provider = target.Provider,
            DeletedWith = target.DeletedWith,
            // A namespace that no workload of the config uses any more may still hold a finished job's record (or what a team put
            // there): deleting it would delete them. It stays on the cluster, out of the state; declared again, it is applied again.
            RetainOnDelete = true,
        });
        return new NamespaceHandle(target.Cluster, workloadNamespace.Name, created);
    }
}

/// <summary>Applies Ray objects as <see cref="RayWorkload"/> components under the cluster's component.</summary>
internal sealed class PulumiWorkloadApplier : IWorkloadApplier
{
    /// <inheritdoc />
    public IPortHandle Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after) =>
        Apply(connection, workload, after, WorkloadDeclaration.Default);

    /// <inheritdoc />
    public IPortHandle Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after, WorkloadDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(declaration);
        var target = PulumiPortHandles.Connection(connection);
        foreach (var handle in after)
        {
            if (handle is NamespaceHandle ns && !(string.Equals(ns.Cluster, target.Cluster, StringComparison.Ordinal) && string.Equals(ns.Namespace, workload.Namespace, StringComparison.Ordinal)))
            {
                throw new ArgumentException(
                    $"namespace '{ns.Namespace}' of cluster '{ns.Cluster}' is not where '{workload.Name}' goes ({workload.Namespace} on {target.Cluster})", nameof(after));
            }
        }

        var component = new RayWorkload(
            NodePools.ChildName(target.Cluster, workload.Name),
            new RayWorkloadArgs(target.Cluster, workload, target.Provider, PulumiPortHandles.Resources(after)) { Retain = declaration.Retain, DeletedWith = target.DeletedWith },
            new ComponentResourceOptions { Parent = target.Component });
        return new WorkloadHandle(target.Cluster, component);
    }
}

/// <summary>Exports the orchestrator's outputs as stack outputs, written by the core's one writer (<see cref="StackOutputs.Write"/>).</summary>
internal sealed class PulumiOutputExporter : IOutputExporter
{
    private readonly SortedDictionary<string, object?> _outputs = new(StringComparer.Ordinal);

    /// <summary>The stack outputs exported so far.</summary>
    public IReadOnlyDictionary<string, object?> Outputs => _outputs;

    /// <summary>The outputs the core decided (what <see cref="Export"/> was given).</summary>
    public FleetOutputs Decided { get; private set; } = new(
        ImmutableSortedDictionary<string, ClusterOutput>.Empty, ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty, [], string.Empty);

    /// <inheritdoc />
    public void Export(FleetOutputs outputs)
    {
        Decided = outputs;
        foreach (var (name, value) in StackOutputs.Write(outputs))
        {
            _outputs[name] = JsonInputs.ToOutput(value);
        }
    }
}

/// <summary>Unwraps this adapter's handles.</summary>
internal static class PulumiPortHandles
{
    /// <summary>The connection behind a handle.</summary>
    /// <exception cref="ArgumentException">The handle comes from another adapter.</exception>
    public static ConnectionHandle Connection(IPortHandle handle) =>
        handle as ConnectionHandle ?? throw new ArgumentException("the connection handle does not come from the Pulumi adapter", nameof(handle));

    /// <summary>The resources behind handles something is declared after.</summary>
    /// <exception cref="ArgumentException">A handle comes from another adapter or stands for nothing to wait for.</exception>
    public static IReadOnlyList<Resource> Resources(IReadOnlyList<IPortHandle> handles) =>
        [.. handles.Select(h => (h as IDeclaredHandle)?.Resource
            ?? throw new ArgumentException($"a handle of type {h.GetType().Name} is nothing to wait for in the Pulumi adapter", nameof(handles)))];
}

/// <summary>The ports wired together, plus what the program exports after the orchestrator ran.</summary>
internal sealed class PulumiFleetPorts
{
    /// <summary>Creates the adapter.</summary>
    /// <param name="catalog">Instance catalog of the stack.</param>
    /// <param name="readSecret">Reads a secret config value by its full key (<c>namespace:key</c>).</param>
    public PulumiFleetPorts(InstanceCatalog catalog, Func<string, Output<string>> readSecret)
    {
        Connector = new PulumiClusterConnector(catalog, readSecret);
        Exporter = new PulumiOutputExporter();
        Traffic = new PulumiTrafficSwitch();
        Ports = new FleetPorts(
            new PulumiClusterProvisioner(catalog),
            Traffic.Remembering(Connector),
            new PulumiReleaseInstaller(),
            new PulumiWorkloadApplier(),
            new PulumiObjectApplier(),
            Exporter,
            new PulumiNamespaceApplier(),
            Traffic);
    }

    /// <summary>The ports for the orchestrator.</summary>
    public FleetPorts Ports { get; }

    /// <summary>The connector (it collects the kubeconfigs).</summary>
    public PulumiClusterConnector Connector { get; }

    /// <summary>The traffic switch (DNS records; it learns each cluster's Kubernetes provider through the connector).</summary>
    public PulumiTrafficSwitch Traffic { get; }

    /// <summary>The exporter (it collects the outputs).</summary>
    public PulumiOutputExporter Exporter { get; }

    /// <summary>The stack outputs: the orchestrator's outputs plus <c>kubeconfigs</c>, one secret map of every cluster's kubeconfig.</summary>
    public Dictionary<string, object?> StackOutputs()
    {
        var result = new Dictionary<string, object?>(Exporter.Outputs, StringComparer.Ordinal);
        if (Traffic.ReadAddresses.Count > 0)
        {
            // Addresses the traffic switch read itself (no observation) join the observed ones the core wrote.
            var observed = Exporter.Decided.TrafficAddresses;
            var names = Traffic.ReadAddresses.Keys.ToImmutableArray();
            result[Orchestration.Outputs.StackOutputs.TrafficAddressesOutput] = Output.All(Traffic.ReadAddresses.Values).Apply(read =>
                observed.SetItems(names.Zip(read).Select(p => KeyValuePair.Create(p.First, p.Second))).ToImmutableSortedDictionary(
                    p => p.Key, p => p.Value.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal));
        }

        if (Connector.Kubeconfigs.Count > 0)
        {
            var names = Connector.Kubeconfigs.Keys.ToImmutableArray();
            var all = Output.All(Connector.Kubeconfigs.Values).Apply(values =>
                names.Zip(values).ToImmutableSortedDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
            result["kubeconfigs"] = Output.CreateSecret(all);
        }

        return result;
    }
}
