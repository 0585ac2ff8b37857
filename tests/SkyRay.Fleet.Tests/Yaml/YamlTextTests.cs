using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Tests.Yaml;

/// <summary>
/// YAML text written for KubeRay's string fields (serveConfigV2, runtimeEnvYAML) is part of the declared objects: a
/// changed byte is an update on the next <c>pulumi up</c>. The direct writer of simple trees must therefore write exactly
/// what YamlDotNet's emitter writes, or leave the tree to it.
/// </summary>
public sealed class YamlTextTests
{
    [Fact]
    public void A_serve_config_is_written_as_block_yaml_with_unindented_lists()
    {
        var config = JsonNode.Parse("""{"applications":[{"name":"app","import_path":"main:app","route_prefix":"/","runtime_env":{"pip":["torch","ray==2.52.0"]},"deployments":[{"name":"D","num_replicas":2,"ray_actor_options":{"num_gpus":1.5}}]}]}""");
        const string Expected = """
            applications:
            - name: app
              import_path: main:app
              route_prefix: /
              runtime_env:
                pip:
                - torch
                - ray==2.52.0
              deployments:
              - name: D
                num_replicas: 2
                ray_actor_options:
                  num_gpus: 1.5

            """;
        Assert.Equal(Expected.ReplaceLineEndings("\n"), YamlText.Write(config));
    }

    [Fact]
    public void Strings_yaml_would_read_as_other_types_stay_strings()
    {
        var config = JsonNode.Parse("""{"a":"1","b":"true","c":"null","d":"1.5","e":2,"f":false,"g":null}""");
        Assert.Equal("a: \"1\"\nb: \"true\"\nc: \"null\"\nd: \"1.5\"\ne: 2\nf: false\ng: null\n", YamlText.Write(config));
    }

    [Fact]
    public void The_direct_writer_writes_what_the_emitter_writes_on_random_trees()
    {
        var random = new Random(20261206);
        var accepted = 0;
        const int Trees = 6_000;
        for (var i = 0; i < Trees; i++)
        {
            var tree = new JsonObject();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                tree[Word(random)] = Node(random, 0);
            }

            var emitted = YamlText.WriteWithEmitter(tree);
            if (YamlText.TryWriteSimple(tree) is { } direct)
            {
                Assert.True(emitted == direct, $"tree {tree.ToJsonString()}\nemitter:\n{emitted}\ndirect:\n{direct}");
                accepted++;
            }

            // Whatever is written reads back to the same tree.
            var bag = new DiagnosticBag();
            Assert.True(JsonNode.DeepEquals(NormalizeNumbers(tree), NormalizeNumbers(YamlJson.ParseSingle(YamlText.Write(tree), "x", bag))), tree.ToJsonString());
        }

        // Not a vacuous pass: most trees of usual words take the direct path.
        Assert.True(accepted > Trees / 5, $"{accepted} of {Trees} trees written directly");
    }

    [SkippableFact]
    public void Every_serve_config_of_the_kuberay_samples_is_written_as_the_emitter_writes_it()
    {
        var samples = Path.Combine(SkyRay.Testing.SharedMaterial.Require(SkyRay.Testing.SharedMaterial.Directory), "kuberay", "v1.7.0");
        var files = Directory.EnumerateFiles(samples, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var configs = 0;
        var direct = 0;
        foreach (var file in files)
        {
            foreach (var doc in YamlJson.ParseDocuments(File.ReadAllText(file), file, new DiagnosticBag()))
            {
                if (doc?["spec"]?["serveConfigV2"] is JsonValue text && text.TryGetValue<string>(out var yaml) &&
                    YamlJson.ParseSingle(yaml, file, new DiagnosticBag()) is JsonObject config)
                {
                    configs++;
                    if (YamlText.TryWriteSimple(config) is { } written)
                    {
                        Assert.Equal(YamlText.WriteWithEmitter(config), written);
                        direct++;
                    }
                }
            }
        }

        Assert.True(configs > 5, $"{configs} serve configs found in the samples");
        Assert.True(direct > 0, "no sample serve config was written directly");
    }

    private static readonly string[] UsualWords =
    [
        "app", "name", "main:app", "python main.py", "2.52.0", "a-b_c/d.e", "route_prefix", "num_gpus", "x", "Main",
        "ray==2.52.0", "A_B", "s3://bucket/key", "x y z", "a=b", "import_path", "deployments", "pip", "torch",
    ];

    /// <summary>Words with a meaning in YAML (types, indicators, spaces, escapes): each must be quoted or left to the emitter.</summary>
    private static readonly string[] Words =
    [
        "/", "1", "true", "null", "0x1F", "1.5", "~", ".inf", "-1", "yes", "on", "NO", "007", "+1", "1e3", "0o7",
        "a: b", "a #b", "-x", "x:", ":x", " lead", "trail ", "a\nb", "ü", "", "#x", "[a]", "a:b:c", "http://x.y/z",
        "-", "--", ".", "..", "a  b", "a\"b", "'q'", "a,b", "{x}", "@x", "`x", "%x", "!x", "&x", "*x", "|", ">", "?x",
        "a\tb", "a - b", "a -b", "0", "-0", ".5", "a:", "a: ", "1:2", "x:y z", "NaN", ".NaN", "1_000", "0.0.1",
    ];

    private static string Word(Random random) => random.Next(8) == 0 ? Words[random.Next(Words.Length)] : UsualWords[random.Next(UsualWords.Length)];

    private static JsonNode? Node(Random random, int depth)
    {
        var pick = random.Next(depth >= 3 ? 6 : 10);
        switch (pick)
        {
            case 0 or 1 or 2:
                return JsonValue.Create(Word(random));
            case 3:
                return JsonValue.Create(random.Next(-100, 100));
            case 4:
                return random.Next(3) switch { 0 => JsonValue.Create(1.25), 1 => JsonValue.Create(random.Next(2) == 0), _ => null };
            case 5:
                return JsonValue.Create((long)random.Next() * 1000);
            case 6 or 7:
                var map = new JsonObject();
                for (var k = random.Next(0, 4); k > 0; k--)
                {
                    map[Word(random)] = Node(random, depth + 1);
                }

                return map;
            default:
                var list = new JsonArray();
                for (var k = random.Next(0, 4); k > 0; k--)
                {
                    list.Add(Node(random, depth + 1));
                }

                return list;
        }
    }

    /// <summary>Numbers compared by value (an int written reads back as a long).</summary>
    private static JsonNode? NormalizeNumbers(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());
}
