using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Policies;

/// <summary>Reads <c>spec.spreadConstraints</c>: mode, topology key, percentage split and per-domain overrides.</summary>
internal static class SpreadConstraintsReader
{
    private static readonly ImmutableArray<string> Fields = ["overrides", "percentageSplit", "spreadMode", "topologyKey"];
    private static readonly ImmutableArray<string> Modes = [.. Enum.GetNames<SpreadMode>()];
    private static readonly ImmutableArray<string> SplitFields = ["percentage", "topologyValue"];
    private static readonly ImmutableArray<string> OverrideFields = ["resources", "topologyValue"];
    private static readonly ImmutableArray<string> ResourceFields = ["apiVersion", "kind", "name", "namespace", "override"];
    private static readonly ImmutableArray<string> FieldOverrideFields = ["fieldPath", "value"];
    private static readonly ImmutableArray<string> ValueFields = ["staticValue"];
    private static readonly ImmutableArray<string> RayKinds = ["RayCluster", "RayJob", "RayService"];

    public static SpreadConstraints? Read(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        if (node is not JsonObject obj)
        {
            diagnostics.Error(path, $"must be a mapping (spreadMode, topologyKey, percentageSplit, overrides), found {NodeReader.Describe(node)}");
            return null;
        }

        var errors = diagnostics.ErrorCount;
        NovaFields.WarnUnknown(obj, path, Fields, "spreadConstraints", diagnostics);

        var topologyKey = NodeReader.String(obj["topologyKey"], NodeReader.Child(path, "topologyKey"), diagnostics);

        var splitPath = NodeReader.Child(path, "percentageSplit");
        var split = ReadSplit(obj["percentageSplit"], splitPath, diagnostics);

        // Nova's default mode is Duplicate; a percentage split only means something when dividing, so a split
        // without a mode (as in Nova's own percentage sample) is read as Divide.
        var modePath = NodeReader.Child(path, "spreadMode");
        SpreadMode? mode = obj["spreadMode"] is null
            ? (split.IsDefaultOrEmpty ? SpreadMode.Duplicate : SpreadMode.Divide)
            : null;
        if (obj["spreadMode"] is not null && NodeReader.String(obj["spreadMode"], modePath, diagnostics) is { } modeText)
        {
            if (Modes.Contains(modeText) && Enum.TryParse<SpreadMode>(modeText, out var parsed))
            {
                mode = parsed;
            }
            else
            {
                diagnostics.Error(modePath, $"spreadMode '{modeText}' is not one of {string.Join(", ", Modes)}", Suggestions.DidYouMean(modeText, Modes));
            }
        }

        if (mode == SpreadMode.Duplicate && !split.IsDefaultOrEmpty)
        {
            diagnostics.Error(splitPath, "percentageSplit applies to spreadMode Divide only; Duplicate puts the whole workload on every cluster", "set spreadMode: Divide, or remove percentageSplit");
        }
        else if (mode == SpreadMode.Divide && !split.IsDefaultOrEmpty)
        {
            var total = split.Sum(s => s.Percentage);
            if (total != 100)
            {
                diagnostics.Error(splitPath, $"percentages add up to {total}, not 100", "make the shares add up to 100");
            }
        }

        var overrides = ReadOverrides(obj["overrides"], NodeReader.Child(path, "overrides"), diagnostics);

        if (diagnostics.ErrorCount > errors || topologyKey is null || mode is null)
        {
            return null;
        }

        return new SpreadConstraints(mode.Value, topologyKey, split.IsDefault ? [] : split, overrides);
    }

    private static ImmutableArray<PercentageSplit> ReadSplit(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        var entries = new List<(string? Value, JsonNode? Percentage, string Path, string PercentagePath)>();
        switch (node)
        {
            case null:
                return [];
            case JsonArray list:
                // Form 1: [{topologyValue, percentage}].
                for (var i = 0; i < list.Count; i++)
                {
                    var itemPath = NodeReader.Item(path, i);
                    if (list[i] is not JsonObject item)
                    {
                        diagnostics.Error(itemPath, $"must be a mapping {{topologyValue, percentage}}, found {NodeReader.Describe(list[i])}");
                        continue;
                    }

                    NovaFields.WarnUnknown(item, itemPath, SplitFields, "percentageSplit entry", diagnostics);
                    var value = NodeReader.String(item["topologyValue"], NodeReader.Child(itemPath, "topologyValue"), diagnostics);
                    entries.Add((value, item["percentage"], itemPath, NodeReader.Child(itemPath, "percentage")));
                }

                break;
            case JsonObject map:
                // Form 2: {topologyValue: percentage}.
                foreach (var (key, value) in map)
                {
                    var entryPath = NodeReader.Child(path, key);
                    entries.Add((key, value, entryPath, entryPath));
                }

                break;
            default:
                diagnostics.Error(path, $"must be a list of {{topologyValue, percentage}} or a mapping topologyValue: percentage, found {NodeReader.Describe(node)}");
                return [];
        }

        var result = ImmutableArray.CreateBuilder<PercentageSplit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (value, percentageNode, entryPath, percentagePath) in entries)
        {
            var percentage = NodeReader.Integer(percentageNode, percentagePath, diagnostics);
            if (percentage is < 0 or > 100)
            {
                diagnostics.Error(percentagePath, $"percentage must be between 0 and 100, found {percentage}");
                continue;
            }

            if (value is null || percentage is null)
            {
                continue;
            }

            if (!seen.Add(value))
            {
                diagnostics.Error(entryPath, $"topology value '{value}' appears twice in percentageSplit", "give each domain one share");
                continue;
            }

            result.Add(new PercentageSplit(value, percentage.Value));
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<DomainOverride> ReadOverrides(JsonNode? node, string path, DiagnosticBag diagnostics)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray list)
        {
            diagnostics.Error(path, $"must be a list of {{topologyValue, resources}}, found {NodeReader.Describe(node)}");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<DomainOverride>();
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = NodeReader.Item(path, i);
            if (list[i] is not JsonObject item)
            {
                diagnostics.Error(itemPath, $"must be a mapping {{topologyValue, resources}}, found {NodeReader.Describe(list[i])}");
                continue;
            }

            NovaFields.WarnUnknown(item, itemPath, OverrideFields, "overrides entry", diagnostics);
            var topologyValue = NodeReader.String(item["topologyValue"], NodeReader.Child(itemPath, "topologyValue"), diagnostics);
            var resourcesPath = NodeReader.Child(itemPath, "resources");
            if (item["resources"] is not JsonArray resources)
            {
                diagnostics.Error(resourcesPath, $"must be a list of resources to override, found {NodeReader.Describe(item["resources"])}", "list {kind, apiVersion, name, override}");
                continue;
            }

            for (var r = 0; r < resources.Count; r++)
            {
                if (ReadResource(resources[r], NodeReader.Item(resourcesPath, r), topologyValue, diagnostics) is { } domainOverride)
                {
                    result.Add(domainOverride);
                }
            }
        }

        return result.ToImmutable();
    }

    private static DomainOverride? ReadResource(JsonNode? node, string path, string? topologyValue, DiagnosticBag diagnostics)
    {
        if (node is not JsonObject resource)
        {
            diagnostics.Error(path, $"must be a mapping {{kind, apiVersion, name, namespace, override}}, found {NodeReader.Describe(node)}");
            return null;
        }

        NovaFields.WarnUnknown(resource, path, ResourceFields, "override resource", diagnostics);
        var kind = Optional(resource, "kind", path, diagnostics);
        var apiVersion = Optional(resource, "apiVersion", path, diagnostics);
        var name = Optional(resource, "name", path, diagnostics);
        var ns = Optional(resource, "namespace", path, diagnostics);

        if (kind is not null && !RayKinds.Contains(kind))
        {
            diagnostics.Warning(
                NodeReader.Child(path, "kind"),
                $"SkyRay deploys only {string.Join(", ", RayKinds)}; an override of a {kind} never applies",
                Suggestions.DidYouMean(kind, RayKinds) ?? "target the Ray workload's kind");
        }
        else if (kind is not null && apiVersion is not null && apiVersion != "ray.io/v1")
        {
            diagnostics.Warning(NodeReader.Child(path, "apiVersion"), $"SkyRay deploys {kind} as ray.io/v1; an override for {apiVersion} never applies", "use apiVersion: ray.io/v1");
        }

        var overridesPath = NodeReader.Child(path, "override");
        if (resource["override"] is not JsonArray list)
        {
            diagnostics.Error(overridesPath, $"must be a list of {{fieldPath, value}}, found {NodeReader.Describe(resource["override"])}");
            return null;
        }

        var fields = ImmutableArray.CreateBuilder<FieldOverride>();
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = NodeReader.Item(overridesPath, i);
            if (list[i] is not JsonObject item)
            {
                diagnostics.Error(itemPath, $"must be a mapping {{fieldPath, value: {{staticValue}}}}, found {NodeReader.Describe(list[i])}");
                ok = false;
                continue;
            }

            NovaFields.WarnUnknown(item, itemPath, FieldOverrideFields, "override", diagnostics);
            var fieldPath = NodeReader.String(item["fieldPath"], NodeReader.Child(itemPath, "fieldPath"), diagnostics);
            var valuePath = NodeReader.Child(itemPath, "value");
            if (item["value"] is not JsonObject value || !value.ContainsKey("staticValue"))
            {
                diagnostics.Error(valuePath, "must be a mapping with staticValue", "write value: {staticValue: ...}");
                ok = false;
                continue;
            }

            NovaFields.WarnUnknown(value, valuePath, ValueFields, "override value", diagnostics);
            if (fieldPath is null)
            {
                ok = false;
                continue;
            }

            fields.Add(new FieldOverride(fieldPath, value["staticValue"]?.DeepClone()));
        }

        return ok && topologyValue is not null
            ? new DomainOverride(topologyValue, kind, name, fields.ToImmutable(), apiVersion, ns)
            : null;
    }

    private static string? Optional(JsonObject obj, string key, string path, DiagnosticBag diagnostics) =>
        obj[key] is null ? null : NodeReader.String(obj[key], NodeReader.Child(path, key), diagnostics);
}
