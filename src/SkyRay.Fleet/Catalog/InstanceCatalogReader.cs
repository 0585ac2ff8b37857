using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Catalog;

/// <summary>The built-in instance catalog and user additions from <c>skyray:instanceTypes</c>.</summary>
/// <remarks>
/// User additions come as a list of entries, or as a mapping from type name to entry (the name may then be
/// left out of the entry). Each entry has <c>name</c>, <c>provider</c> (aws|azure|gcp), <c>vCpus</c>,
/// <c>memoryGiB</c>, <c>hourlyUsd</c>, and for GPU types <c>gpus</c>, <c>gpuType</c> and optionally
/// <c>gpuMemoryGiB</c>. See docs/catalog.md.
/// </remarks>
public static class InstanceCatalogReader
{
    /// <summary>Name of the embedded resource holding the built-in catalog.</summary>
    public const string ResourceName = "SkyRay.Fleet.Catalog.instance-types.json";

    // Parsed once; the catalog is immutable, so sharing it is safe.
    private static readonly Lazy<BuiltInCatalog> Embedded = new(LoadEmbedded);

    private static readonly ImmutableArray<string> Fields =
        ["name", "provider", "vCpus", "memoryGiB", "gpus", "gpuType", "gpuMemoryGiB", "hourlyUsd"];

    /// <summary>The catalog shipped with SkyRay (embedded <c>instance-types.json</c>).</summary>
    /// <returns>The built-in catalog.</returns>
    public static InstanceCatalog BuiltIn() => Embedded.Value.Catalog;

    /// <summary>Where the built-in prices come from and how far to trust them (the <c>source</c> note of the embedded file).</summary>
    /// <returns>The note.</returns>
    public static string BuiltInSource() => Embedded.Value.Source;

    /// <summary>Reads user additions; each entry overrides a built-in type of the same provider and name.</summary>
    /// <param name="node">The <c>skyray:instanceTypes</c> tree (may be null).</param>
    /// <param name="path">Config path (<c>skyray:instanceTypes</c>).</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The types read (invalid entries left out and reported).</returns>
    public static IReadOnlyList<InstanceType> ReadUserTypes(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var entries = new List<(JsonNode? Node, string Path, string? Key)>();
        switch (node)
        {
            case null:
                return [];
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    entries.Add((list[i], NodeReader.Item(path, i), null));
                }

                break;
            case JsonObject map:
                foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    entries.Add((value, NodeReader.Child(path, key), key));
                }

                break;
            default:
                diagnostics.Error(
                    path,
                    $"must be a list of instance types or a mapping from type name to its fields, found {NodeReader.Describe(node)}",
                    "see docs/catalog.md for the entry fields");
                return [];
        }

        var result = new List<InstanceType>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (entryNode, entryPath, key) in entries)
        {
            var type = ReadEntry(entryNode, entryPath, key, diagnostics);
            if (type is null)
            {
                continue;
            }

            var identity = type.Provider + "/" + type.Name;
            if (seen.TryGetValue(identity, out var firstPath))
            {
                diagnostics.Error(entryPath, $"{type.Provider} instance type '{type.Name}' is already defined at {firstPath}", "keep one entry per provider and name");
                continue;
            }

            seen[identity] = entryPath;
            result.Add(type);
        }

        return result;
    }

    private static InstanceType? ReadEntry(JsonNode? node, string path, string? key, DiagnosticBag diagnostics)
    {
        if (node is not JsonObject entry)
        {
            diagnostics.Error(path, $"must be a mapping of instance type fields, found {NodeReader.Describe(node)}", "give name, provider, vCpus, memoryGiB and hourlyUsd");
            return null;
        }

        var before = diagnostics.ErrorCount;
        foreach (var (field, _) in entry)
        {
            if (!Fields.Contains(field))
            {
                diagnostics.Warning(
                    NodeReader.Child(path, field),
                    $"'{field}' is not an instance type field and is ignored",
                    Suggestions.DidYouMean(field, Fields) ?? "fields are " + string.Join(", ", Fields));
            }
        }

        string? name;
        if (key is not null && entry["name"] is null)
        {
            name = key;
        }
        else
        {
            name = NodeReader.String(entry["name"], NodeReader.Child(path, "name"), diagnostics);
            if (name is not null && key is not null && !string.Equals(name, key, StringComparison.Ordinal))
            {
                diagnostics.Error(NodeReader.Child(path, "name"), $"name '{name}' differs from its key '{key}'", "drop the name field or make it equal to the key");
            }
        }

        var provider = NodeReader.String(entry["provider"], NodeReader.Child(path, "provider"), diagnostics);
        if (provider is not null && !InstanceCatalog.Providers.Contains(provider))
        {
            diagnostics.Error(
                NodeReader.Child(path, "provider"),
                $"provider '{provider}' is not one of {string.Join(", ", InstanceCatalog.Providers)}",
                Suggestions.DidYouMean(provider, InstanceCatalog.Providers) ?? "existing clusters use the type names of the cloud they run on");
        }

        var vCpus = NodeReader.Integer(entry["vCpus"], NodeReader.Child(path, "vCpus"), diagnostics);
        if (vCpus is <= 0)
        {
            diagnostics.Error(NodeReader.Child(path, "vCpus"), $"must be at least 1, found {vCpus}");
        }

        var memory = NodeReader.Number(entry["memoryGiB"], NodeReader.Child(path, "memoryGiB"), diagnostics);
        if (memory is <= 0)
        {
            diagnostics.Error(NodeReader.Child(path, "memoryGiB"), $"must be more than 0, found {memory}");
        }

        var price = NodeReader.Number(entry["hourlyUsd"], NodeReader.Child(path, "hourlyUsd"), diagnostics);
        if (price is <= 0)
        {
            diagnostics.Error(NodeReader.Child(path, "hourlyUsd"), $"must be more than 0, found {price}", "the on-demand price per hour in USD");
        }

        var gpus = entry["gpus"] is null ? 0 : NodeReader.Integer(entry["gpus"], NodeReader.Child(path, "gpus"), diagnostics);
        if (gpus is < 0)
        {
            diagnostics.Error(NodeReader.Child(path, "gpus"), $"must be 0 or more, found {gpus}");
        }

        string? gpuType = null;
        if (entry["gpuType"] is not null)
        {
            gpuType = NodeReader.String(entry["gpuType"], NodeReader.Child(path, "gpuType"), diagnostics);
            if (gpuType is not null)
            {
                gpuType = GpuTypes.Canonical(gpuType);
            }
        }

        if (gpus > 0 && gpuType is null && entry["gpuType"] is null)
        {
            diagnostics.Error(NodeReader.Child(path, "gpuType"), $"is missing for a type with {gpus} GPU(s)", "name the GPU model: " + string.Join(", ", GpuTypes.Known));
        }
        else if (gpus == 0 && gpuType is not null)
        {
            diagnostics.Error(NodeReader.Child(path, "gpuType"), $"is '{gpuType}' but gpus is 0", "set gpus to the GPU count, or remove gpuType");
        }

        double? gpuMemory = null;
        if (entry["gpuMemoryGiB"] is not null)
        {
            var value = NodeReader.Number(entry["gpuMemoryGiB"], NodeReader.Child(path, "gpuMemoryGiB"), diagnostics);
            if (value is <= 0)
            {
                diagnostics.Error(NodeReader.Child(path, "gpuMemoryGiB"), $"must be more than 0, found {value}");
            }

            gpuMemory = value is null ? null : (double)value.Value;
        }

        var errorsNow = diagnostics.ErrorCount;
        if (errorsNow > before || name is null || provider is null || vCpus is null || memory is null || price is null || gpus is null)
        {
            return null;
        }

        return new InstanceType(name, provider, vCpus.Value, (double)memory.Value, gpus.Value, gpuType, price.Value, gpuMemory);
    }

    private static BuiltInCatalog LoadEmbedded()
    {
        using var stream = typeof(InstanceCatalogReader).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the SkyRay.Fleet assembly");
        var root = JsonNode.Parse(stream) as JsonObject
            ?? throw new InvalidOperationException($"{ResourceName} must hold a JSON object");
        var diagnostics = new DiagnosticBag();
        var types = ReadUserTypes(root["types"], "instance-types.json:types", diagnostics);
        if (diagnostics.Items.Count > 0)
        {
            // The file ships with SkyRay and is checked by tests; a problem here is a packaging defect, not user input.
            throw new InvalidOperationException("the built-in instance catalog is invalid: " + string.Join("; ", diagnostics.Items));
        }

        var source = root["source"]?.GetValue<string>() ?? "";
        return new BuiltInCatalog(new InstanceCatalog(types), source);
    }

    private sealed record BuiltInCatalog(InstanceCatalog Catalog, string Source);
}
