using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Cli.Tests.Fuzz;

/// <summary>
/// Makes broken variants of a stack file from a seeded <see cref="Random"/>: textual damage (truncation,
/// random bytes, duplicate keys, deep nesting, anchors and alias bombs) and tree damage (swapped types,
/// huge numbers, unicode, empty maps, nulls, misspelt keys) written back as YAML.
/// </summary>
internal sealed partial class ConfigMutator(Random random, string baseText)
{
    private static readonly string[] Unicode =
        ["🚀", "\u202Eevil", "zero\u200Bwidth", "e\u0301", "ｆｕｌｌ", "日本語", "Ω≈ç√", "\uFEFFbom", "tab\tin", "line\nbreak", "\u00A0nbsp"];

    private readonly JsonNode _baseTree = Parse(baseText);

    public static IReadOnlyList<string> Kinds { get; } =
    [
        "truncate", "swap-type", "huge-number", "unicode", "empty-map", "deep-nesting",
        "anchors", "random-bytes", "duplicate-key", "nulls", "misspelt-key",
    ];

    public (string Kind, string Text) Next()
    {
        var kind = Kinds[random.Next(Kinds.Count)];
        var text = kind switch
        {
            "truncate" => baseText[..random.Next(baseText.Length)],
            "swap-type" => Mutate(SwapType),
            "huge-number" => Mutate(_ => HugeNumber()),
            "unicode" => MutateKeyOrValue(),
            "empty-map" => Mutate(n => n is JsonArray ? new JsonArray() : new JsonObject()),
            "deep-nesting" => DeepNesting(),
            "anchors" => Anchors(),
            "random-bytes" => RandomBytes(),
            "duplicate-key" => DuplicateKey(),
            "nulls" => Nulls(),
            _ => MisspeltKey(),
        };
        return (kind, text);
    }

    private static JsonNode Parse(string text)
    {
        var bag = new DiagnosticBag();
        return YamlJson.ParseSingle(text, "base", bag) ?? throw new InvalidOperationException(string.Join("\n", bag.Items));
    }

    /// <summary>Every node under <c>config</c> with a way to replace it.</summary>
    private static List<(JsonNode Parent, object Key)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, object)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList())
                    {
                        slots.Add((o, key));
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, i));
                        Walk(a[i]);
                    }

                    break;
            }
        }

        Walk(root["config"]);
        return slots;
    }

    private static JsonNode? Get(JsonNode parent, object key) => key is int i ? parent.AsArray()[i] : parent.AsObject()[(string)key];

    private static void Put(JsonNode parent, object key, JsonNode? value)
    {
        if (key is int i)
        {
            parent.AsArray()[i] = value;
        }
        else
        {
            parent.AsObject()[(string)key] = value;
        }
    }

    private string Mutate(Func<JsonNode?, JsonNode?> change)
    {
        var root = _baseTree.DeepClone();
        var slots = Slots(root);
        var (parent, key) = slots[random.Next(slots.Count)];
        Put(parent, key, change(Get(parent, key)));
        return YamlText.Write(root);
    }

    private JsonNode? SwapType(JsonNode? node)
    {
        JsonNode?[] others = node switch
        {
            JsonObject => ["text", 7, new JsonArray(1, 2), true],
            JsonArray => [new JsonObject { ["a"] = 1 }, "text", 3.5],
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [42, false, new JsonArray("x"), new JsonObject { ["k"] = "v" }],
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => ["many", true, new JsonObject()],
            _ => ["yes", 0, new JsonArray()],
        };
        return others[random.Next(others.Length)];
    }

    private JsonNode HugeNumber() => random.Next(5) switch
    {
        0 => JsonValue.Create(1e308),
        1 => JsonNode.Parse("99999999999999999999")!,
        2 => JsonValue.Create(-1e308),
        3 => JsonValue.Create(long.MinValue),
        _ => JsonValue.Create("1e400"),
    };

    private string MutateKeyOrValue()
    {
        var root = _baseTree.DeepClone();
        var slots = Slots(root).Where(s => s.Key is string || Get(s.Parent, s.Key) is JsonValue).ToList();
        var (parent, key) = slots[random.Next(slots.Count)];
        var junk = Unicode[random.Next(Unicode.Length)];
        if (key is string name && random.Next(2) == 0)
        {
            // Rename the key, keeping the others in their order.
            var obj = parent.AsObject();
            var entries = obj.ToList();
            obj.Clear();
            foreach (var (k, v) in entries)
            {
                obj[k == name ? (obj.ContainsKey(name + junk) ? name + junk + "2" : name + junk) : k] = v;
            }
        }
        else
        {
            Put(parent, key, JsonValue.Create(junk));
        }

        return YamlText.Write(root);
    }

    private string DeepNesting()
    {
        var depth = 150 + random.Next(20_000);
        if (random.Next(2) == 0)
        {
            return baseText.Replace("  skyray:kuberay:", $"  skyray:extra: {new string('[', depth)}{new string(']', depth)}\n  skyray:kuberay:", StringComparison.Ordinal);
        }

        var root = _baseTree.DeepClone();
        JsonNode deep = JsonValue.Create("bottom");
        for (var i = 0; i < Math.Min(depth, 400); i++)
        {
            deep = random.Next(2) == 0 ? new JsonObject { ["n"] = deep } : new JsonArray(deep);
        }

        var slots = Slots(root);
        var (parent, key) = slots[random.Next(slots.Count)];
        Put(parent, key, deep);
        return YamlText.Write(root);
    }

    private string Anchors()
    {
        string Bomb()
        {
            var text = new StringBuilder("config:\n  skyray:kuberay:\n    values:\n      l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
            for (var i = 1; i <= 9; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"      l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
            }

            return text.ToString();
        }

        return random.Next(6) switch
        {
            0 => Bomb(),
            1 => "config:\n  skyray:clusters: &c\n    a: *c\n",
            2 => baseText.Replace("  skyray:policies:", "  skyray:policies: *nowhere\n  skyray:unused:", StringComparison.Ordinal),
            3 => baseText.Replace("  skyray:workloads:", "  skyray:workloads: &w", StringComparison.Ordinal) + "  skyray:instanceTypes: *w\n",
            4 => baseText.Replace("      provider: aws", "      provider: &p aws", StringComparison.Ordinal)
                .Replace("      provider: gcp", "      provider: *p\n      lifecycle: *p", StringComparison.Ordinal),
            _ => "config:\n  skyray:workloads: &w {a: &x [*x]}\n",
        };
    }

    private string RandomBytes()
    {
        var bytes = new byte[1 + random.Next(64)];
        random.NextBytes(bytes);
        var junk = Encoding.Latin1.GetString(bytes);
        if (random.Next(3) == 0)
        {
            var whole = new byte[1 + random.Next(2000)];
            random.NextBytes(whole);
            return Encoding.Latin1.GetString(whole);
        }

        var at = random.Next(baseText.Length);
        return baseText[..at] + junk + baseText[at..];
    }

    private string DuplicateKey()
    {
        var lines = baseText.Split('\n').ToList();
        var candidates = Enumerable.Range(0, lines.Count).Where(i => KeyLine().IsMatch(lines[i])).ToList();
        var pick = candidates[random.Next(candidates.Count)];
        lines.Insert(pick + 1, lines[pick]);
        return string.Join('\n', lines);
    }

    private string Nulls()
    {
        var root = _baseTree.DeepClone();
        var slots = Slots(root);
        if (random.Next(4) == 0)
        {
            // Nulls everywhere: every leaf value.
            foreach (var (parent, key) in slots.Where(s => Get(s.Parent, s.Key) is JsonValue))
            {
                Put(parent, key, null);
            }
        }
        else
        {
            for (var i = 1 + random.Next(8); i > 0; i--)
            {
                var (parent, key) = slots[random.Next(slots.Count)];
                if (parent.Parent is not null || parent == root["config"])
                {
                    Put(parent, key, null);
                }
            }
        }

        return YamlText.Write(root);
    }

    private string MisspeltKey()
    {
        var root = _baseTree.DeepClone();
        var slots = Slots(root).Where(s => s.Key is string { Length: > 2 }).ToList();
        var (parent, key) = slots[random.Next(slots.Count)];
        var name = (string)key;
        var i = random.Next(name.Length - 1);
        var typo = random.Next(2) == 0 ? name[..i] + name[i + 1] + name[i] + name[(i + 2)..] : name.Remove(i, 1);
        var obj = parent.AsObject();
        if (typo == name || obj.ContainsKey(typo))
        {
            typo = name + "x";
        }

        var entries = obj.ToList();
        obj.Clear();
        foreach (var (k, v) in entries)
        {
            obj[k == name ? typo : k] = v;
        }

        return YamlText.Write(root);
    }

    [GeneratedRegex(@"^\s*[A-Za-z][\w.:/-]*:\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex KeyLine();
}
