using Pulumi;
using SkyRay.Infra.Inputs;
using SkyRay.KubeRay.Rendering;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.KubeRay;

/// <summary>What a <see cref="KubeRayOperator"/> installs.</summary>
/// <param name="Cluster">The cluster's name.</param>
/// <param name="Release">The release the core built (chart, version, repository, namespace, values).</param>
/// <param name="Provider">The cluster's Kubernetes provider.</param>
/// <param name="SkipAwait">Declare the release without waiting for its pods (a suspended cluster has no nodes).</param>
internal sealed record KubeRayOperatorArgs(string Cluster, OperatorRelease Release, K8s.Provider Provider, bool SkipAwait = false);

/// <summary>The kuberay-operator Helm release on one cluster; every Ray object of the cluster depends on it.</summary>
internal sealed class KubeRayOperator : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "skyray:kuberay:Operator";

    /// <summary>Installs the release.</summary>
    public KubeRayOperator(string name, KubeRayOperatorArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        var release = args.Release;
        Release = new K8s.Helm.V3.Release(name, new K8s.Types.Inputs.Helm.V3.ReleaseArgs
        {
            Name = release.ReleaseName,
            Chart = release.Chart,
            Version = release.Version,
            Namespace = release.Namespace,
            CreateNamespace = true,
            RepositoryOpts = new K8s.Types.Inputs.Helm.V3.RepositoryOptsArgs { Repo = release.Repository },
            Values = JsonInputs.ToInputMap(release.Values),
            SkipAwait = args.SkipAwait,
        }, new CustomResourceOptions { Parent = this, Provider = args.Provider });

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["chart"] = release.Chart,
            ["version"] = release.Version,
            ["namespace"] = release.Namespace,
        });
    }

    /// <summary>The Helm release.</summary>
    public K8s.Helm.V3.Release Release { get; }
}
