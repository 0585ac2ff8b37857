using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Tests.Builders;

/// <summary>
/// Builds <c>skyray:*</c> config values, starting from a small valid stack (one AWS cluster with a CPU and
/// an A10G pool, one RayJob), and loads them with <see cref="TestCatalog"/>. Paths use '/' between
/// segments ("clusters/aws-west/nodePools/0/maxNodes") because keys such as label keys contain dots.
/// </summary>
internal sealed class StackConfigBuilder
{
    private readonly JsonObject _root;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private DateOnly _today = DateOnly.Parse(TestClock.Today, CultureInfo.InvariantCulture);
    private KubernetesCalendar? _calendar;

    private StackConfigBuilder(JsonObject root) => _root = root;

    public static StackConfigBuilder Valid() => new((JsonObject)Parse("""
        clusters:
          aws-west:
            provider: aws
            region: us-west-2
            kubernetesVersion: "1.35"
            labels:
              cluster.class: production
            nodePools:
              - name: cpu
                instanceType: m6i.2xlarge
                minNodes: 0
                maxNodes: 3
              - name: gpu
                instanceType: g5.2xlarge
                minNodes: 0
                maxNodes: 2
        workloads:
          job:
            kind: RayJob
            entrypoint: python train.py
            head:
              cpu: 1
              memory: 4Gi
            workerGroups:
              - name: workers
                cpu: 2
                memory: 8Gi
                replicas: 2
        """));

    public static StackConfigBuilder Empty() => new([]);

    public StackConfigBuilder Set(string path, JsonNode? value)
    {
        var (parent, last) = Walk(path, create: true);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                var index = int.Parse(last, CultureInfo.InvariantCulture);
                if (index == a.Count)
                {
                    a.Add(value);
                }
                else
                {
                    a[index] = value;
                }

                break;
        }

        return this;
    }

    /// <summary>Sets a value given as YAML text (maps, lists, quoted strings).</summary>
    public StackConfigBuilder SetYaml(string path, string yaml) => Set(path, Parse(yaml));

    public StackConfigBuilder Remove(string path)
    {
        var (parent, last) = Walk(path, create: false);
        if (parent is JsonObject o)
        {
            o.Remove(last);
        }
        else if (parent is JsonArray a)
        {
            a.RemoveAt(int.Parse(last, CultureInfo.InvariantCulture));
        }

        return this;
    }

    public StackConfigBuilder WithEnvironment(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    /// <summary>The values as the Pulumi program would pass them (JSON-backed nodes, like Pulumi config's JSON).</summary>
    public Dictionary<string, JsonNode?> Values() =>
        _root.ToDictionary(p => p.Key, p => p.Value is null ? null : JsonNode.Parse(p.Value.ToJsonString()), StringComparer.Ordinal);

    public Result<FleetSpec> Load(string? baseDirectory = null) =>
        StackLoader.FromValues("test", Values(), baseDirectory ?? Path.GetTempPath(), Options());

    /// <summary>The same config as a Pulumi stack file (JSON flow values are YAML too).</summary>
    public string ToStackFile(string? extra = null)
    {
        var text = new StringBuilder("config:\n  aws:region: us-west-2\n");
        foreach (var (key, value) in _root)
        {
            text.Append(CultureInfo.InvariantCulture, $"  skyray:{key}: {value?.ToJsonString() ?? "null"}\n");
        }

        return text.Append(extra).ToString();
    }

    public Result<FleetSpec> LoadFile(string directory, string stack = "test")
    {
        var path = Path.Combine(directory, $"Pulumi.{stack}.yaml");
        File.WriteAllText(path, ToStackFile());
        return StackLoader.LoadFile(path, Options());
    }

    internal LoadOptions Options() =>
        new(TestCatalog.Create(), name => _environment.GetValueOrDefault(name)) { Versions = new VersionClock(_today, _calendar ?? KubernetesCalendar.BuiltIn()) };

    /// <summary>Checks Kubernetes versions on <paramref name="today"/> (default: the pinned test day) against <paramref name="calendar"/> (default: the built-in one).</summary>
    public StackConfigBuilder On(DateOnly today, KubernetesCalendar? calendar = null)
    {
        _today = today;
        _calendar = calendar ?? _calendar;
        return this;
    }

    private static JsonNode Parse(string yaml)
    {
        var bag = new DiagnosticBag();
        var node = YamlJson.ParseSingle(yaml, "builder", bag);
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        return node!;
    }

    private (JsonNode Parent, string Last) Walk(string path, bool create)
    {
        var parts = path.Split('/');
        JsonNode current = _root;
        foreach (var part in parts[..^1])
        {
            JsonNode? next = current switch
            {
                JsonObject o => o[part],
                JsonArray a => a[int.Parse(part, CultureInfo.InvariantCulture)],
                _ => null,
            };
            if (next is null && create && current is JsonObject parent)
            {
                next = new JsonObject();
                parent[part] = next;
            }

            current = next ?? throw new InvalidOperationException($"builder path '{path}' does not exist at '{part}'");
        }

        return (current, parts[^1]);
    }
}
