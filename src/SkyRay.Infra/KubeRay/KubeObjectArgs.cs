using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Infra.Inputs;
using SkyRay.KubeRay.Rendering;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.KubeRay;

/// <summary>
/// Arguments of any rendered Kubernetes object declared as a generic resource: apiVersion, kind and metadata from the base class,
/// and the object's other top-level fields as plain value trees. pulumi-kubernetes derives the type token
/// <c>kubernetes:&lt;apiVersion&gt;:&lt;kind&gt;</c> from apiVersion and kind, the same token its typed classes use, so a
/// NetworkPolicy declared this way is a NetworkPolicy to the provider.
/// </summary>
internal sealed class KubeObjectArgs : K8s.ApiExtensions.CustomResourceArgs
{
    /// <summary>The top-level fields the generic resource carries besides apiVersion, kind and metadata.</summary>
    public static ImmutableSortedSet<string> Fields { get; } = ImmutableSortedSet.Create(StringComparer.Ordinal, "data", "description", "spec", "stringData", "type", "value");

    private KubeObjectArgs(string apiVersion, string kind)
        : base(apiVersion, kind)
    {
    }

    /// <summary>The object's <c>spec</c>.</summary>
    [Input("spec")]
    public Input<ImmutableDictionary<string, object?>>? Spec { get; set; }

    /// <summary>A Secret's or ConfigMap's <c>data</c>.</summary>
    [Input("data")]
    public Input<ImmutableDictionary<string, object?>>? Data { get; set; }

    /// <summary>A Secret's <c>stringData</c>.</summary>
    [Input("stringData")]
    public Input<ImmutableDictionary<string, object?>>? StringData { get; set; }

    /// <summary>A Secret's <c>type</c>.</summary>
    [Input("type")]
    public Input<string>? ObjectType { get; set; }

    /// <summary>A Kueue WorkloadPriorityClass's <c>value</c> (top level, like a PriorityClass's).</summary>
    [Input("value")]
    public Input<int>? PriorityValue { get; set; }

    /// <summary>A Kueue WorkloadPriorityClass's <c>description</c>.</summary>
    [Input("description")]
    public Input<string>? Description { get; set; }

    /// <summary>The arguments for a rendered object.</summary>
    /// <exception cref="ArgumentException">The object has a top-level field the generic resource cannot carry (see <see cref="Fields"/>).</exception>
    public static KubeObjectArgs From(KubeObject rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var metadata = rendered.Manifest["metadata"] as JsonObject;
        var unknown = rendered.Manifest.Select(p => p.Key).Where(k => k is not ("apiVersion" or "kind" or "metadata") && !Fields.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"{rendered.Kind} {rendered.Name} has fields the adapter cannot declare: {string.Join(", ", unknown)}", nameof(rendered));
        }

        var meta = new K8s.Types.Inputs.Meta.V1.ObjectMetaArgs
        {
            Name = rendered.Name,
            Labels = JsonInputs.ToStringMap(metadata?["labels"] as JsonObject),
            Annotations = JsonInputs.ToStringMap(metadata?["annotations"] as JsonObject),
        };
        if (rendered.Namespace.Length > 0)
        {
            meta.Namespace = rendered.Namespace;
        }

        var args = new KubeObjectArgs(rendered.ApiVersion, rendered.Kind) { Metadata = meta };
        // Only the fields the object has are set: an unset input is left out, where a null one would be sent as null.
        if (rendered.Manifest["spec"] is JsonObject spec)
        {
            args.Spec = JsonInputs.ToDictionary(spec);
        }

        if (rendered.Manifest["data"] is JsonObject data)
        {
            args.Data = JsonInputs.ToDictionary(data);
        }

        if (rendered.Manifest["stringData"] is JsonObject stringData)
        {
            args.StringData = JsonInputs.ToDictionary(stringData);
        }

        if (rendered.Manifest["type"] is JsonValue type)
        {
            args.ObjectType = type.GetValue<string>();
        }

        if (rendered.Manifest["value"] is JsonValue value)
        {
            args.PriorityValue = value.GetValue<int>();
        }

        if (rendered.Manifest["description"] is JsonValue description)
        {
            args.Description = description.GetValue<string>();
        }

        return args;
    }
}
