using Pulumi;
using SkyRay.Infra.Inputs;
using SkyRay.KubeRay.Rendering;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.KubeRay;

/// <summary>What a <see cref="ClusterRelease"/> installs.</summary>
/// <param name="Cluster">The cluster's name.</param>
/// <param name="Release">The release the core decided (chart, version, repository, namespace, values, wait and timeout).</param>
/// <param name="Provider">The cluster's Kubernetes provider.</param>
/// <param name="After">Resources the release is installed after (the releases it comes after).</param>
internal sealed record ClusterReleaseArgs(string Cluster, HelmRelease Release, K8s.Provider Provider, IReadOnlyList<Resource> After)
{
    /// <summary>The resource the release is deleted with (a cloud cluster's component: pulumi-kubernetes cannot delete a release
    /// whose cluster does not answer), or null.</summary>
    public Resource? DeletedWith { get; init; }

    /// <summary>The cluster's node pools: the release's pods need nodes, and when the cluster goes, the release and the Ray
    /// objects after it go while nodes still run. Empty for an existing cluster.</summary>
    public IReadOnlyList<Resource> NodePools { get; init; } = [];
}

/// <summary>
/// One Helm release on one cluster: the kuberay-operator (every Ray object of the cluster depends on it) or an add-on (Kueue, from its
/// OCI chart).
/// The KubeRay operator keeps its own component type, <see cref="OperatorTypeToken"/>, so stacks deployed before add-ons existed
/// keep their resource names.
/// </summary>
internal sealed class ClusterRelease : ComponentResource
{
    /// <summary>The component type of the KubeRay operator's release.</summary>
    public const string OperatorTypeToken = "skyray:kuberay:Operator";

    /// <summary>The component type of every other release.</summary>
    public const string AddonTypeToken = "skyray:cluster:Release";

    /// <summary>Installs the release.</summary>
    public ClusterRelease(string name, ClusterReleaseArgs args, ComponentResourceOptions? options = null)
        : base(TypeTokenOf(args.Release), name, options)
    {
        var release = args.Release;
        Key = release.Key;
        After = args.After;

        // The chart's CRDs, applied server-side from the chart version's own files before the release (which skips its
        // crds/ folder): Helm installs CRDs once and never upgrades them, so a new chart version would otherwise run
        // against the old CRDs. A new version means new URLs, so Pulumi updates the CRDs with the chart.
        var crds = release.Crds.IsDefault ? [] : release.Crds;
        IReadOnlyList<Resource> beforeCrds = [.. args.After, .. args.NodePools];
        Crds = [.. crds.Select(url => new K8s.Yaml.V2.ConfigFile(
            $"{name}-crd-{System.IO.Path.GetFileNameWithoutExtension(new Uri(url).AbsolutePath).Replace("ray.io_", "", StringComparison.Ordinal)}",
            new K8s.Types.Inputs.Yaml.V2.ConfigFileArgs { File = url },
            new ComponentResourceOptions { Parent = this, Provider = args.Provider, DependsOn = beforeCrds.ToList(), DeletedWith = args.DeletedWith }))];
        DependsOn = [.. beforeCrds, .. Crds];

        var releaseArgs = new K8s.Types.Inputs.Helm.V3.ReleaseArgs
        {
            Name = release.ReleaseName,
            Chart = release.Chart,
            Version = release.Version,
            Namespace = release.Namespace,
            CreateNamespace = true,
            Values = JsonInputs.ToInputMap(release.Values),
            SkipAwait = !release.Wait,
            Timeout = release.TimeoutSeconds,
            // Atomic waits, so it only applies where the run waits anyway.
            Atomic = release.Wait && release.Atomic,
            CleanupOnFail = release.CleanupOnFail,
            SkipCrds = !crds.IsEmpty,
        };
        if (!release.IsOciChart)
        {
            // An OCI chart (oci://registry/path/chart) names its registry itself; the provider pulls it with no repository.
            releaseArgs.RepositoryOpts = new K8s.Types.Inputs.Helm.V3.RepositoryOptsArgs { Repo = release.Repository };
        }

        Release = new K8s.Helm.V3.Release(name, releaseArgs, new CustomResourceOptions { Parent = this, Provider = args.Provider, DependsOn = DependsOn.ToList(), DeletedWith = args.DeletedWith });

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["chart"] = release.Chart,
            ["version"] = release.Version,
            ["namespace"] = release.Namespace,
        });
    }

    /// <summary>The release's key on its cluster.</summary>
    public string Key { get; }

    /// <summary>What the release is installed after (the releases it comes after).</summary>
    public IReadOnlyList<Resource> After { get; }

    /// <summary>The CRD manifests applied before the release, one per URL of <see cref="HelmRelease.Crds"/>.</summary>
    public IReadOnlyList<K8s.Yaml.V2.ConfigFile> Crds { get; }

    /// <summary>What the Helm release is declared after: the releases it comes after, the node pools, its CRDs.</summary>
    public IReadOnlyList<Resource> DependsOn { get; }

    /// <summary>The Helm release.</summary>
    public K8s.Helm.V3.Release Release { get; }

    /// <summary>The component type a release is declared under.</summary>
    public static string TypeTokenOf(HelmRelease release) =>
        release.Key == OperatorReleaseBuilder.Key ? OperatorTypeToken : AddonTypeToken;
}
