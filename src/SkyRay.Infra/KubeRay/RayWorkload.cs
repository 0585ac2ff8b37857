using Pulumi;
using SkyRay.KubeRay.Rendering;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.KubeRay;

/// <summary>What a <see cref="RayWorkload"/> applies.</summary>
/// <param name="Cluster">The target cluster's name.</param>
/// <param name="Rendered">The rendered Ray object.</param>
/// <param name="Provider">The cluster's Kubernetes provider.</param>
/// <param name="Operator">The cluster's operator release; the object waits for it (its CRDs must exist).</param>
/// <param name="Namespace">The object's namespace when SkyRay creates it (declared through the namespace port), else null.</param>
internal sealed record RayWorkloadArgs(
    string Cluster,
    KubeObject Rendered,
    K8s.Provider Provider,
    K8s.Helm.V3.Release Operator,
    K8s.Core.V1.Namespace? Namespace);

/// <summary>One copy of a Ray workload on one cluster: a RayCluster, RayJob or RayService object.</summary>
internal sealed class RayWorkload : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "skyray:kuberay:Workload";

    /// <summary>Applies the object.</summary>
    public RayWorkload(string name, RayWorkloadArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        var dependsOn = new List<Resource> { args.Operator };
        if (args.Namespace is not null)
        {
            dependsOn.Add(args.Namespace);
        }

        Cluster = args.Cluster;
        Rendered = args.Rendered;
        DependsOn = dependsOn;
        RayObject = RayObjects.Declare(name, args.Rendered, new CustomResourceOptions
        {
            Parent = this,
            Provider = args.Provider,
            DependsOn = dependsOn,
        });

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["cluster"] = args.Cluster,
            ["kind"] = args.Rendered.Kind,
            ["namespace"] = args.Rendered.Namespace,
            ["name"] = args.Rendered.Name,
        });
    }

    /// <summary>The target cluster's name.</summary>
    public string Cluster { get; }

    /// <summary>The rendered Ray object this applies.</summary>
    public KubeObject Rendered { get; }

    /// <summary>What the Ray object waits for: the operator release, then its namespace when SkyRay creates it.</summary>
    public IReadOnlyList<Resource> DependsOn { get; }

    /// <summary>The Ray object.</summary>
    public K8s.ApiExtensions.CustomResource RayObject { get; }
}
