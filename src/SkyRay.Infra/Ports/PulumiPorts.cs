using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Clusters;
using SkyRay.Infra.Config;
using SkyRay.Infra.Inputs;
using SkyRay.Infra.KubeRay;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.Ports;

/// <summary>A provisioned cloud cluster and its planned state.</summary>
internal sealed record ClusterHandle(string Cluster, FleetCluster Component, ClusterState State) : IPortHandle;

/// <summary>A connected cluster: its component, its Kubernetes provider, and its planned state (null for existing clusters).</summary>
internal sealed record ConnectionHandle(string Cluster, FleetCluster Component, K8s.Provider Provider, ClusterState? State) : IPortHandle;

/// <summary>An installed operator.</summary>
internal sealed record OperatorHandle(string Cluster, KubeRayOperator Component, string Namespace) : IPortHandle;

/// <summary>A declared workload namespace.</summary>
internal sealed record NamespaceHandle(string Cluster, string Namespace, K8s.Core.V1.Namespace Resource) : IPortHandle;

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
    public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned)
    {
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

        var provider = new K8s.Provider(NodePools.ChildName(cluster.Name, "k8s"), args, new CustomResourceOptions { Parent = component });
        if (component.Autoscaler is { } autoscaler)
        {
            // The release needs the provider, which exists only from here on; the cloud side is already declared.
            _ = ClusterAutoscaler.Install(cluster.Name, autoscaler, provider, component);
        }

        return new ConnectionHandle(cluster.Name, component, provider, (provisioned as ClusterHandle)?.State);
    }
}

/// <summary>Installs the kuberay-operator chart as a <see cref="KubeRayOperator"/> under the cluster's component.</summary>
internal sealed class PulumiOperatorInstaller : IOperatorInstaller
{
    /// <inheritdoc />
    public IPortHandle Install(IPortHandle connection, OperatorRelease release)
    {
        var target = PulumiPortHandles.Connection(connection);
        var component = new KubeRayOperator(
            NodePools.ChildName(target.Cluster, "kuberay"),
            // A suspended cluster has no node to run the operator on: declare the release without waiting for it.
            new KubeRayOperatorArgs(target.Cluster, release, target.Provider, SkipAwait: target.State == ClusterState.Standby),
            new ComponentResourceOptions { Parent = target.Component });
        return new OperatorHandle(target.Cluster, component, release.Namespace);
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
        }, new CustomResourceOptions { Parent = target.Component, Provider = target.Provider });
        return new NamespaceHandle(target.Cluster, workloadNamespace.Name, created);
    }
}

/// <summary>Applies Ray objects as <see cref="RayWorkload"/> components under the cluster's component.</summary>
internal sealed class PulumiWorkloadApplier : IWorkloadApplier
{
    /// <inheritdoc />
    public IPortHandle Apply(IPortHandle connection, IPortHandle kubeRayOperator, KubeObject workload) =>
        Apply(connection, kubeRayOperator, workload, null);

    /// <inheritdoc />
    public IPortHandle Apply(IPortHandle connection, IPortHandle kubeRayOperator, KubeObject workload, IPortHandle? workloadNamespace)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var target = PulumiPortHandles.Connection(connection);
        var installed = kubeRayOperator as OperatorHandle
            ?? throw new ArgumentException("the operator handle does not come from the Pulumi adapter", nameof(kubeRayOperator));
        var created = workloadNamespace switch
        {
            null => null,
            NamespaceHandle handle when string.Equals(handle.Cluster, target.Cluster, StringComparison.Ordinal)
                && string.Equals(handle.Namespace, workload.Namespace, StringComparison.Ordinal) => handle.Resource,
            NamespaceHandle handle => throw new ArgumentException(
                $"namespace '{handle.Namespace}' of cluster '{handle.Cluster}' is not where '{workload.Name}' goes ({workload.Namespace} on {target.Cluster})",
                nameof(workloadNamespace)),
            _ => throw new ArgumentException("the namespace handle does not come from the Pulumi adapter", nameof(workloadNamespace)),
        };
        var component = new RayWorkload(
            NodePools.ChildName(target.Cluster, workload.Name),
            new RayWorkloadArgs(target.Cluster, workload, target.Provider, installed.Component.Release, created),
            new ComponentResourceOptions { Parent = target.Component });
        return new WorkloadHandle(target.Cluster, component);
    }
}

/// <summary>Exports the orchestrator's outputs as stack outputs (plain maps, lists and strings).</summary>
internal sealed class PulumiOutputExporter : IOutputExporter
{
    private readonly SortedDictionary<string, object?> _outputs = new(StringComparer.Ordinal);

    /// <summary>The stack outputs exported so far.</summary>
    public IReadOnlyDictionary<string, object?> Outputs => _outputs;

    /// <inheritdoc />
    public void Export(FleetOutputs outputs)
    {
        _outputs[PreviousRun.ClustersOutput] = outputs.Clusters.ToImmutableSortedDictionary(
            c => c.Key,
            c => (object?)ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, object?>
            {
                ["provider"] = c.Value.Provider,
                ["kubernetesVersion"] = c.Value.KubernetesVersion,
                ["lifecycle"] = c.Value.Lifecycle,
                ["state"] = c.Value.State,
                ["idleSince"] = c.Value.IdleSince,
            }.Where(p => p.Value is not null)),
            StringComparer.Ordinal);
        _outputs["workloads"] = outputs.Workloads.ToImmutableSortedDictionary(w => w.Key, w => (object?)w.Value, StringComparer.Ordinal);
        _outputs["explanation"] = outputs.Explanation;
        _outputs[PreviousRun.PlacementsOutput] = outputs.Placements;
        _outputs[UpgradeJson.Output] = UpgradeJson.Write(outputs.Upgrades);
        _outputs[UpgradeJson.TrafficOutput] = outputs.Traffic.ToImmutableSortedDictionary(t => t.Key, t => (object?)t.Value, StringComparer.Ordinal);
    }
}

/// <summary>Unwraps this adapter's handles.</summary>
internal static class PulumiPortHandles
{
    /// <summary>The connection behind a handle.</summary>
    /// <exception cref="ArgumentException">The handle comes from another adapter.</exception>
    public static ConnectionHandle Connection(IPortHandle handle) =>
        handle as ConnectionHandle ?? throw new ArgumentException("the connection handle does not come from the Pulumi adapter", nameof(handle));
}

/// <summary>The six ports wired together, plus what the program exports after the orchestrator ran.</summary>
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
            new PulumiOperatorInstaller(),
            new PulumiWorkloadApplier(),
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
