using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Manifests;

/// <summary>
/// The YAML render adapter behind <c>skyray render</c>: runs the orchestrator against ports that collect, per live
/// cluster, the Helm releases (the kuberay-operator and any add-on) and the rendered objects, and turns them into a folder model.
/// Provisioning and connecting declare nothing here; the files are what a user applies to clusters they already have.
/// </summary>
public static class RenderAdapter
{
    /// <summary>
    /// Subfolder of a cluster folder holding the Helm releases: release descriptors and values files are not Kubernetes
    /// objects, so they stay out of the cluster folder itself, which <c>kubectl apply -f &lt;cluster folder&gt;</c> applies
    /// (kubectl reads subfolders only with <c>-R</c>).
    /// </summary>
    public const string HelmFolder = "helm";

    /// <summary>File holding the operator release and its Helm values (every release gets <c>helm/&lt;release name&gt;.yaml</c>).</summary>
    public const string OperatorFile = HelmFolder + "/" + OperatorReleaseBuilder.ChartName + ".yaml";

    /// <summary>Ending of the file beside each release's holding its Helm values alone, for <c>helm --values</c>.</summary>
    public const string ValuesSuffix = ".values.yaml";

    /// <summary>File beside <see cref="OperatorFile"/> holding the operator's Helm values alone.</summary>
    public const string OperatorValuesFile = HelmFolder + "/" + OperatorReleaseBuilder.ChartName + ValuesSuffix;

    /// <summary>
    /// File holding the cluster's workload namespaces first, then its other objects, then each workload's objects and Ray
    /// object (absent when there are none). Namespaces come first so one <c>kubectl apply -f workloads.yaml</c> works on a
    /// fresh cluster: kubectl applies the documents in order.
    /// </summary>
    public const string WorkloadsFile = "workloads.yaml";

    /// <summary>Renders a run as one folder per live (active or standby) cluster.</summary>
    /// <param name="run">The decided run (<see cref="Runs.RunPlanner.Plan"/>).</param>
    /// <param name="rendering">Rendering functions; null for the real ones.</param>
    /// <returns>The folder model; <see cref="RenderedFleet.WriteTo"/> puts it on disk.</returns>
    public static RenderedFleet Render(Runs.RunPlan run, FleetRendering? rendering = null)
    {
        rendering ??= FleetRendering.Default;
        // With the default YAML writer each object is written to text as soon as it is applied, and its tree is left to
        // the collector: a document of the default writer's stream is the object written alone, and keeping every tree
        // until the end held hundreds of megabytes for a fleet of 20,000 workloads. Another writer gets the trees.
        var collector = new Collector(rendering.Yaml == FleetRendering.Default.Yaml);
        FleetOrchestrator.Declare(run, collector.Ports, rendering);

        var clusters = ImmutableSortedDictionary.CreateBuilder<string, RenderedCluster>(StringComparer.Ordinal);
        foreach (var (cluster, releases) in collector.Releases)
        {
            var files = ImmutableArray.CreateBuilder<RenderedFile>();
            foreach (var release in releases)
            {
                files.Add(new RenderedFile($"{HelmFolder}/{release.ReleaseName}.yaml", ReleaseHeader(cluster, release) + rendering.Yaml([ReleaseDocument(release)])));
                files.Add(new RenderedFile($"{HelmFolder}/{release.ReleaseName}{ValuesSuffix}", ManifestYaml.WriteOne(release.Values)));
            }

            if (collector.Objects.TryGetValue(cluster, out var objects) && objects.Count > 0)
            {
                var documents = (collector.Namespaces.GetValueOrDefault(cluster) ?? []).Concat(objects);
                files.Add(new RenderedFile(WorkloadsFile, collector.Eager
                    ? string.Join("---\n", documents.Select(d => d.Text))
                    : rendering.Yaml(documents.Select(d => (JsonNode)d.Object!.Manifest))));
            }

            clusters[cluster] = new RenderedCluster(cluster, [.. files.OrderBy(f => f.Name, StringComparer.Ordinal)]);
        }

        return new RenderedFleet(clusters.ToImmutable());
    }

    /// <summary>The release as one YAML document: where the chart comes from, and the values to install it with. An OCI chart
    /// (<see cref="HelmRelease.IsOciChart"/>) has no repository: its <c>chart</c> is the registry reference.</summary>
    private static JsonObject ReleaseDocument(HelmRelease release)
    {
        var document = new JsonObject
        {
            ["releaseName"] = release.ReleaseName,
            ["chart"] = release.Chart,
            ["version"] = release.Version,
        };
        if (!release.IsOciChart)
        {
            document["repository"] = release.Repository;
        }

        document["namespace"] = release.Namespace;
        document["values"] = release.Values.DeepClone();
        return document;
    }

    /// <summary>The comment above a release: the <c>helm upgrade --install</c> line, with <c>--repo</c> for a chart repository and the
    /// <c>oci://</c> reference itself for an OCI chart, which names its registry (Kueue's install guide: <c>helm install kueue oci://… --version …</c>).</summary>
    private static string ReleaseHeader(string cluster, HelmRelease release)
    {
        var crds = release.Crds.IsDefaultOrEmpty ? [] : release.Crds;
        var header = $"# Helm release {release.ReleaseName} for cluster {cluster}. Install with the values below, also written alone to {release.ReleaseName}{ValuesSuffix} beside this file:\n";
        if (!crds.IsEmpty)
        {
            // Helm installs a chart's CRDs once and never upgrades them: apply this version's first, as the Pulumi program does.
            header += $"#   kubectl apply --server-side {string.Join(" ", crds.Select(u => "-f " + u))}\n";
        }

        return header +
            $"#   helm upgrade --install {release.ReleaseName} {release.Chart}{(release.IsOciChart ? string.Empty : $" --repo {release.Repository}")} --version {release.Version} " +
            $"--namespace {release.Namespace} --create-namespace{(crds.IsEmpty ? "" : " --skip-crds")} --values {release.ReleaseName}{ValuesSuffix}\n";
    }

    /// <summary>Ports that declare nothing and keep what the walk hands them, by cluster, in walk order.</summary>
    /// <summary>An object of a cluster's workloads file: its YAML text (eager collection) or the object itself.</summary>
    private readonly record struct Document(KubeObject? Object, string? Text);

    private sealed class Collector(bool eager) : IClusterProvisioner, IClusterConnector, IReleaseInstaller, INamespaceApplier, IObjectApplier, IWorkloadApplier, IOutputExporter
    {
        public bool Eager { get; } = eager;

        public SortedDictionary<string, List<HelmRelease>> Releases { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<Document>> Objects { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<Document>> Namespaces { get; } = new(StringComparer.Ordinal);

        public FleetPorts Ports => new(this, this, this, this, this, this, this);

        public IPortHandle Provision(ClusterProvisionSpec spec) => new Handle(spec.Cluster.Name);

        public IPortHandle Connect(ClusterSpec cluster, IPortHandle? provisioned) => new Handle(cluster.Name);

        public IPortHandle Install(IPortHandle connection, HelmRelease release, IReadOnlyList<IPortHandle> after)
        {
            Add(Releases, connection.Cluster, release);
            return new Handle(connection.Cluster);
        }

        public IPortHandle Apply(IPortHandle connection, KubeObject workloadNamespace)
        {
            Add(Namespaces, connection.Cluster, Collect(workloadNamespace));
            return new Handle(connection.Cluster);
        }

        public IPortHandle Apply(IPortHandle connection, KubeObject kubeObject, IReadOnlyList<IPortHandle> after)
        {
            // Objects and Ray objects share one file, in walk order: a workload's objects come right before it.
            Add(Objects, connection.Cluster, Collect(kubeObject));
            return new Handle(connection.Cluster);
        }

        private Document Collect(KubeObject kubeObject) => Eager ? new Document(null, ManifestYaml.WriteOne(kubeObject.Manifest)) : new Document(kubeObject, null);

        private static void Add<T>(SortedDictionary<string, List<T>> byCluster, string cluster, T value)
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
