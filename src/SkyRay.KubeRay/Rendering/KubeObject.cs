using System.Text.Json.Nodes;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// A rendered Kubernetes object (a RayCluster, RayJob or RayService), ready for kubectl or a
/// Pulumi <c>CustomResource</c>. <see cref="Manifest"/> is the whole object and is read-only.
/// </summary>
/// <param name="ApiVersion">e.g. <c>ray.io/v1</c>.</param>
/// <param name="Kind">e.g. <c>RayService</c>.</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="Manifest">The whole object: apiVersion, kind, metadata, spec.</param>
public sealed record KubeObject(string ApiVersion, string Kind, string Name, string Namespace, JsonObject Manifest);

/// <summary>The kuberay-operator Helm release for one cluster.</summary>
/// <param name="ReleaseName">Helm release name.</param>
/// <param name="Chart">Chart name (<c>kuberay-operator</c>).</param>
/// <param name="Version">Chart version.</param>
/// <param name="Repository">Chart repository URL.</param>
/// <param name="Namespace">Release namespace.</param>
/// <param name="Values">Helm values: SkyRay defaults with the user's values merged over them. Read-only.</param>
public sealed record OperatorRelease(string ReleaseName, string Chart, string Version, string Repository, string Namespace, JsonObject Values);
