using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Config;

/// <summary>Gathers placement policies from <c>skyray:policies</c> and the Nova files of <c>skyray:policyFiles</c>; a name may be defined once.</summary>
internal static partial class PolicySources
{
    /// <summary>Largest policy file read.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>Reads every policy; collisions are errors naming both sources.</summary>
    /// <param name="policies">The <c>skyray:policies</c> tree.</param>
    /// <param name="files">The <c>skyray:policyFiles</c> tree.</param>
    /// <param name="variables">The <c>skyray:policyVariables</c> tree.</param>
    /// <param name="baseDirectory">Folder relative file paths start from.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    /// <param name="environment">Reads environment variables (looked up before <paramref name="variables"/>).</param>
    public static ImmutableSortedDictionary<string, SchedulePolicy> Read(
        JsonNode? policies, JsonNode? files, JsonNode? variables, string baseDirectory, ConfigReader reader, Func<string, string?> environment)
    {
        var d = reader.Diagnostics;
        var result = ImmutableSortedDictionary.CreateBuilder<string, SchedulePolicy>(StringComparer.Ordinal);
        var sourceOf = new Dictionary<string, string>(StringComparer.Ordinal);

        const string policiesPath = "skyray:policies";
        if (policies is not null && reader.Map(policies, policiesPath, "policies by name") is { } map)
        {
            foreach (var (name, spec) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var path = ConfigReader.Child(policiesPath, name);
                if (KubernetesNames.CheckDnsSubdomain(name) is { } problem)
                {
                    d.Error(path, $"policy name '{KubernetesNames.Shorten(name)}' {problem}", "use a name like 'gpu-first'");
                    continue;
                }

                if (NovaPolicyReader.ReadSpec(name, spec, path, d) is { } policy)
                {
                    result[name] = policy;
                    sourceOf[name] = path;
                }
            }
        }

        var vars = ReadVariables(variables, reader);
        string? Resolve(string name) => environment(name) ?? vars.GetValueOrDefault(name);

        const string filesPath = "skyray:policyFiles";
        if (files is null || reader.List(files, filesPath, "policy file paths") is not { } list)
        {
            return result.ToImmutable();
        }

        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = ConfigReader.Item(filesPath, i);
            if (list[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || ConfigReader.Text(v).Trim().Length == 0)
            {
                d.Error(itemPath, $"expected a file path, found {ConfigReader.Describe(list[i])}", "for example: policies/gpu-first.yaml");
                continue;
            }

            var file = ConfigReader.Text(v);
            var text = ReadFile(file, baseDirectory, itemPath, d);
            if (text is null)
            {
                continue;
            }

            foreach (var policy in NovaPolicyReader.ReadFile(text, file, Resolve, d).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (sourceOf.TryGetValue(policy.Name, out var earlier))
                {
                    d.Error(
                        itemPath,
                        $"policy '{KubernetesNames.Shorten(policy.Name)}' is defined twice: in {earlier} and in {KubernetesNames.Shorten(file)}",
                        "rename one of them; policy names must be unique across skyray:policies and skyray:policyFiles");
                    continue;
                }

                result[policy.Name] = policy;
                sourceOf[policy.Name] = file;
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, string> ReadVariables(JsonNode? node, ConfigReader reader)
    {
        const string path = "skyray:policyVariables";
        if (node is null)
        {
            return ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        }

        var vars = reader.StringMap(node, path, "policy variables");
        foreach (var name in vars.Keys.Where(k => !VariableName().IsMatch(k)))
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, name), $"'{KubernetesNames.Shorten(name)}' is not a variable name", "use letters, digits and '_', e.g. NOVA_WORKLOAD_CLUSTER_1");
        }

        return vars;
    }

    private static string? ReadFile(string file, string baseDirectory, string path, DiagnosticBag d)
    {
        try
        {
            var full = Path.GetFullPath(file, baseDirectory);
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                d.Error(path, $"policy file '{KubernetesNames.Shorten(file)}' does not exist (looked in {baseDirectory})", "paths are relative to the Pulumi project folder (where Pulumi.yaml is; without one, the stack file's folder)");
                return null;
            }

            if (info.Length > MaxFileBytes)
            {
                d.Error(path, $"policy file '{KubernetesNames.Shorten(file)}' is larger than {MaxFileBytes} bytes", "split it or check the path");
                return null;
            }

            return File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            d.Error(path, $"policy file '{KubernetesNames.Shorten(file)}' cannot be read: {ex.Message}", "check the path and its permissions");
            return null;
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
