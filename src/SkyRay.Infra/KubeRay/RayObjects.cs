using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Infra.Inputs;
using SkyRay.KubeRay.Rendering;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.KubeRay;

/// <summary>
/// Arguments of a KubeRay object (<c>ray.io/v1</c>): apiVersion, kind and metadata from the base class, the rendered
/// <c>spec</c> as a plain value tree. pulumi-kubernetes derives the type token <c>kubernetes:ray.io/v1:&lt;Kind&gt;</c>
/// from apiVersion and kind.
/// </summary>
internal sealed class RayObjectArgs : K8s.ApiExtensions.CustomResourceArgs
{
    /// <summary>Creates the arguments of one object.</summary>
    /// <param name="apiVersion">e.g. <c>ray.io/v1</c>.</param>
    /// <param name="kind">RayCluster, RayJob or RayService.</param>
    public RayObjectArgs(string apiVersion, string kind)
        : base(apiVersion, kind)
    {
    }

    /// <summary>The object's spec, as rendered by the core.</summary>
    [Input("spec")]
    public Input<ImmutableDictionary<string, object?>>? Spec { get; set; }

    /// <summary>The arguments for a rendered object: name, namespace, labels, annotations and spec carried over as they are.</summary>
    public static RayObjectArgs From(KubeObject rendered)
    {
        var metadata = rendered.Manifest["metadata"] as JsonObject;
        return new RayObjectArgs(rendered.ApiVersion, rendered.Kind)
        {
            Metadata = new K8s.Types.Inputs.Meta.V1.ObjectMetaArgs
            {
                Name = rendered.Name,
                Namespace = rendered.Namespace,
                Labels = JsonInputs.ToStringMap(metadata?["labels"] as JsonObject),
                Annotations = JsonInputs.ToStringMap(metadata?["annotations"] as JsonObject),
            },
            Spec = rendered.Manifest["spec"] is JsonObject spec
                ? JsonInputs.ToDictionary(spec)
                : ImmutableDictionary<string, object?>.Empty,
        };
    }
}

/// <summary>A KubeRay <c>RayCluster</c>.</summary>
internal sealed class RayClusterObject : K8s.ApiExtensions.CustomResource
{
    /// <summary>The kind this class declares.</summary>
    public const string KindName = "RayCluster";

    /// <summary>Declares the object.</summary>
    public RayClusterObject(string name, RayObjectArgs args, CustomResourceOptions? options = null)
        : base(name, args, options)
    {
    }
}

/// <summary>A KubeRay <c>RayJob</c>.</summary>
internal sealed class RayJobObject : K8s.ApiExtensions.CustomResource
{
    /// <summary>The kind this class declares.</summary>
    public const string KindName = "RayJob";

    /// <summary>Declares the object.</summary>
    public RayJobObject(string name, RayObjectArgs args, CustomResourceOptions? options = null)
        : base(name, args, options)
    {
    }
}

/// <summary>A KubeRay <c>RayService</c>.</summary>
internal sealed class RayServiceObject : K8s.ApiExtensions.CustomResource
{
    /// <summary>The kind this class declares.</summary>
    public const string KindName = "RayService";

    /// <summary>Declares the object.</summary>
    public RayServiceObject(string name, RayObjectArgs args, CustomResourceOptions? options = null)
        : base(name, args, options)
    {
    }
}

/// <summary>Picks the resource class for a rendered object's kind.</summary>
internal static class RayObjects
{
    /// <summary>Declares the object of the rendered kind.</summary>
    /// <exception cref="ArgumentException">The kind is not one of RayCluster, RayJob, RayService.</exception>
    public static K8s.ApiExtensions.CustomResource Declare(string name, KubeObject rendered, CustomResourceOptions options)
    {
        var args = RayObjectArgs.From(rendered);
        return rendered.Kind switch
        {
            RayClusterObject.KindName => new RayClusterObject(name, args, options),
            RayJobObject.KindName => new RayJobObject(name, args, options),
            RayServiceObject.KindName => new RayServiceObject(name, args, options),
            _ => throw new ArgumentException($"'{rendered.Kind}' is not a KubeRay kind SkyRay deploys", nameof(rendered)),
        };
    }
}
