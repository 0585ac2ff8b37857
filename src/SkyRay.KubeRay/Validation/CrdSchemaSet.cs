using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.KubeRay.Validation;

/// <summary>
/// CRD schemas loaded from a user's CRD files (e.g. the KubeRay release they run), used to check objects the way
/// the Kubernetes API server does for structural schemas: unknown fields pruned (reported as warnings),
/// <c>default</c>s applied, nulls of non-nullable fields dropped (<see cref="StructuralValidator"/>), then types, enums,
/// formats, bounds, patterns, <c>required</c> and set uniqueness checked by JsonSchema.Net against the schema translated
/// to JSON Schema once per CRD (<see cref="SchemaTranslation"/>, <see cref="KeywordValidator"/>), and list-map key
/// uniqueness by the walker (errors). CEL rules (<c>x-kubernetes-validations</c>) are not
/// evaluated; the built-in model (<see cref="Api.RawSpecChecks"/>) covers KubeRay's own rules.
/// </summary>
public sealed class CrdSchemaSet
{
    private readonly ImmutableSortedDictionary<string, CrdSchema> _byKey;

    // JSON Schema documents translated and built once per CRD (whole object and spec alone), on first use.
    private readonly ConcurrentDictionary<(string Key, bool Root), KeywordValidator> _compiled = new();

    /// <summary>Creates a set from schemas.</summary>
    /// <param name="schemas">The schemas; a later one replaces an earlier one of the same apiVersion and kind.</param>
    public CrdSchemaSet(IEnumerable<CrdSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, CrdSchema>(StringComparer.Ordinal);
        foreach (var s in schemas)
        {
            builder[Key(s.ApiVersion, s.Kind)] = s;
        }

        _byKey = builder.ToImmutable();
    }

    /// <summary>All schemas, sorted by apiVersion and kind.</summary>
    public IEnumerable<CrdSchema> Schemas => _byKey.Values;

    /// <summary>Loads every <c>*.yaml</c> / <c>*.yml</c> file of a folder (sorted by name); non-CRD documents are skipped.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="diagnostics">Where unreadable files and schemas are reported.</param>
    /// <returns>The set (possibly empty).</returns>
    public static CrdSchemaSet LoadDirectory(string directory, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!Directory.Exists(directory))
        {
            diagnostics.Error(directory, "the CRD folder does not exist", "point --kuberay-crds at a folder holding ray.io_rayclusters.yaml, ray.io_rayjobs.yaml, ray.io_rayservices.yaml");
            return new CrdSchemaSet([]);
        }

        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        var schemas = new List<CrdSchema>();
        foreach (var file in files)
        {
            schemas.AddRange(Read(File.ReadAllText(file), file, diagnostics));
        }

        if (schemas.Count == 0)
        {
            diagnostics.Error(directory, "no CustomResourceDefinition with an openAPIV3Schema was found", "point at the crds/ folder of a KubeRay release");
        }

        return new CrdSchemaSet(schemas);
    }

    /// <summary>Reads the served versions of every CRD in a YAML text.</summary>
    /// <param name="text">YAML, possibly several documents.</param>
    /// <param name="source">Name for diagnostics.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>One schema per served version with a schema.</returns>
    public static IReadOnlyList<CrdSchema> Read(string text, string source, DiagnosticBag diagnostics)
    {
        var result = new List<CrdSchema>();
        foreach (var doc in YamlJson.ParseDocuments(text, source, diagnostics))
        {
            if (doc is not JsonObject crd || crd["kind"]?.ToString() != "CustomResourceDefinition")
            {
                continue;
            }

            var spec = crd["spec"] as JsonObject;
            var group = spec?["group"]?.ToString();
            var kind = (spec?["names"] as JsonObject)?["kind"]?.ToString();
            if (group is null || kind is null || spec?["versions"] is not JsonArray versions)
            {
                diagnostics.Error(source, "a CustomResourceDefinition without spec.group, spec.names.kind or spec.versions", "use the CRD files of a KubeRay release as they are");
                continue;
            }

            foreach (var version in versions.OfType<JsonObject>())
            {
                if (version["name"]?.ToString() is { } name && (version["schema"] as JsonObject)?["openAPIV3Schema"] is JsonObject schema)
                {
                    result.Add(new CrdSchema(group, kind, name, source, schema));
                }
            }
        }

        return result;
    }

    /// <summary>The schema for an apiVersion and kind, or null.</summary>
    /// <param name="apiVersion">e.g. <c>ray.io/v1</c>.</param>
    /// <param name="kind">e.g. <c>RayCluster</c>.</param>
    /// <returns>The schema, or null.</returns>
    public CrdSchema? Find(string apiVersion, string kind) => _byKey.GetValueOrDefault(Key(apiVersion, kind));

    /// <summary>Checks a whole object (apiVersion, kind, metadata, spec).</summary>
    /// <param name="obj">The object; left unchanged.</param>
    /// <param name="path">Where the object comes from, prefixed to every diagnostic path.</param>
    /// <returns>The stored form and the findings.</returns>
    public CrdValidationResult Validate(JsonObject obj, string path)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(path);
        var bag = new DiagnosticBag();
        var apiVersion = obj["apiVersion"] is JsonValue a && a.TryGetValue<string>(out var av) ? av : null;
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var kv) ? kv : null;
        var schema = apiVersion is null || kind is null ? null : Find(apiVersion, kind);
        if (schema is null)
        {
            bag.Error(path, $"no CRD schema for {apiVersion ?? "(no apiVersion)"} {kind ?? "(no kind)"}", "load the CRD files that define it");
            return new CrdValidationResult((JsonObject)obj.DeepClone(), bag.Sorted());
        }

        var stored = Check(obj, schema, schema.OpenApiV3Schema, root: true, path, bag);
        return new CrdValidationResult((JsonObject)stored, bag.Sorted());
    }

    /// <summary>Checks a rendered object.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="path">Prefix for diagnostic paths.</param>
    /// <returns>The stored form and the findings.</returns>
    public CrdValidationResult Validate(KubeObject obj, string path)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Validate(obj.Manifest, path);
    }

    /// <summary>Checks a raw <c>ray.io/v1</c> spec against the <c>spec</c> schema of its kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="spec">The spec.</param>
    /// <param name="path">Config path of the spec (<c>skyray:workloads.llm.spec</c>).</param>
    /// <param name="diagnostics">Where findings are reported.</param>
    public void ValidateSpec(RayKind kind, JsonObject spec, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var schema = Find(WorkloadRenderer.ApiVersion, kind.ToString());
        if ((schema?.OpenApiV3Schema["properties"] as JsonObject)?["spec"] is not JsonObject specSchema)
        {
            diagnostics.Error(path, $"the CRD files hold no schema for {WorkloadRenderer.ApiVersion} {kind}", "include the KubeRay CRD for this kind");
            return;
        }

        Check(spec, schema!, specSchema, root: false, path, diagnostics);
    }

    /// <summary>Checks every raw-form workload of a fleet (<c>skyray validate --kuberay-crds DIR</c>).</summary>
    /// <param name="fleet">The loaded fleet.</param>
    /// <param name="diagnostics">Where findings are reported, at <c>skyray:workloads.&lt;name&gt;.spec…</c>.</param>
    public void ValidateFleet(FleetSpec fleet, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        foreach (var (name, workload) in fleet.Workloads)
        {
            if (workload.RawSpec is { } spec)
            {
                ValidateSpec(workload.Kind, spec, $"skyray:workloads.{name}.spec", diagnostics);
            }
        }
    }

    /// <summary>The API server's steps: prune and default (the structural walker), then validate (JsonSchema.Net, list-map keys).</summary>
    private JsonNode Check(JsonNode node, CrdSchema crd, JsonObject structural, bool root, string path, DiagnosticBag diagnostics)
    {
        var stored = StructuralValidator.Normalize(node, structural, path, root, diagnostics);
        var keywords = _compiled.GetOrAdd((Key(crd.ApiVersion, crd.Kind), root), _ => new KeywordValidator(SchemaTranslation.Translate(structural, root)));
        keywords.Evaluate(stored, path, diagnostics);
        StructuralValidator.CheckListMapKeys(stored, structural, path, diagnostics);
        return stored;
    }

    private static string Key(string apiVersion, string kind) => apiVersion + " " + kind;
}
