using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>
/// Random but seed-determined stack configs, written as a user writes them (the <c>skyray:*</c> values) and loaded by the
/// config reader: clouds and existing clusters, spot and tainted pools, GPU pools, several worker groups, structured and raw
/// specs, tolerations, and every kind of policy (specified cluster, ordered priority, Duplicate per cluster and per zone,
/// Divide with a split, groupBy, available capacity), each chosen by name or by the workload's labels. <see cref="Change"/>
/// edits a config the way a pull request would, for re-plans.
/// </summary>
internal sealed class RandomStack
{
    /// <summary>The workload label the label-selected policies select on.</summary>
    public const string PolicyLabel = "random.skyray.io/policy";

    private static readonly string[] Teams = ["t0", "t1", "t2"];

    private RandomStack(JsonObject clusters, JsonObject workloads, JsonObject policies, string[] divideClusters)
    {
        Clusters = clusters;
        Workloads = workloads;
        Policies = policies;
        DivideClusters = divideClusters;
    }

    /// <summary>The <c>skyray:clusters</c> value.</summary>
    public JsonObject Clusters { get; }

    /// <summary>The <c>skyray:workloads</c> value.</summary>
    public JsonObject Workloads { get; }

    /// <summary>The <c>skyray:policies</c> value.</summary>
    public JsonObject Policies { get; }

    /// <summary>The two clusters the <c>divide</c> policy splits between (30 / 70).</summary>
    public string[] DivideClusters { get; }

    /// <summary>The policies by name, and what each one asks of a cluster (checked by the properties).</summary>
    public static readonly string[] PolicyNames = ["pinned", "prod", "ordered", "dup", "dup-zone", "divide", "grouped"];

    public static RandomStack Generate(int seed)
    {
        var random = new Random(seed);
        var clusters = new JsonObject();
        var count = random.Next(2, 8);
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            // At least one cloud cluster of each of the first two kinds, so the divide policy has two real clusters.
            var provider = i switch
            {
                0 => "aws",
                1 => random.Next(2) == 0 ? "gcp" : "azure",
                _ => new[] { "aws", "gcp", "azure", "existing" }[random.Next(4)],
            };
            var name = $"c{i}-{provider}";
            names.Add(name);
            clusters[name] = Cluster(random, provider, i);
        }

        var divide = new[] { names[0], names[1] };
        var policies = new JsonObject
        {
            ["pinned"] = Policy("pinned", new JsonObject { ["clusterSelector"] = MatchLabels("experiments", "on") }),
            ["prod"] = Policy("prod", new JsonObject
            {
                ["clusterSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "cluster.class", ["operator"] = "In", ["values"] = new JsonArray("production") }),
                },
            }),
            ["ordered"] = Policy("ordered", new JsonObject
            {
                ["orderedClusterSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "skyray.io/provider", ["operator"] = "In", ["values"] = new JsonArray("gcp", "aws", "azure") }),
                },
            }),
            ["dup"] = Policy("dup", new JsonObject
            {
                ["clusterSelector"] = MatchLabels("cluster.class", "production"),
                ["spreadConstraints"] = new JsonObject { ["spreadMode"] = "Duplicate", ["topologyKey"] = "kubernetes.io/metadata.name" },
            }),
            ["dup-zone"] = Policy("dup-zone", new JsonObject
            {
                ["spreadConstraints"] = new JsonObject { ["spreadMode"] = "Duplicate", ["topologyKey"] = "zone" },
            }),
            ["divide"] = Policy("divide", new JsonObject
            {
                ["clusterSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "kubernetes.io/metadata.name", ["operator"] = "In", ["values"] = new JsonArray(divide[0], divide[1]) }),
                },
                ["spreadConstraints"] = new JsonObject
                {
                    ["spreadMode"] = "Divide",
                    ["topologyKey"] = "kubernetes.io/metadata.name",
                    ["percentageSplit"] = new JsonObject { [divide[0]] = 30, [divide[1]] = 70 },
                },
            }),
            ["grouped"] = Policy("grouped", new JsonObject { ["groupBy"] = new JsonObject { ["labelKey"] = "team" } }),
        };

        var stack = new RandomStack(clusters, new JsonObject(), policies, divide);
        var workloads = random.Next(3, 25);
        for (var j = 0; j < workloads; j++)
        {
            stack.Workloads[$"w{j:D2}"] = Workload(random);
        }

        return stack;
    }

    /// <summary>The config values as the loader takes them (keys without the <c>skyray:</c> prefix).</summary>
    public Dictionary<string, JsonNode?> Values() => new(StringComparer.Ordinal)
    {
        ["clusters"] = Clusters.DeepClone(),
        ["workloads"] = Workloads.DeepClone(),
        ["policies"] = Policies.DeepClone(),
    };

    /// <summary>Loads the config; a config the reader refuses fails the test with its errors (the generator writes valid stacks).</summary>
    public FleetSpec Load()
    {
        var result = StackLoader.FromValues("random", Values(), Path.GetTempPath());
        Assert.True(result.Value is not null, string.Join("\n", result.Diagnostics.Where(d => d.Severity == Severity.Error)));
        return result.Value;
    }

    /// <summary>
    /// One edit, as a pull request would make it: a workload added, removed or resized, a cluster relabelled, or a cluster
    /// removed (not one the divide policy names). Returns the edited copy and the workloads the edit touched.
    /// </summary>
    public (RandomStack Stack, string Edit, IReadOnlySet<string> Touched) Change(int seed)
    {
        var random = new Random(seed);
        var next = new RandomStack((JsonObject)Clusters.DeepClone(), (JsonObject)Workloads.DeepClone(), (JsonObject)Policies.DeepClone(), DivideClusters);
        var workloads = next.Workloads.Select(w => w.Key).ToList();
        var clusters = next.Clusters.Select(c => c.Key).ToList();
        switch (random.Next(5))
        {
            case 0:
                var added = $"w{workloads.Count + 50:D2}";
                next.Workloads[added] = Workload(random);
                return (next, $"add {added}", new HashSet<string> { added });
            case 1 when workloads.Count > 1:
                var removed = workloads[random.Next(workloads.Count)];
                next.Workloads.Remove(removed);
                return (next, $"remove {removed}", new HashSet<string> { removed });
            case 2:
                var resized = workloads[random.Next(workloads.Count)];
                var group = WorkerGroups(next.Workloads[resized]!.AsObject())[0]!.AsObject();
                var replicas = random.Next(0, 7);
                group["replicas"] = replicas;
                group["minReplicas"] = 0;
                group["maxReplicas"] = Math.Max(replicas, 1) * 2;
                return (next, $"resize {resized} to {replicas}", new HashSet<string> { resized });
            case 3:
                var relabelled = clusters[random.Next(clusters.Count)];
                var labels = next.Clusters[relabelled]!["labels"]!.AsObject();
                labels["cluster.class"] = (string?)labels["cluster.class"] == "production" ? "development" : "production";
                labels["experiments"] = (string?)labels["experiments"] == "on" ? "off" : "on";
                return (next, $"relabel {relabelled}", new HashSet<string>());
            default:
                var candidates = clusters.Where(c => !DivideClusters.Contains(c)).ToList();
                if (candidates.Count == 0)
                {
                    goto case 3;
                }

                var gone = candidates[random.Next(candidates.Count)];
                next.Clusters.Remove(gone);
                return (next, $"remove cluster {gone}", new HashSet<string>());
        }
    }

    /// <summary>A workload's worker groups as written: the structured list, or the raw spec's <c>workerGroupSpecs</c>.</summary>
    public static JsonArray WorkerGroups(JsonObject workload)
    {
        if (workload["workerGroups"] is JsonArray structured)
        {
            return structured;
        }

        var spec = workload["spec"]!;
        var cluster = spec["rayClusterSpec"] ?? spec["rayClusterConfig"] ?? spec;
        return cluster["workerGroupSpecs"]!.AsArray();
    }

    private static JsonObject Cluster(Random random, string provider, int index)
    {
        var cluster = new JsonObject
        {
            ["provider"] = provider,
            ["kubernetesVersion"] = "1.35",
            ["labels"] = new JsonObject
            {
                ["cluster.class"] = random.Next(2) == 0 ? "production" : "development",
                ["zone"] = random.Next(2) == 0 ? "a" : "b",
                ["experiments"] = index == 0 || random.Next(4) == 0 ? "on" : "off",
            },
        };
        var pools = new JsonArray();
        var (cpu, gpu, region) = provider switch
        {
            "aws" => ("m6i.2xlarge", random.Next(2) == 0 ? "g5.xlarge" : "g5.12xlarge", "us-east-1"),
            "gcp" => ("n2-standard-8", "g2-standard-8", "us-central1"),
            "azure" => ("Standard_D8s_v5", "Standard_NC24ads_A100_v4", "westeurope"),
            _ => ("m6i.2xlarge", (string?)null, null),
        };
        if (region is not null)
        {
            cluster["region"] = region;
        }

        if (provider == "existing")
        {
            // Capacity SkyRay does not create: described so placement knows what fits, sized by the AWS catalog.
            cluster["existing"] = new JsonObject { ["context"] = "lab-admin", ["cloud"] = "aws" };
        }
        else
        {
            var dynamic = random.Next(3) == 0;
            if (dynamic)
            {
                cluster["lifecycle"] = "dynamic";
            }

            if (random.Next(4) == 0)
            {
                cluster["standby"] = new JsonObject { ["mode"] = dynamic && random.Next(2) == 0 ? "delete" : "suspend", ["idleAfter"] = "30m" };
            }
        }

        var min = cluster["lifecycle"] is null ? random.Next(0, 3) : 0;
        pools.Add(Pool("cpu", cpu, min, min + random.Next(1, 5)));
        if (random.Next(3) == 0)
        {
            var spot = Pool("cpuspot", cpu, 0, random.Next(1, 6));
            spot["spot"] = true;
            pools.Add(spot);
        }

        if (random.Next(3) == 0)
        {
            var tainted = Pool("ded", cpu, 0, random.Next(1, 4));
            tainted["taints"] = new JsonArray(new JsonObject { ["key"] = "dedicated", ["value"] = "ray", ["effect"] = random.Next(2) == 0 ? "NoSchedule" : "NoExecute" });
            pools.Add(tainted);
        }

        // Cluster 0 always has a GPU pool, so every GPU pod the generator writes fits somewhere (validation refuses one that fits nowhere).
        if (gpu is not null && (index == 0 || random.Next(2) == 0))
        {
            var pool = Pool("gpu", gpu, 0, random.Next(1, 4));
            if (provider == "gcp")
            {
                pool["zones"] = new JsonArray("us-central1-a");
            }

            pools.Add(pool);
        }

        cluster["nodePools"] = pools;
        return cluster;
    }

    private static JsonObject Pool(string name, string instanceType, int min, int max) => new()
    {
        ["name"] = name,
        ["instanceType"] = instanceType,
        ["minNodes"] = min,
        ["maxNodes"] = max,
    };

    /// <summary>A policy that selects its workloads by <see cref="PolicyLabel"/> as well as by name.</summary>
    private static JsonObject Policy(string name, JsonObject spec)
    {
        spec["resourceSelectors"] = new JsonObject { ["labelSelectors"] = new JsonArray(MatchLabels(PolicyLabel, name)) };
        return spec;
    }

    private static JsonObject MatchLabels(string key, string value) => new() { ["matchLabels"] = new JsonObject { [key] = value } };

    private static JsonObject Workload(Random random)
    {
        var kinds = new[] { "RayJob", "RayService", "RayCluster" };
        var kind = kinds[random.Next(kinds.Length)];
        var raw = random.Next(4) == 0;
        var labels = new JsonObject { ["team"] = Teams[random.Next(Teams.Length)] };
        var workload = new JsonObject { ["kind"] = kind, ["labels"] = labels };

        // A policy by name, by label, or none (available capacity).
        var policy = random.Next(PolicyNames.Length + 3) is var p && p < PolicyNames.Length ? PolicyNames[p] : null;
        if (policy is not null)
        {
            if (random.Next(2) == 0)
            {
                workload["policy"] = policy;
            }
            else
            {
                labels[PolicyLabel] = policy;
            }
        }

        var tolerations = new JsonArray();
        switch (random.Next(5))
        {
            case 0:
                tolerations.Add(new JsonObject { ["key"] = "dedicated", ["operator"] = "Equal", ["value"] = "ray", ["effect"] = "NoSchedule" });
                break;
            case 1:
                tolerations.Add(new JsonObject { ["key"] = "dedicated", ["operator"] = "Exists" });
                tolerations.Add(new JsonObject { ["key"] = "kubernetes.azure.com/scalesetpriority", ["operator"] = "Exists", ["effect"] = "NoSchedule" });
                break;
            case 2:
                tolerations.Add(new JsonObject { ["key"] = "nvidia.com/gpu", ["operator"] = "Exists", ["effect"] = "NoSchedule" });
                break;
        }

        if (tolerations.Count > 0)
        {
            workload["tolerations"] = tolerations;
        }

        var groups = random.Next(1, 4);
        var gpuGroup = random.Next(4) == 0 ? random.Next(groups) : -1;
        if (raw)
        {
            workload["spec"] = RawSpec(random, kind, groups, gpuGroup);
            return workload;
        }

        workload["head"] = new JsonObject { ["cpu"] = (500 * random.Next(1, 5)) + "m", ["memory"] = random.Next(1, 9) + "Gi" };
        var workerGroups = new JsonArray();
        for (var g = 0; g < groups; g++)
        {
            var replicas = random.Next(0, 5);
            // A GPU pod fits the smallest GPU node (g5.xlarge: 3.5 CPU, 15Gi after the reserve); a CPU pod the 8-CPU nodes.
            var gpuPod = g == gpuGroup;
            var group = new JsonObject
            {
                ["name"] = $"g{g}",
                ["cpu"] = (500 * random.Next(1, gpuPod ? 7 : 13)) + "m",
                ["memory"] = random.Next(1, gpuPod ? 13 : 25) + "Gi",
                ["replicas"] = replicas,
                ["minReplicas"] = 0,
                ["maxReplicas"] = Math.Max(replicas, 1) * 2,
            };
            if (g == gpuGroup)
            {
                group["gpu"] = 1;
            }

            workerGroups.Add(group);
        }

        workload["workerGroups"] = workerGroups;
        if (kind == "RayJob")
        {
            workload["entrypoint"] = "python main.py";
        }
        else if (kind == "RayService")
        {
            workload["serveConfigV2"] = new JsonObject { ["applications"] = new JsonArray(new JsonObject { ["name"] = "app", ["import_path"] = "app:deployment" }) };
        }

        return workload;
    }

    /// <summary>A raw KubeRay spec of the kind, as pasted from a sample: resources in the pod templates.</summary>
    private static JsonObject RawSpec(Random random, string kind, int groups, int gpuGroup)
    {
        static JsonObject Template(string container, string cpu, string memory, int gpus)
        {
            var requests = new JsonObject { ["cpu"] = cpu, ["memory"] = memory };
            var limits = new JsonObject { ["cpu"] = cpu, ["memory"] = memory };
            if (gpus > 0)
            {
                limits["nvidia.com/gpu"] = gpus;
            }

            return new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = container,
                        ["image"] = gpus > 0 ? "rayproject/ray:2.52.0-gpu" : "rayproject/ray:2.52.0",
                        ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = limits },
                    }),
                },
            };
        }

        var workers = new JsonArray();
        for (var g = 0; g < groups; g++)
        {
            var replicas = random.Next(0, 5);
            workers.Add(new JsonObject
            {
                ["groupName"] = $"g{g}",
                ["replicas"] = replicas,
                ["minReplicas"] = 0,
                ["maxReplicas"] = Math.Max(replicas, 1) * 2,
                ["rayStartParams"] = new JsonObject(),
                ["template"] = g == gpuGroup
                    ? Template("ray-worker", random.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next(2, 13) + "Gi", 1)
                    : Template("ray-worker", random.Next(1, 7).ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next(2, 25) + "Gi", 0),
            });
        }

        var cluster = new JsonObject
        {
            ["rayVersion"] = "2.52.0",
            ["headGroupSpec"] = new JsonObject
            {
                ["rayStartParams"] = new JsonObject(),
                ["template"] = Template("ray-head", random.Next(1, 3).ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next(2, 9) + "Gi", 0),
            },
            ["workerGroupSpecs"] = workers,
        };
        return kind switch
        {
            "RayJob" => new JsonObject { ["entrypoint"] = "python main.py", ["rayClusterSpec"] = cluster },
            "RayService" => new JsonObject
            {
                ["serveConfigV2"] = "applications:\n  - name: app\n    import_path: app:deployment\n",
                ["rayClusterConfig"] = cluster,
            },
            _ => cluster,
        };
    }
}
