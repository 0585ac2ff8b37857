using System.Text.Json.Nodes;
using SkyRay.Testing;
using YamlDotNet.RepresentationModel;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// Every stack in the repository, rendered as <c>pulumi up</c> would declare it, is secure by default: each Ray object has token
/// authentication and a NetworkPolicy of its own, and each of its pod templates meets the Pod Security Standards'
/// <c>restricted</c> profile. The profile's rules are written out here from the Kubernetes document ("Pod Security
/// Standards", Restricted), independently of the renderer's own check.
/// </summary>
public sealed class SecureByDefaultStacksTests
{
    public static TheoryData<string> Stacks()
    {
        var data = new TheoryData<string>();
        data.Add(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"));
        foreach (var file in Directory.GetFiles(Path.Combine(SharedMaterial.RepositoryRoot, "stacks"), "Pulumi.*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_rendered_ray_object_has_token_auth_a_network_policy_and_restricted_pod_templates(string stackFile)
    {
        var dir = Path.Combine(Path.GetTempPath(), "skyray-secure-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of(SharedMaterial.RepositoryRoot, "render", "--config-file", stackFile, "--out", dir);
            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());

            // One workloads file per live cluster: each copy's NetworkPolicy is on the copy's own cluster.
            var problems = new List<string>();
            var rayObjects = 0;
            foreach (var file in Directory.GetFiles(dir, "*.yaml", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "helm" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal))
            {
                var objects = Documents(file).ToList();
                var policies = objects.Where(o => (string?)o["kind"] == "NetworkPolicy").ToList();
                foreach (var ray in objects.Where(o => (string?)o["apiVersion"] == "ray.io/v1"))
                {
                    rayObjects++;
                    problems.AddRange(Check(ray, policies).Select(p => $"{Path.GetFileName(Path.GetDirectoryName(file))}: {p}"));
                }
            }

            Assert.True(rayObjects > 0, $"{stackFile} renders no Ray object");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>What a rendered Ray object lacks: token auth, an ingress NetworkPolicy selecting all its pods, restricted pods.</summary>
    private static IEnumerable<string> Check(JsonNode ray, IReadOnlyList<JsonNode> policies)
    {
        var kind = (string)ray["kind"]!;
        var name = (string)ray["metadata"]!["name"]!;
        var ns = (string?)ray["metadata"]!["namespace"];
        var spec = ray["spec"]!;
        var cluster = kind switch
        {
            "RayCluster" => spec,
            "RayJob" => spec["rayClusterSpec"]!,
            _ => spec["rayClusterConfig"]!,
        };
        if ((string?)cluster["authOptions"]?["mode"] != "token")
        {
            yield return $"{kind}/{name}: authOptions.mode is not token";
        }

        var templates = new List<(string Path, JsonNode Template)> { ("head", cluster["headGroupSpec"]!["template"]!) };
        templates.AddRange((cluster["workerGroupSpecs"]?.AsArray() ?? []).Select(g => ((string)g!["groupName"]!, g["template"]!)));
        if (spec["submitterPodTemplate"] is { } submitter)
        {
            templates.Add(("submitter", submitter));
        }

        // An ingress policy in the object's namespace whose pod selector matches the labels of every Ray pod template.
        var covering = policies.Where(p =>
            (string?)p["metadata"]!["namespace"] == ns &&
            (p["spec"]!["policyTypes"]?.AsArray().Any(t => (string?)t == "Ingress") ?? false) &&
            p["spec"]!["podSelector"]!["matchLabels"]?.AsObject() is { Count: > 0 } selector &&
            templates.Where(t => t.Path != "submitter").All(t => selector.All(l => (string?)t.Template["metadata"]?["labels"]?[l.Key] == (string?)l.Value)));
        if (!covering.Any())
        {
            yield return $"{kind}/{name}: no ingress NetworkPolicy in {ns} selects its Ray pods";
        }

        foreach (var (path, template) in templates)
        {
            foreach (var problem in Restricted(template))
            {
                yield return $"{kind}/{name} {path}: {problem}";
            }
        }
    }

    /// <summary>The restricted profile's rules (Pod Security Standards), for one pod template: what breaks them.</summary>
    private static IEnumerable<string> Restricted(JsonNode template)
    {
        var pod = template["spec"]!;
        var podContext = pod["securityContext"];
        foreach (var hostField in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            if (pod[hostField]?.GetValue<bool>() == true)
            {
                yield return $"{hostField} is true";
            }
        }

        foreach (var volume in pod["volumes"]?.AsArray() ?? [])
        {
            if (volume!["hostPath"] is not null)
            {
                yield return $"volume {volume["name"]} is a hostPath";
            }
        }

        var containers = (pod["containers"]?.AsArray() ?? []).Concat(pod["initContainers"]?.AsArray() ?? []);
        foreach (var container in containers)
        {
            var name = (string?)container!["name"];
            var context = container["securityContext"];
            if (context?["privileged"]?.GetValue<bool>() == true)
            {
                yield return $"{name}: privileged";
            }

            if (context?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
            {
                yield return $"{name}: allowPrivilegeEscalation is not false";
            }

            if ((context?["runAsNonRoot"] ?? podContext?["runAsNonRoot"])?.GetValue<bool>() != true)
            {
                yield return $"{name}: runAsNonRoot is not true";
            }

            if ((context?["runAsUser"] ?? podContext?["runAsUser"])?.GetValue<long>() == 0)
            {
                yield return $"{name}: runs as user 0";
            }

            var seccomp = (string?)(context?["seccompProfile"] ?? podContext?["seccompProfile"])?["type"];
            if (seccomp is not ("RuntimeDefault" or "Localhost"))
            {
                yield return $"{name}: seccompProfile.type is {seccomp ?? "unset"}";
            }

            var drop = context?["capabilities"]?["drop"]?.AsArray().Select(c => (string?)c).ToList() ?? [];
            if (!drop.Contains("ALL"))
            {
                yield return $"{name}: capabilities.drop does not contain ALL";
            }

            foreach (var added in context?["capabilities"]?["add"]?.AsArray() ?? [])
            {
                if ((string?)added != "NET_BIND_SERVICE")
                {
                    yield return $"{name}: adds capability {added}";
                }
            }
        }
    }

    private static IEnumerable<JsonNode> Documents(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return stream.Documents.Select(d => Json(d.RootNode)).OfType<JsonNode>();
    }

    /// <summary>YAML 1.2 core schema to JSON: plain scalars true/false, integers and null are typed, everything else text.</summary>
    private static JsonNode? Json(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Json(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Json)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => scalar.Value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" or "" or null => null,
            var text when long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text => JsonValue.Create(text),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
