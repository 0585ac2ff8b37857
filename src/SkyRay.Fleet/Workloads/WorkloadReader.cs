using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Workloads;

/// <summary>Reads and checks one entry of <c>skyray:workloads</c>, in the structured or the raw form, and computes its demand.</summary>
internal static partial class WorkloadReader
{
    /// <summary>Ray version used when config names none (the version KubeRay 1.7.0's samples use).</summary>
    public const string DefaultRayVersion = "2.52.0";

    /// <summary>Namespace used when config names none.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>Head CPU when config gives none.</summary>
    public const string DefaultHeadCpu = "1";

    /// <summary>Head memory when config gives none.</summary>
    public const string DefaultHeadMemory = "4Gi";

    /// <summary>Most replicas of one worker group.</summary>
    public const int MaxReplicas = 10_000;

    /// <summary>Most GPUs one pod may ask for (the largest instances have 8; 16 leaves room).</summary>
    public const int MaxGpusPerPod = 16;

    /// <summary>Longest job TTL or deadline accepted (one year, in seconds).</summary>
    public const int MaxJobSeconds = 365 * 24 * 3600;

    private static readonly ImmutableArray<string> JobKeys = ["activeDeadlineSeconds", "entrypoint", "runtimeEnv", "shutdownAfterJobFinishes", "ttlSecondsAfterFinished"];

    private static readonly ImmutableArray<string> StructuredKeys = ["head", "image", "rayVersion", "workerGroups", .. JobKeys, "serveConfigV2"];

    private static readonly ImmutableArray<string> Keys = ["exposure", "kind", "labels", "namespace", "policy", "priorityClass", "queue", "security", "spec", "tolerations", .. StructuredKeys];

    private static readonly ImmutableArray<string> TolerationKeys = ["effect", "key", "operator", "value"];

    private static readonly ImmutableArray<string> TolerationOperators = [Toleration.EqualOperator, Toleration.ExistsOperator];

    private static readonly ImmutableArray<string> TolerationEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"];

    private static readonly ImmutableArray<string> HeadKeys = ["cpu", "gpu", "gpuType", "memory", "rayStartParams"];

    private static readonly ImmutableArray<string> WorkerKeys = ["cpu", "gpu", "gpuType", "maxReplicas", "memory", "minReplicas", "name", "rayStartParams", "replicas"];

    private static readonly FrozenDictionary<string, RayKind> Kinds = new Dictionary<string, RayKind>
    {
        ["RayCluster"] = RayKind.RayCluster,
        ["RayJob"] = RayKind.RayJob,
        ["RayService"] = RayKind.RayService,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Reads a workload; null when it has errors that leave no usable spec.</summary>
    /// <param name="name">Workload name (the map key).</param>
    /// <param name="node">Its tree.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    /// <param name="gpuTypes">GPU types known to the catalog.</param>
    /// <param name="secureKeys">Config keys of the stack file holding secure values (a shared Ray token), or null when unknown.</param>
    public static WorkloadSpec? Read(string name, JsonNode? node, string path, ConfigReader reader, IReadOnlySet<string> gpuTypes, IReadOnlySet<string>? secureKeys = null)
    {
        var d = reader.Diagnostics;
        var errorsBefore = d.ErrorCount;
        if (KubernetesNames.CheckDnsLabel(name) is { } nameProblem)
        {
            d.Error(path, $"workload name '{KubernetesNames.Shorten(name)}' {nameProblem}", "use a name like 'llm-serve' or 'train-job'");
        }

        if (reader.Map(node, path, "a workload") is not { } map)
        {
            return null;
        }

        reader.KnownKeys(map, path, Keys);
        var kind = reader.Enum(map, "kind", path, Kinds, required: true);
        var ns = reader.String(map, "namespace", path, example: "ray") ?? DefaultNamespace;
        if (KubernetesNames.CheckDnsLabel(ns) is { } nsProblem)
        {
            d.Error(ConfigReader.Child(path, "namespace"), $"namespace '{KubernetesNames.Shorten(ns)}' {nsProblem}", "use a namespace like 'ray' or 'ml-team'");
        }

        var labels = reader.Labels(map, "labels", path);
        var policy = reader.String(map, "policy", path, example: "gpu-first");
        var tolerations = ReadTolerations(map, path, reader);
        var queue = ReadQueueName(map, "queue", path, reader, "team-a");
        var priorityClass = ReadQueueName(map, "priorityClass", path, reader, "high");

        var exposure = SecurityReader.ReadExposure(map, path, reader, kind);
        if (map.ContainsKey("spec"))
        {
            var raw = ReadRaw(name, map, path, reader, kind, ns, labels, policy, errorsBefore);
            var rawSecurity = SecurityReader.Read(map, path, reader, secureKeys, kind, raw?.RawSpec, null, raw is null ? [] : RayImages(raw.Kind, raw.RawSpec!, ConfigReader.Child(path, "spec")));
            return raw is null || d.ErrorCount > errorsBefore
                ? null
                : raw with
                {
                    Security = rawSecurity,
                    Exposure = exposure,
                    Tolerations = tolerations,
                    TemplateTolerations = RawSpecDemand.TemplateTolerations(raw.Kind, raw.RawSpec!),
                    Queue = queue,
                    PriorityClass = priorityClass,
                };
        }

        var rayVersion = ReadRayVersion(map, path, reader);
        var imageGiven = reader.String(map, "image", path, example: $"rayproject/ray:{DefaultRayVersion}");
        var imagePath = imageGiven is null ? null : ConfigReader.Child(path, "image");
        if (imageGiven is not null && (imageGiven.Length == 0 || imageGiven.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || imageGiven.Length > 512))
        {
            d.Error(imagePath!, "is not a container image reference", $"for example: image: rayproject/ray:{DefaultRayVersion}");
            imageGiven = null;
        }
        else if (imageGiven is not null)
        {
            ImageReferences.Check(imageGiven, imagePath!, d);
        }

        var image = imageGiven ?? $"rayproject/ray:{rayVersion}";
        var head = ReadHead(map, path, reader, gpuTypes);
        var workers = ReadWorkers(map, path, reader, gpuTypes);
        if (imageGiven is null && !map.ContainsKey("image") && (head?.Spec.Gpu > 0 || workers.Any(w => w.Spec.Gpu > 0)))
        {
            d.Warning(
                ConfigReader.Child(path, "image"),
                $"GPU pods would run the default image rayproject/ray:{rayVersion}, which has no CUDA libraries",
                $"set image: rayproject/ray:{rayVersion}-gpu");
        }

        var job = ReadJob(map, path, reader, kind);
        var serve = ReadServe(map, path, reader, kind);
        var security = SecurityReader.Read(
            map, path, reader, secureKeys, kind, null, rayVersion,
            imageGiven is null ? [] : [(imageGiven, imagePath!)]);
        if (kind is null || head is null || d.ErrorCount > errorsBefore)
        {
            return null;
        }

        // The same rules as for raw specs (autoscaler sidecar, submitter pod): one place, RawSpecDemand.
        var demand = RawSpecDemand.Structured(kind.Value, head.Shape, [.. workers.Select(w => (w.Spec, w.Shape))]);
        return new WorkloadSpec(
            name, kind.Value, ns, labels, policy, rayVersion, image, head.Spec, [.. workers.Select(w => w.Spec)],
            job, serve, null, demand) { Security = security, Exposure = exposure, Tolerations = tolerations, Queue = queue, PriorityClass = priorityClass };
    }

    /// <summary>
    /// The workload's <c>tolerations</c>: Kubernetes tolerations (key, operator Equal or Exists, value, effect) every pod of
    /// the workload gets, which let placement use pools with those taints.
    /// </summary>
    private static ImmutableArray<Toleration> ReadTolerations(JsonObject map, string path, ConfigReader reader)
    {
        if (map["tolerations"] is null)
        {
            return [];
        }

        var at = ConfigReader.Child(path, "tolerations");
        if (reader.List(map["tolerations"], at, "tolerations") is not { } list)
        {
            return [];
        }

        var d = reader.Diagnostics;
        var result = ImmutableArray.CreateBuilder<Toleration>();
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = ConfigReader.Item(at, i);
            if (reader.Map(list[i], itemPath, "a toleration {key, operator, value, effect}") is not { } item)
            {
                continue;
            }

            reader.KnownKeys(item, itemPath, TolerationKeys);
            var errors = d.ErrorCount;
            var key = reader.String(item, "key", itemPath, example: "nvidia.com/gpu");
            if (key is not null && KubernetesNames.CheckLabelKey(key) is { } keyProblem)
            {
                d.Error(ConfigReader.Child(itemPath, "key"), $"toleration key '{KubernetesNames.Shorten(key)}' {keyProblem}", "toleration keys follow label key rules, e.g. 'nvidia.com/gpu'");
            }

            var op = reader.String(item, "operator", itemPath, example: Toleration.ExistsOperator) ?? Toleration.EqualOperator;
            if (!TolerationOperators.Contains(op))
            {
                d.Error(ConfigReader.Child(itemPath, "operator"), $"'{KubernetesNames.Shorten(op)}' is not a toleration operator", Suggestions.Hint(op, TolerationOperators, "operators"));
            }

            var value = reader.String(item, "value", itemPath);
            if (value is not null && op == Toleration.ExistsOperator)
            {
                d.Error(ConfigReader.Child(itemPath, "value"), "a toleration with operator Exists has no value", "remove value, or use operator: Equal");
            }
            else if (value is not null && KubernetesNames.CheckLabelValue(value) is { } valueProblem)
            {
                d.Error(ConfigReader.Child(itemPath, "value"), $"toleration value '{KubernetesNames.Shorten(value)}' {valueProblem}", "toleration values follow label value rules");
            }

            if (key is null && op != Toleration.ExistsOperator && item["key"] is null)
            {
                d.Error(itemPath, "a toleration without a key must use operator: Exists (it then tolerates every taint)", "add key, or set operator: Exists");
            }

            var effect = reader.String(item, "effect", itemPath, example: "NoSchedule");
            if (effect is not null && !TolerationEffects.Contains(effect))
            {
                d.Error(ConfigReader.Child(itemPath, "effect"), $"'{KubernetesNames.Shorten(effect)}' is not a taint effect", Suggestions.Hint(effect, TolerationEffects, "effects"));
            }

            if (d.ErrorCount == errors)
            {
                result.Add(new Toleration(key, op, value, effect));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Reads the name of a Kueue LocalQueue or WorkloadPriorityClass. Both names become label values
    /// (<c>kueue.x-k8s.io/queue-name</c>, <c>kueue.x-k8s.io/priority-class</c>) and object names, so they are DNS-1123 labels.
    /// Whether the clusters the workload may go to run Kueue and know the class is checked once the fleet is loaded.
    /// </summary>
    private static string? ReadQueueName(JsonObject map, string key, string path, ConfigReader reader, string example)
    {
        var name = reader.String(map, key, path, example: example);
        if (name is not null && KubernetesNames.CheckDnsLabel(name) is { } problem)
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, key), $"{(key == "queue" ? "queue" : "priority class")} name '{KubernetesNames.Shorten(name)}' {problem}", $"for example: {key}: {example}");
            return null;
        }

        return name;
    }

    private static WorkloadSpec? ReadRaw(
        string name, JsonObject map, string path, ConfigReader reader, RayKind? kind, string ns,
        ImmutableSortedDictionary<string, string> labels, string? policy, int errorsBefore)
    {
        var d = reader.Diagnostics;
        var mixed = false;
        foreach (var key in StructuredKeys.Where(map.ContainsKey))
        {
            mixed = true;
            d.Error(
                ConfigReader.Child(path, key),
                $"'{key}' belongs to the structured form, but this workload gives a raw KubeRay spec",
                "use either a raw 'spec' (everything inside it) or the structured fields, not both");
        }

        var specPath = ConfigReader.Child(path, "spec");
        if (reader.Map(map["spec"], specPath, "a KubeRay spec") is not { } spec || kind is null || mixed)
        {
            return null;
        }

        var copy = (JsonObject)spec.DeepClone();
        var demand = RawSpecDemand.Compute(kind.Value, copy, specPath, d);
        CheckImages(kind.Value, copy, specPath, d);
        if (d.ErrorCount > errorsBefore)
        {
            return null;
        }

        var cluster = kind switch
        {
            RayKind.RayJob => copy["rayClusterSpec"] as JsonObject,
            RayKind.RayService => copy["rayClusterConfig"] as JsonObject,
            _ => copy,
        };
        var rayVersion = TextAt(cluster?["rayVersion"]) ?? "";
        var image = TextAt((((cluster?["headGroupSpec"] as JsonObject)?["template"] as JsonObject)?["spec"] as JsonObject)?["containers"] is JsonArray { Count: > 0 } containers
            ? (containers[0] as JsonObject)?["image"]
            : null) ?? "";
        return new WorkloadSpec(name, kind.Value, ns, labels, policy, rayVersion, image, null, [], null, null, copy, demand);
    }

    /// <summary>Warns on every untagged or <c>:latest</c> container image of the raw spec's pod templates.</summary>
    private static void CheckImages(RayKind kind, JsonObject spec, string specPath, DiagnosticBag diagnostics)
    {
        foreach (var template in RayPodTemplates.Of(kind, spec, specPath))
        {
            if (template.Template["spec"] is not JsonObject podSpec)
            {
                continue;
            }

            foreach (var (container, containerPath) in RayPodTemplates.Containers(podSpec, template.Path + ".spec"))
            {
                if (TextAt(container["image"]) is { } image)
                {
                    ImageReferences.Check(image, containerPath + ".image", diagnostics);
                }
            }
        }
    }

    /// <summary>The images of the Ray containers (the first container of the head and worker templates), with their paths.</summary>
    private static List<(string Image, string Path)> RayImages(RayKind kind, JsonObject spec, string specPath)
    {
        var images = new List<(string, string)>();
        foreach (var template in RayPodTemplates.Of(kind, spec, specPath).Where(t => t.Group != RawSpecDemand.SubmitterGroup))
        {
            if (template.Template["spec"] is JsonObject podSpec && podSpec["containers"] is JsonArray { Count: > 0 } containers &&
                containers[0] is JsonObject ray && TextAt(ray["image"]) is { } image)
            {
                images.Add((image, template.Path + ".spec.containers[0].image"));
            }
        }

        return images;
    }

    private static string? TextAt(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? ConfigReader.Text(v) : null;

    private static string ReadRayVersion(JsonObject map, string path, ConfigReader reader)
    {
        if (map["rayVersion"] is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, "rayVersion"), "the Ray version is written as a number", $"quote it: rayVersion: \"{DefaultRayVersion}\"");
            return DefaultRayVersion;
        }

        var text = reader.String(map, "rayVersion", path, example: $"\"{DefaultRayVersion}\"");
        if (text is null)
        {
            return DefaultRayVersion;
        }

        if (!RayVersion().IsMatch(text))
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, "rayVersion"), $"'{KubernetesNames.Shorten(text)}' is not a Ray 2.x version", $"write it as \"2.X.Y\", e.g. \"{DefaultRayVersion}\"");
        }

        return text;
    }

    private sealed record Group(RayGroupSpec Spec, PodShape Shape);

    private static Group? ReadHead(JsonObject map, string path, ConfigReader reader, IReadOnlySet<string> gpuTypes)
    {
        var at = ConfigReader.Child(path, "head");
        if (map["head"] is null)
        {
            return Resources(new JsonObject(), at, reader, gpuTypes) is { } defaults
                ? new Group(new RayGroupSpec("head", DefaultHeadCpu, DefaultHeadMemory, 0, null, 1, 1, 1, ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)), defaults)
                : null;
        }

        if (reader.Map(map["head"], at, "the head group") is not { } head)
        {
            return null;
        }

        reader.KnownKeys(head, at, HeadKeys);
        var shape = Resources(head, at, reader, gpuTypes);
        var parameters = reader.StringMap(head, "rayStartParams", at);
        if (shape is null)
        {
            return null;
        }

        var spec = new RayGroupSpec(
            "head",
            ReadText(head, "cpu") ?? DefaultHeadCpu,
            ReadText(head, "memory") ?? DefaultHeadMemory,
            shape.Gpus,
            shape.GpuType,
            1,
            1,
            1,
            parameters);
        return new Group(spec, shape);
    }

    private static List<Group> ReadWorkers(JsonObject map, string path, ConfigReader reader, IReadOnlySet<string> gpuTypes)
    {
        var result = new List<Group>();
        var at = ConfigReader.Child(path, "workerGroups");
        if (map["workerGroups"] is null || reader.List(map["workerGroups"], at, "worker groups") is not { } list)
        {
            return result;
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { "head" };
        for (var i = 0; i < list.Count; i++)
        {
            var groupPath = ConfigReader.Item(at, i);
            if (reader.Map(list[i], groupPath, "a worker group") is not { } group)
            {
                continue;
            }

            reader.KnownKeys(group, groupPath, WorkerKeys);
            var name = reader.String(group, "name", groupPath, required: true, example: "gpu-workers");
            if (name is not null && KubernetesNames.CheckDnsLabel(name) is { } problem)
            {
                reader.Diagnostics.Error(ConfigReader.Child(groupPath, "name"), $"worker group name '{KubernetesNames.Shorten(name)}' {problem}", "use a name like 'gpu-workers'");
                name = null;
            }
            else if (name is not null && !names.Add(name))
            {
                reader.Diagnostics.Error(
                    ConfigReader.Child(groupPath, "name"),
                    name == "head" ? "'head' is the name of the head group" : $"worker group name '{name}' is used twice",
                    "give each worker group its own name");
                name = null;
            }

            var shape = Resources(group, groupPath, reader, gpuTypes, required: true);
            var replicas = ReadReplicas(group, groupPath, reader);
            var parameters = reader.StringMap(group, "rayStartParams", groupPath);
            if (name is null || shape is null || replicas is null)
            {
                continue;
            }

            var (count, min, max) = replicas.Value;
            result.Add(new Group(
                new RayGroupSpec(name, ReadText(group, "cpu")!, ReadText(group, "memory")!, shape.Gpus, shape.GpuType, count, min, max, parameters),
                shape));
        }

        return result;
    }

    private static (int Replicas, int Min, int Max)? ReadReplicas(JsonObject group, string path, ConfigReader reader)
    {
        var replicas = reader.Int(group, "replicas", path, 0, MaxReplicas);
        var min = reader.Int(group, "minReplicas", path, 0, MaxReplicas);
        var max = reader.Int(group, "maxReplicas", path, 0, MaxReplicas);
        if ((group["replicas"] is not null && replicas is null) || (group["minReplicas"] is not null && min is null) || (group["maxReplicas"] is not null && max is null))
        {
            return null;
        }

        // Defaults: replicas from minReplicas (else 1); min = replicas; max = the larger of replicas and min.
        var r = replicas ?? min ?? 1;
        var lo = min ?? Math.Min(r, max ?? r);
        var hi = max ?? Math.Max(r, lo);
        var ok = true;
        if (lo > hi)
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, "minReplicas"), $"minReplicas ({lo}) is more than maxReplicas ({hi})", "make minReplicas at most maxReplicas");
            ok = false;
        }
        else if (r < lo || r > hi)
        {
            reader.Diagnostics.Error(
                ConfigReader.Child(path, "replicas"),
                $"replicas ({r}) is outside minReplicas..maxReplicas ({lo}..{hi})",
                "make minReplicas ≤ replicas ≤ maxReplicas");
            ok = false;
        }

        return ok ? (r, lo, hi) : null;
    }

    private static string? ReadText(JsonObject group, string key) => group[key] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ConfigReader.Text(v),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    private static PodShape? Resources(JsonObject group, string path, ConfigReader reader, IReadOnlySet<string> gpuTypes, bool required = false)
    {
        var d = reader.Diagnostics;
        var ok = true;
        var cpuText = reader.ScalarText(group, "cpu", path, required, "\"4\"") ?? (required ? null : DefaultHeadCpu);
        long cpu = 0;
        if (cpuText is null)
        {
            ok = false;
        }
        else if (!Quantities.TryParseCpu(cpuText, out cpu, out var problem))
        {
            d.Error(ConfigReader.Child(path, "cpu"), $"cpu '{KubernetesNames.Shorten(cpuText)}' {problem}", "write cores as a Kubernetes quantity, e.g. 4 or 500m");
            ok = false;
        }

        var memoryText = reader.ScalarText(group, "memory", path, required, "16Gi") ?? (required ? null : DefaultHeadMemory);
        long memory = 0;
        if (memoryText is null)
        {
            ok = false;
        }
        else if (!Quantities.TryParseMemory(memoryText, out memory, out var problem))
        {
            d.Error(ConfigReader.Child(path, "memory"), $"memory '{KubernetesNames.Shorten(memoryText)}' {problem}", "write memory as a Kubernetes quantity, e.g. 16Gi or 512Mi");
            ok = false;
        }
        else if (memory < 256L * 1024 * 1024)
        {
            d.Warning(
                ConfigReader.Child(path, "memory"),
                $"memory '{KubernetesNames.Shorten(memoryText)}' is less than 256Mi; Ray needs more than that",
                "did you forget the unit? e.g. 16Gi");
        }

        var gpu = reader.Int(group, "gpu", path, 0, MaxGpusPerPod);
        if (group["gpu"] is not null && gpu is null)
        {
            ok = false;
        }

        // Cloud spellings (nvidia-l4, a100) become the catalog's names, so placement compares like with like.
        var gpuType = reader.String(group, "gpuType", path, example: "L4") is { } written ? GpuTypes.Canonical(written) : null;
        if (gpuType is not null)
        {
            if (!gpuTypes.Any(offered => GpuTypes.Satisfies(gpuType, offered)))
            {
                d.Error(
                    ConfigReader.Child(path, "gpuType"),
                    $"GPU type '{KubernetesNames.Shorten(gpuType)}' is not offered by any instance type in the catalog",
                    Suggestions.Hint(gpuType, [.. gpuTypes], "GPU types"));
                ok = false;
            }
            else if ((gpu ?? 0) == 0)
            {
                d.Error(ConfigReader.Child(path, "gpuType"), $"gpuType {gpuType} is set but the group asks for no GPU", "set gpu: 1 (or more), or remove gpuType");
                ok = false;
            }
        }

        return ok ? new PodShape(cpu, memory, gpu ?? 0, gpuType) : null;
    }

    private static RayJobSettings? ReadJob(JsonObject map, string path, ConfigReader reader, RayKind? kind)
    {
        var d = reader.Diagnostics;
        if (kind is not RayKind.RayJob)
        {
            if (kind is not null)
            {
                foreach (var key in JobKeys.Where(map.ContainsKey))
                {
                    d.Error(ConfigReader.Child(path, key), $"'{key}' is a RayJob field; this workload is a {kind}", "remove it, or change kind to RayJob");
                }
            }

            return null;
        }

        var entrypoint = reader.String(map, "entrypoint", path, required: true, example: "python train.py");
        string? runtimeEnv = null;
        switch (map["runtimeEnv"])
        {
            case null:
                break;
            case JsonObject env when !ConfigReader.IsSecure(env):
                runtimeEnv = YamlText.Write(env);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                runtimeEnv = CheckYamlMap(ConfigReader.Text(v), ConfigReader.Child(path, "runtimeEnv"), reader, null) ? ConfigReader.Text(v) : null;
                break;
            default:
                reader.Map(map["runtimeEnv"], ConfigReader.Child(path, "runtimeEnv"), "a Ray runtime environment");
                break;
        }

        var shutdown = reader.Bool(map, "shutdownAfterJobFinishes", path) ?? true;
        var ttl = reader.Int(map, "ttlSecondsAfterFinished", path, 0, MaxJobSeconds);
        var deadline = reader.Int(map, "activeDeadlineSeconds", path, 1, MaxJobSeconds);
        if (ttl is not null && !shutdown)
        {
            d.Warning(
                ConfigReader.Child(path, "ttlSecondsAfterFinished"),
                "ttlSecondsAfterFinished only applies when shutdownAfterJobFinishes is true",
                "remove it, or set shutdownAfterJobFinishes: true");
        }

        return entrypoint is null ? null : new RayJobSettings(entrypoint, runtimeEnv, shutdown, ttl, deadline);
    }

    private static RayServiceSettings? ReadServe(JsonObject map, string path, ConfigReader reader, RayKind? kind)
    {
        var d = reader.Diagnostics;
        if (kind is not RayKind.RayService)
        {
            if (kind is not null && map.ContainsKey("serveConfigV2"))
            {
                d.Error(ConfigReader.Child(path, "serveConfigV2"), $"'serveConfigV2' is a RayService field; this workload is a {kind}", "remove it, or change kind to RayService");
            }

            return null;
        }

        var at = ConfigReader.Child(path, "serveConfigV2");
        switch (map["serveConfigV2"])
        {
            case null:
                d.Error(at, "a RayService needs a Ray Serve config", "add serveConfigV2 with 'applications: [...]' (a map or YAML text)");
                return null;
            case JsonObject config when !ConfigReader.IsSecure(config):
                return CheckServeConfig(config, at, reader) ? new RayServiceSettings(YamlText.Write(config)) : null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return CheckYamlMap(ConfigReader.Text(v), at, reader, "applications") ? new RayServiceSettings(ConfigReader.Text(v)) : null;
            default:
                reader.Map(map["serveConfigV2"], at, "a Ray Serve config");
                return null;
        }
    }

    private static bool CheckServeConfig(JsonObject config, string path, ConfigReader reader)
    {
        if (config["applications"] is JsonArray { Count: > 0 })
        {
            return true;
        }

        reader.Diagnostics.Error(ConfigReader.Child(path, "applications"), "a Serve config needs a non-empty 'applications' list", "add applications: [{name: app, import_path: module:app}]");
        return false;
    }

    private static bool CheckYamlMap(string text, string path, ConfigReader reader, string? requiredKey)
    {
        var bag = new DiagnosticBag();
        var tree = YamlJson.ParseSingle(text, path, bag);
        if (bag.HasErrors)
        {
            reader.Diagnostics.AddRange(bag.Items);
            return false;
        }

        if (tree is not JsonObject map)
        {
            reader.Diagnostics.Error(path, $"the YAML text is {ConfigReader.Describe(tree)}, not a map", "write a YAML map (or give the map directly instead of text)");
            return false;
        }

        return requiredKey is null || CheckServeConfig(map, path, reader);
    }

    [GeneratedRegex(@"^2\.[0-9]{1,3}\.[0-9]{1,3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RayVersion();
}
