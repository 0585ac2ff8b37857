using System.Text.Json.Nodes;

namespace SkyRay.KubeRay.Validation;

/// <summary>The structural schema of one served version of a CustomResourceDefinition.</summary>
/// <param name="Group">API group (<c>ray.io</c>).</param>
/// <param name="Kind">Kind (<c>RayCluster</c>).</param>
/// <param name="Version">Version name (<c>v1</c>).</param>
/// <param name="Source">File the CRD was read from.</param>
/// <param name="OpenApiV3Schema">The version's <c>schema.openAPIV3Schema</c>. Read-only.</param>
public sealed record CrdSchema(string Group, string Kind, string Version, string Source, JsonObject OpenApiV3Schema)
{
    /// <summary><c>group/version</c>, as in an object's <c>apiVersion</c>.</summary>
    public string ApiVersion => $"{Group}/{Version}";
}

/// <summary>What validation found, and the object as the API server would store it.</summary>
/// <param name="Stored">The object after pruning unknown fields, applying defaults and dropping non-nullable nulls.</param>
/// <param name="Diagnostics">Errors (the server would reject the object) and warnings (it would silently change it).</param>
public sealed record CrdValidationResult(JsonObject Stored, IReadOnlyList<SkyRay.Fleet.Diagnostics.Diagnostic> Diagnostics)
{
    /// <summary>True when the server would accept the object.</summary>
    public bool Accepted => !Diagnostics.Any(d => d.Severity == SkyRay.Fleet.Diagnostics.Severity.Error);
}
