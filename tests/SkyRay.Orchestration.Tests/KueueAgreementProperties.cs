using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Yaml;
using SkyRay.Orchestration.Manifests;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Runs;

namespace SkyRay.Orchestration.Tests;

/// <summary>
/// The planner and Kueue agree, on seeded random fleets that run Kueue everywhere: read back from what <c>skyray render</c> writes,
/// every pod set of every Ray object matches exactly one ResourceFlavor (Kueue's rule: the flavor's node labels against the pod
/// template's nodeSelector), tolerates that flavor's taints, and the pod sets of each flavor fit its ClusterQueue nominal quota.
/// The pod sets are counted here as Kueue's Ray integration counts them (head with its autoscaler sidecar, each worker group's
/// replicas × numOfHosts, the RayJob submitter), from the rendered objects, independently of the planner's demand model.
/// </summary>
public sealed class KueueAgreementProperties
{
    private static readonly (string Cpu, (string Type, string Pool)[] Gpu)[] Clouds =
    [
        ("m6i.2xlarge", [("g5.2xlarge", "gpu"), ("g5.12xlarge", "gpu")]),
        ("n2-standard-8", [("g2-standard-8", "l4"), ("g2-standard-24", "l4")]),
        ("Standard_D8s_v5", [("Standard_NC24ads_A100_v4", "a100")]),
    ];

    private static readonly string[] Providers = ["aws", "gcp", "azure"];

    private static readonly string[] Regions = ["us-east-1", "us-central1", "westeurope"];

    private static string Stack(int seed)
    {
        var random = new Random(seed);
        var yaml = new StringBuilder("kueue: {}\nclusters:\n");
        var clusters = random.Next(1, 4);
        for (var c = 0; c < clusters; c++)
        {
            var cloud = random.Next(3);
            yaml.Append(CultureInfo.InvariantCulture, $"  c{c}:\n    provider: {Providers[cloud]}\n    region: {Regions[cloud]}\n    kubernetesVersion: \"1.35\"\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    nodePools:\n      - {{name: cpu, instanceType: {Clouds[cloud].Cpu}, minNodes: {random.Next(0, 2)}, maxNodes: {random.Next(1, 5)}}}\n");
            if (c == 0 || random.Next(2) == 0)
            {
                var (type, pool) = Clouds[cloud].Gpu[random.Next(Clouds[cloud].Gpu.Length)];
                // GKE taints GPU nodes itself (configuring the taint is an error) and its GPU pools list the zones offering the GPU.
                var taint = cloud switch
                {
                    2 => ", spot: true",
                    1 => ", zones: [us-central1-a, us-central1-b]",
                    _ => ", taints: [{key: nvidia.com/gpu, value: \"true\", effect: NoSchedule}]",
                };
                yaml.Append(CultureInfo.InvariantCulture, $"      - {{name: {pool}, instanceType: {type}, maxNodes: {random.Next(1, 4)}{taint}}}\n");
            }
        }

        yaml.Append("workloads:\n");
        var kinds = new[] { "RayJob", "RayCluster", "RayService" };
        for (var w = 0; w < random.Next(1, 9); w++)
        {
            var kind = kinds[random.Next(3)];
            yaml.Append(CultureInfo.InvariantCulture, $"  w{w}:\n    kind: {kind}\n    namespace: ns{random.Next(3)}\n    head: {{cpu: {random.Next(1, 5)}, memory: {random.Next(2, 9)}Gi}}\n    workerGroups:\n");
            for (var g = 0; g < random.Next(1, 3); g++)
            {
                var gpu = random.Next(3) == 0 ? random.Next(1, 3) : 0;
                var replicas = random.Next(1, 5);
                var max = random.Next(2) == 0 ? replicas : replicas + random.Next(1, 4);
                yaml.Append(CultureInfo.InvariantCulture, $"      - {{name: g{g}, cpu: {random.Next(1, 7)}, memory: {random.Next(2, 25)}Gi, gpu: {gpu}, replicas: {replicas}, minReplicas: {replicas}, maxReplicas: {max}}}\n");
            }

            if (kind == "RayJob")
            {
                yaml.Append("    entrypoint: python job.py\n");
            }
            else if (kind == "RayService")
            {
                yaml.Append("    serveConfigV2: {applications: [{name: app, import_path: \"app:deployment\"}]}\n");
            }
        }

        return yaml.ToString();
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, 40))
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void What_the_planner_places_fits_the_cluster_queues_and_lands_in_the_flavor_of_its_pool(int seed)
    {
        var bag = new DiagnosticBag();
        var root = (JsonObject)YamlJson.ParseSingle(Stack(seed), "seed", bag)!;
        var loaded = FleetLoading.FromValues("seed", root.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal), Path.GetTempPath());
        if (!loaded.Ok)
        {
            // A random pod too big for every node of its fleet: nothing to plan.
            Assert.Contains(loaded.Diagnostics, d => d.Message.Contains("no node pool anywhere can hold one", StringComparison.Ordinal));
            return;
        }

        var run = RunPlanner.Plan(new RunRequest(loaded.Value!, PreviousRun.None, new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero)));
        var rendered = RenderAdapter.Render(run);
        var checkedPodSets = 0;
        foreach (var cluster in rendered.Clusters.Values)
        {
            var file = cluster.Files.SingleOrDefault(f => f.Name == RenderAdapter.WorkloadsFile);
            if (file is null)
            {
                continue;
            }

            var documents = YamlJson.ParseDocuments(file.Content, file.Name, bag).OfType<JsonObject>().ToList();
            Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
            var flavors = documents.Where(d => Kind(d) == "ResourceFlavor").ToDictionary(d => d["metadata"]!["name"]!.GetValue<string>(), d => d["spec"]!.AsObject(), StringComparer.Ordinal);
            var queue = documents.Single(d => Kind(d) == "ClusterQueue");
            var quota = Quotas(queue);
            var used = flavors.Keys.ToDictionary(f => f, _ => new long[3], StringComparer.Ordinal);
            foreach (var ray in documents.Where(d => d["apiVersion"]!.GetValue<string>() == "ray.io/v1"))
            {
                Assert.True(ray["metadata"]!["labels"]!.AsObject().ContainsKey("kueue.x-k8s.io/queue-name"));
                foreach (var (template, count) in PodSets(ray))
                {
                    var selector = template["spec"]?["nodeSelector"]?.AsObject() ?? [];
                    var matching = flavors.Where(f => Matches(f.Value, selector)).Select(f => f.Key).ToList();
                    var flavor = Assert.Single(matching);
                    Assert.True(Tolerates(template, flavors[flavor]), $"{ray["metadata"]!["name"]} does not tolerate the taints of {flavor}");
                    var request = Request(template);
                    for (var r = 0; r < 3; r++)
                    {
                        used[flavor][r] += request[r] * count;
                    }

                    checkedPodSets++;
                }
            }

            foreach (var (flavor, totals) in used)
            {
                for (var r = 0; r < 3; r++)
                {
                    Assert.True(totals[r] <= quota[flavor][r], $"seed {seed}, {cluster.Cluster} {flavor}: resource {r} uses {totals[r]} of quota {quota[flavor][r]}");
                }
            }
        }

        Assert.True(run.Plan.Placements.Values.All(p => !p.IsPlaced) || checkedPodSets > 0);
    }

    private static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    /// <summary>Kueue's flavor matching: every node label of the flavor that the pod's nodeSelector names must have the same value.</summary>
    private static bool Matches(JsonObject flavor, JsonObject selector) =>
        (flavor["nodeLabels"]?.AsObject() ?? []).All(l => !selector.ContainsKey(l.Key) || selector[l.Key]!.GetValue<string>() == l.Value!.GetValue<string>());

    private static bool Tolerates(JsonObject template, JsonObject flavor)
    {
        var tolerations = template["spec"]?["tolerations"]?.AsArray() ?? [];
        return (flavor["nodeTaints"]?.AsArray() ?? []).All(t => t!["effect"]!.GetValue<string>() == "PreferNoSchedule" || tolerations.Any(x =>
            x!["key"]?.GetValue<string>() == t["key"]!.GetValue<string>() &&
            (x["operator"]?.GetValue<string>() == "Exists" || x["value"]?.GetValue<string>() == t["value"]?.GetValue<string>())));
    }

    /// <summary>The nominal quotas per flavor: cpu millicores, memory bytes, GPUs.</summary>
    private static Dictionary<string, long[]> Quotas(JsonObject queue)
    {
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var flavor in queue["spec"]!["resourceGroups"]![0]!["flavors"]!.AsArray())
        {
            var values = new long[3];
            foreach (var resource in flavor!["resources"]!.AsArray())
            {
                var text = resource!["nominalQuota"]!.GetValue<string>();
                switch (resource["name"]!.GetValue<string>())
                {
                    case "cpu":
                        Assert.True(Quantities.TryParseCpu(text, out values[0], out _));
                        break;
                    case "memory":
                        Assert.True(Quantities.TryParse(text, out var bytes, out _));
                        values[1] = (long)bytes;
                        break;
                    default:
                        values[2] = long.Parse(text, CultureInfo.InvariantCulture);
                        break;
                }
            }

            result[flavor["name"]!.GetValue<string>()] = values;
        }

        return result;
    }

    /// <summary>Kueue's pod sets of a Ray object: head (plus the autoscaler sidecar, 500m / 512Mi unless set), worker groups, RayJob submitter.</summary>
    private static IEnumerable<(JsonObject Template, long Count)> PodSets(JsonObject ray)
    {
        var spec = ray["spec"]!.AsObject();
        var cluster = Kind(ray) switch
        {
            "RayJob" => spec["rayClusterSpec"]!.AsObject(),
            "RayService" => spec["rayClusterConfig"]!.AsObject(),
            _ => spec,
        };
        var head = (JsonObject)cluster["headGroupSpec"]!["template"]!.DeepClone();
        if (cluster["enableInTreeAutoscaling"]?.GetValue<bool>() == true)
        {
            head["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "512Mi" } } });
        }

        yield return (head, 1);
        foreach (var group in cluster["workerGroupSpecs"]?.AsArray() ?? [])
        {
            var replicas = group!["replicas"]?.GetValue<long>() ?? 1;
            var hosts = group["numOfHosts"]?.GetValue<long>() ?? 1;
            yield return (group["template"]!.AsObject(), replicas * Math.Max(1, hosts));
        }

        if (Kind(ray) == "RayJob" && (spec["submissionMode"]?.GetValue<string>() ?? "K8sJobMode") == "K8sJobMode")
        {
            yield return (spec["submitterPodTemplate"]!.AsObject(), 1);
        }
    }

    /// <summary>A pod's requests (a limit where no request is written), summed over its containers: cpu millicores, memory bytes, GPUs.</summary>
    private static long[] Request(JsonObject template)
    {
        var total = new long[3];
        foreach (var container in template["spec"]!["containers"]!.AsArray())
        {
            var resources = container!["resources"]?.AsObject();
            string? Get(string name) => resources?["requests"]?[name]?.GetValue<string>() ?? resources?["limits"]?[name]?.GetValue<string>();
            if (Get("cpu") is { } cpu && Quantities.TryParseCpu(cpu, out var millis, out _))
            {
                total[0] += millis;
            }

            if (Get("memory") is { } memory && Quantities.TryParseMemory(memory, out var bytes, out _))
            {
                total[1] += bytes;
            }

            if (Get("nvidia.com/gpu") is { } gpu)
            {
                total[2] += long.Parse(gpu, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
