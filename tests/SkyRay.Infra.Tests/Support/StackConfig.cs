using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;
using SkyRay.Testing;

namespace SkyRay.Infra.Tests.Support;

/// <summary>
/// The config a stack hands the program, as the Pulumi CLI would: <c>namespace:key</c> → raw value (structured
/// values as JSON text, strings as they are). Secure values cannot be decrypted here; each becomes a fake secret.
/// </summary>
/// <param name="Stack">Stack name.</param>
/// <param name="Values">Full key → raw value.</param>
/// <param name="SecretKeys">Keys whose values are secrets.</param>
internal sealed record StackConfig(string Stack, ImmutableSortedDictionary<string, string> Values, ImmutableSortedSet<string> SecretKeys)
{
    /// <summary>The value every secure key gets in tests.</summary>
    public static string FakeSecret(string key) => $"apiVersion: v1\nkind: Config\n# secret {key}\n";

    /// <summary>The stack files of the repository: Pulumi.dev.yaml and stacks/Pulumi.*.yaml, as repository-relative paths.</summary>
    public static IReadOnlyList<string> RepositoryStackFiles()
    {
        var root = SharedMaterial.RepositoryRoot;
        var files = new List<string>();
        if (File.Exists(Path.Combine(root, "Pulumi.dev.yaml")))
        {
            files.Add("Pulumi.dev.yaml");
        }

        var stacks = Path.Combine(root, "stacks");
        if (Directory.Exists(stacks))
        {
            files.AddRange(Directory.GetFiles(stacks, "Pulumi.*.yaml")
                .Select(f => "stacks/" + Path.GetFileName(f))
                .Order(StringComparer.Ordinal));
        }

        return files;
    }

    /// <summary>Reads a stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>) the way the Pulumi CLI hands it to a program.</summary>
    public static StackConfig FromFile(string repositoryRelativePath)
    {
        var path = Path.Combine(SharedMaterial.RepositoryRoot, repositoryRelativePath);
        var fileName = Path.GetFileName(path);
        var stack = fileName["Pulumi.".Length..^".yaml".Length];
        var bag = new DiagnosticBag();
        var root = YamlJson.ParseSingle(File.ReadAllText(path), fileName, bag) as JsonObject;
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        var config = root?["config"] as JsonObject ?? [];

        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var secrets = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var (key, node) in config)
        {
            if (node is JsonObject { Count: 1 } secure && secure.ContainsKey("secure"))
            {
                values[key] = FakeSecret(key);
                secrets.Add(key);
            }
            else
            {
                values[key] = Raw(node);
            }
        }

        return new StackConfig(stack, values.ToImmutable(), secrets.ToImmutable());
    }

    /// <summary>A stack from <c>skyray:*</c> trees built in a test.</summary>
    public static StackConfig FromTrees(string stack, IReadOnlyDictionary<string, JsonNode> skyray, IReadOnlyDictionary<string, string>? secrets = null)
    {
        var values = skyray.ToImmutableSortedDictionary(p => "skyray:" + p.Key, p => Raw(p.Value), StringComparer.Ordinal);
        var secretKeys = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
        foreach (var (key, value) in secrets ?? new Dictionary<string, string>())
        {
            values = values.SetItem(key, value);
            secretKeys = secretKeys.Add(key);
        }

        return new StackConfig(stack, values, secretKeys);
    }

    /// <summary>This config plus one more raw value.</summary>
    public StackConfig With(string key, string value) => this with { Values = Values.SetItem(key, value) };

    /// <summary>The PULUMI_CONFIG JSON: every value as a JSON string, as the language host passes it.</summary>
    public string ToEnvironmentJson()
    {
        var json = new JsonObject();
        foreach (var (key, value) in Values)
        {
            json[key] = value;
        }

        return json.ToJsonString();
    }

    /// <summary>The PULUMI_CONFIG_SECRET_KEYS JSON array.</summary>
    public string SecretKeysJson()
    {
        var json = new JsonArray();
        foreach (var key in SecretKeys)
        {
            json.Add(key);
        }

        return json.ToJsonString();
    }

    private static string Raw(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "null";
}
