using Pulumi;
using SkyRay.KubeRay.Rendering;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.KubeRay;

/// <summary>What a <see cref="RayWorkload"/> applies.</summary>
/// <param name="Cluster">The target cluster's name.</param>
/// <param name="Rendered">The rendered Ray object.</param>
/// <param name="Provider">The cluster's Kubernetes provider.</param>
/// <param name="After">What the object is declared after, as the core ordered it: the cluster's operator release (its CRDs must
/// exist), the object's namespace when SkyRay creates it, then the objects that go with it.</param>
internal sealed record RayWorkloadArgs(
    string Cluster,
    KubeObject Rendered,
    K8s.Provider Provider,
    IReadOnlyList<Resource> After)
{
    /// <summary>The record of a finished RayJob, declared for the last time: kept on the cluster when it leaves the program, and never
    /// changed (so never replaced, so never run again).</summary>
    public bool Retain { get; init; }

    /// <summary>The resource the object is deleted with (the cloud cluster's component), or null.</summary>
    public Resource? DeletedWith { get; init; }
}

/// <summary>One copy of a Ray workload on one cluster: a RayCluster, RayJob or RayService object.</summary>
internal sealed class RayWorkload : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "skyray:kuberay:Workload";

    /// <summary>Applies the object.</summary>
    public RayWorkload(string name, RayWorkloadArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        var dependsOn = args.After.ToList();
        Cluster = args.Cluster;
        Rendered = args.Rendered;
        DependsOn = dependsOn;
        var objectOptions = new CustomResourceOptions
        {
            Parent = this,
            Provider = args.Provider,
            DependsOn = dependsOn,
            DeletedWith = args.DeletedWith,
        };
        if (args.Retain)
        {
            objectOptions.RetainOnDelete = true;
            objectOptions.IgnoreChanges = ["spec", "metadata"];
        }

        RayObject = RayObjects.Declare(name, args.Rendered, objectOptions);

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

    /// <summary>What the Ray object waits for: the operator release, its namespace when SkyRay creates it, the objects that go with it.</summary>
    public IReadOnlyList<Resource> DependsOn { get; }

    /// <summary>The Ray object.</summary>
    public K8s.ApiExtensions.CustomResource RayObject { get; }
}
