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
        };
        if (!release.IsOciChart)
        {
            // An OCI chart (oci://registry/path/chart) names its registry itself; the provider pulls it with no repository.
            releaseArgs.RepositoryOpts = new K8s.Types.Inputs.Helm.V3.RepositoryOptsArgs { Repo = release.Repository };
        }

        Release = new K8s.Helm.V3.Release(name, releaseArgs, new CustomResourceOptions { Parent = this, Provider = args.Provider, DependsOn = args.After.ToList(), DeletedWith = args.DeletedWith });

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

    /// <summary>The Helm release.</summary>
    public K8s.Helm.V3.Release Release { get; }

    /// <summary>The component type a release is declared under.</summary>
    public static string TypeTokenOf(HelmRelease release) =>
        release.Key == OperatorReleaseBuilder.Key ? OperatorTypeToken : AddonTypeToken;
}
