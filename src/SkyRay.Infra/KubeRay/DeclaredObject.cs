using Pulumi;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.KubeRay;

/// <summary>
/// A plain Kubernetes object the core put on a cluster (a Kueue queue, a NetworkPolicy), declared as a generic resource of its own
/// apiVersion and kind (<see cref="KubeObjectArgs"/>), that remembers what it was declared after.
/// </summary>
internal sealed class DeclaredObject : K8s.ApiExtensions.CustomResource
{
    /// <summary>Declares the object after <paramref name="dependsOn"/>.</summary>
    /// <param name="name">Resource name.</param>
    /// <param name="args">The object's fields.</param>
    /// <param name="dependsOn">What it is declared after, as the core ordered it (the cluster's releases, its namespace).</param>
    /// <param name="options">Parent and provider; <paramref name="dependsOn"/> is added to them.</param>
    public DeclaredObject(string name, KubeObjectArgs args, IReadOnlyList<Resource> dependsOn, CustomResourceOptions options)
        : base(name, args, WithDependencies(options, dependsOn))
    {
        DependsOn = dependsOn;
    }

    /// <summary>What the object waits for.</summary>
    public IReadOnlyList<Resource> DependsOn { get; }

    private static CustomResourceOptions WithDependencies(CustomResourceOptions options, IReadOnlyList<Resource> dependsOn)
    {
        options.DependsOn = dependsOn.ToList();
        return options;
    }
}
