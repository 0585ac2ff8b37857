using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Manifests;

/// <summary>
/// The YAML render adapter behind <c>skyray render</c>: runs the orchestrator against ports that collect, per live
/// cluster, the kuberay-operator release and the rendered Ray objects, and turns them into a folder model.
/// Provisioning and connecting declare nothing here; the files are what a user applies to clusters they already have.
/// </summary>
public static class RenderAdapter
{
    /// <summary>File holding the operator release and its Helm values.</summary>
    public const string OperatorFile = "kuberay-operator.yaml";

    /// <summary>File beside <see cref="OperatorFile"/> holding the Helm values alone, for <c>helm --values</c> (written by <c>skyray render</c>).</summary>
    public const string OperatorValuesFile = "kuberay-operator.values.yaml";

    /// <summary>
    /// File holding the cluster's workload namespaces first, then its Ray objects (absent when none are placed there).
    /// Namespaces come first so one <c>kubectl apply -f workloads.yaml</c> works on a fresh cluster: kubectl applies
    /// the documents in order.
    /// </summary>
    public const string WorkloadsFile = "workloads.yaml";

    /// <summary>Renders a plan as one folder per live (active or standby) cluster.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="rendering">Rendering functions; null for the real ones.</param>
    /// <returns>The folder model; <see cref="RenderedFleet.WriteTo"/> puts it on disk.</returns>
    public static RenderedFleet Render(FleetSpec spec, FleetPlan plan, FleetRendering? rendering = null)
    {
        rendering ??= FleetRendering.Default;
        var collector = new Collector();
        FleetOrchestrator.Run(spec, plan, collector.Ports, rendering);

        var clusters = ImmutableSortedDictionary.CreateBuilder<string, RenderedCluster>(StringComparer.Ordinal);
        foreach (var (cluster, release) in collector.Releases)
        {
            var files = ImmutableArray.CreateBuilder<RenderedFile>();
            files.Add(new RenderedFile(OperatorFile, OperatorHeader(cluster, release) + rendering.Yaml([ReleaseDocument(release)])));
            if (collector.Objects.TryGetValue(cluster, out var objects) && objects.Count > 0)
            {
                var namespaces = collector.Namespaces.GetValueOrDefault(cluster) ?? [];
                var documents = namespaces.Concat(objects).Select(o => (JsonNode)o.Manifest.DeepClone());
                files.Add(new RenderedFile(WorkloadsFile, rendering.Yaml(documents)));
            }

            clusters[cluster] = new RenderedCluster(cluster, [.. files.OrderBy(f => f.Name, StringComparer.Ordinal)]);
        }

        return new RenderedFleet(clusters.ToImmutable());
    }

    /// <summary>The release as one YAML document: where the chart comes from, and the values to install it with.</summary>
    private static JsonObject ReleaseDocument(OperatorRelease release) => new()
    {
        ["releaseName"] = release.ReleaseName,
        ["chart"] = release.Chart,
        ["version"] = release.Version,
        ["repository"] = release.Repository,
        ["namespace"] = release.Namespace,
        ["values"] = release.Values.DeepClone(),
    };

    private static string OperatorHeader(string cluster, OperatorRelease release) =>
        $"# KubeRay operator for cluster {cluster}. Install with the values below, also written alone to {OperatorValuesFile} beside this file:\n" +
        $"#   helm upgrade --install {release.ReleaseName} {release.Chart} --repo {release.Repository} --version {release.Version} " +
        $"--namespace {release.Namespace} --create-namespace --values {OperatorValuesFile}\n";

    /// <summary>Ports that declare nothing and keep what the walk hands them, by cluster.</summary>
    private sealed class Collector : IClusterProvisioner, IClusterConnector, IOperatorInstaller, INamespaceApplier, IWorkloadApplier, IOutputExporter
    {
        public SortedDictionary<string, OperatorRelease> Releases { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<KubeObject>> Objects { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<KubeObject>> Namespaces { get; } = new(StringComparer.Ordinal);

        public FleetPorts Ports => new(this, this, this, this, this, this);

        public IPortHandle Provision(ClusterProvisionSpec spec) => new Handle(spec.Cluster.Name);

        public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned) => new Handle(cluster.Name);

        public IPortHandle Install(IPortHandle connection, OperatorRelease release)
        {
            Releases[connection.Cluster] = release;
            return new Handle(connection.Cluster);
        }

        public IPortHandle Apply(IPortHandle connection, KubeObject workloadNamespace)
        {
            Add(Namespaces, connection.Cluster, workloadNamespace);
            return new Handle(connection.Cluster);
        }

        public IPortHandle Apply(IPortHandle connection, IPortHandle kubeRayOperator, KubeObject workload)
        {
            Add(Objects, connection.Cluster, workload);
            return new Handle(connection.Cluster);
        }

        private static void Add(SortedDictionary<string, List<KubeObject>> byCluster, string cluster, KubeObject value)
        {
            if (!byCluster.TryGetValue(cluster, out var list))
            {
                byCluster[cluster] = list = [];
            }

            list.Add(value);
        }

        public void Export(FleetOutputs outputs)
        {
            // The folder holds manifests only; outputs are what `skyray plan` prints.
        }

        private sealed record Handle(string Cluster) : IPortHandle;
    }
}
