using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Workloads;

/// <content>Resources of one pod template, counted as the kube-scheduler counts them.</content>
public static partial class RawSpecDemand
{
    /// <summary>The NVIDIA device plugin's resource name.</summary>
    public const string NvidiaGpu = "nvidia.com/gpu";

    // Resources every node has; not accelerators, and not modelled by placement either.
    private static readonly FrozenSet<string> PlainResources = FrozenSet.Create(StringComparer.Ordinal, "cpu", "memory", "ephemeral-storage", "storage");

    /// <summary>Resources of one pod template (<c>metadata</c> + <c>spec</c>), plus containers KubeRay adds (<paramref name="extra"/>).</summary>
    /// <param name="template">A PodTemplateSpec.</param>
    /// <param name="path">Config path of the template.</param>
    /// <param name="extra">Resources of containers KubeRay injects into this pod, or null.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The pod's shape.</returns>
    public static PodShape PodShapeOf(JsonObject template, string path, PodShape? extra, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var total = Amounts.Zero;
        string? gpuType = null;
        if (template["spec"] is JsonObject podSpec)
        {
            var app = Amounts.Zero;
            if (podSpec["containers"] is JsonArray containers)
            {
                for (var i = 0; i < containers.Count; i++)
                {
                    if (containers[i] is JsonObject c)
                    {
                        app += ContainerAmounts(c, $"{path}.spec.containers[{i}]", diagnostics);
                    }
                }
            }

            // Init containers run one after another before the app containers; restartable ones (sidecars) keep
            // running beside everything started after them. The scheduler reserves the larger of the two phases.
            var sidecars = Amounts.Zero;
            var initPeak = Amounts.Zero;
            if (podSpec["initContainers"] is JsonArray inits)
            {
                for (var i = 0; i < inits.Count; i++)
                {
                    if (inits[i] is not JsonObject c)
                    {
                        continue;
                    }

                    var amounts = ContainerAmounts(c, $"{path}.spec.initContainers[{i}]", diagnostics);
                    if (c["restartPolicy"] is JsonValue rp && rp.TryGetValue<string>(out var policy) && policy == "Always")
                    {
                        sidecars += amounts;
                    }
                    else
                    {
                        initPeak = Amounts.Max(initPeak, sidecars + amounts);
                    }
                }
            }

            total = Amounts.Max(app + sidecars, initPeak);
            gpuType = GpuTypeOf(podSpec, path + ".spec", diagnostics);
        }

        var gpus = Whole(total.Gpus);
        var shape = new PodShape(Millis(total.Cpu), Bytes(total.Memory), gpus, gpus > 0 ? gpuType : null);
        return extra is null ? shape : Add(shape, extra);
    }

    /// <summary>Resources of a bare <c>resources</c> block (requests, falling back to limits), e.g. the autoscaler's.</summary>
    private static PodShape ContainerShape(JsonObject resources, string path, DiagnosticBag diagnostics)
    {
        var amounts = ResourceAmounts(resources, path, diagnostics);
        return new PodShape(Millis(amounts.Cpu), Bytes(amounts.Memory), Whole(amounts.Gpus), null);
    }

    private static Amounts ContainerAmounts(JsonObject container, string path, DiagnosticBag diagnostics) =>
        container["resources"] is JsonObject resources ? ResourceAmounts(resources, path + ".resources", diagnostics) : Amounts.Zero;

    private static Amounts ResourceAmounts(JsonObject resources, string path, DiagnosticBag diagnostics)
    {
        var requests = resources["requests"] as JsonObject;
        var limits = resources["limits"] as JsonObject;
        decimal Pick(string name)
        {
            // Kubernetes defaults a missing request to the limit, resource by resource.
            if (requests?[name] is { } r)
            {
                return Quantity(r, Key($"{path}.requests", name), diagnostics);
            }

            return limits?[name] is { } l ? Quantity(l, Key($"{path}.limits", name), diagnostics) : 0m;
        }

        var gpus = Pick(NvidiaGpu);
        if (gpus != decimal.Truncate(gpus))
        {
            diagnostics.Error(Key($"{path}.{(requests?[NvidiaGpu] is null ? "limits" : "requests")}", NvidiaGpu),
                $"GPUs must be a whole number, found {gpus.ToString(CultureInfo.InvariantCulture)}",
                "the NVIDIA device plugin hands out whole GPUs; write e.g. '1'");
            gpus = decimal.Ceiling(gpus);
        }

        var others = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var block in (JsonObject?[])[requests, limits])
        {
            foreach (var (name, _) in block ?? [])
            {
                if (name != NvidiaGpu && !PlainResources.Contains(name) && !name.StartsWith("hugepages-", StringComparison.Ordinal))
                {
                    others.Add(name);
                }
            }
        }

        foreach (var name in others)
        {
            diagnostics.Warning(
                Key($"{path}.{(requests?[name] is null ? "limits" : "requests")}", name),
                $"'{name}' is not counted by placement: SkyRay's instance catalog models CPU, memory and NVIDIA GPUs ('{NvidiaGpu}') only",
                "make sure every cluster this workload may land on offers it, e.g. with a policy clusterSelector");
        }

        return new Amounts(Pick("cpu"), Pick("memory"), gpus);
    }

    private static decimal Quantity(JsonNode node, string path, DiagnosticBag diagnostics)
    {
        string text;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            text = v.GetValue<string>();
        }
        else if (node is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
        {
            text = n.ToJsonString();
        }
        else
        {
            diagnostics.Error(path, $"a resource quantity must be a string or a number, found {Describe(node)}", "write e.g. '500m', '2' or '16Gi'");
            return 0m;
        }

        if (!QuantityPattern().IsMatch(text))
        {
            diagnostics.Error(path, $"'{text}' is not a Kubernetes quantity", "write a number with an optional suffix, e.g. '500m', '2', '16Gi'");
            return 0m;
        }

        decimal value;
        try
        {
            value = new ResourceQuantity(text).ToDecimal();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            diagnostics.Error(path, $"'{text}' cannot be read as a Kubernetes quantity ({ex.Message})", "write e.g. '500m', '2' or '16Gi'");
            return 0m;
        }

        if (value < 0)
        {
            diagnostics.Error(path, $"'{text}' is negative", "resource quantities must be zero or more");
            return 0m;
        }

        return value;
    }

    private static string? GpuTypeOf(JsonObject podSpec, string path, DiagnosticBag diagnostics)
    {
        if (podSpec["nodeSelector"] is JsonObject selector)
        {
            foreach (var key in GpuTypeNames.NodeLabelKeys)
            {
                if (selector[key] is JsonValue v && v.TryGetValue<string>(out var value))
                {
                    var canonical = GpuTypeNames.Canonicalize(value);
                    if (canonical is not null)
                    {
                        return canonical;
                    }

                    if (!GpuTypeNames.IsGeneric(value))
                    {
                        diagnostics.Warning(Key(path + ".nodeSelector", key), $"GPU model '{value}' is not one SkyRay knows; placement counts the pod's GPUs as any GPU type",
                            "use a GPU the catalog names (A10G, L4, A100, A100-80GB, H100, T4, …) or add the instance type to skyray:instanceTypes");
                    }
                }
            }
        }

        // Required node affinity: terms are OR-ed, so a type is implied only when every mention names the same model.
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if ((((podSpec["affinity"] as JsonObject)?["nodeAffinity"] as JsonObject)?["requiredDuringSchedulingIgnoredDuringExecution"] as JsonObject)?["nodeSelectorTerms"] is JsonArray terms)
        {
            foreach (var term in terms)
            {
                if ((term as JsonObject)?["matchExpressions"] is not JsonArray expressions)
                {
                    continue;
                }

                foreach (var expression in expressions.OfType<JsonObject>())
                {
                    if (expression["key"] is JsonValue k && k.TryGetValue<string>(out var key) && GpuTypeNames.NodeLabelKeys.Contains(key) &&
                        expression["operator"] is JsonValue op && op.TryGetValue<string>(out var oper) && oper == "In" &&
                        expression["values"] is JsonArray values)
                    {
                        foreach (var value in values)
                        {
                            if (value is JsonValue sv && sv.TryGetValue<string>(out var s) && GpuTypeNames.Canonicalize(s) is { } canonical)
                            {
                                found.Add(canonical);
                            }
                        }
                    }
                }
            }
        }

        return found.Count == 1 ? found.Min : null;
    }

    /// <summary>A map key appended to a path: <c>.cpu</c>, or <c>['nvidia.com/gpu']</c> when the key has dots or slashes.</summary>
    internal static string Key(string path, string key) =>
        key.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_') ? $"{path}.{key}" : $"{path}['{key}']";

    private static long Millis(decimal cores) => Clamp(decimal.Ceiling(cores * 1000m));

    private static long Bytes(decimal bytes) => Clamp(decimal.Ceiling(bytes));

    private static int Whole(decimal count) => count >= int.MaxValue ? int.MaxValue : (int)decimal.Ceiling(count);

    private static long Clamp(decimal value) => value >= long.MaxValue ? long.MaxValue : (long)value;

    // Kubernetes' quantity grammar (the same pattern the KubeRay CRDs carry for quantity fields).
    [GeneratedRegex(@"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();

    /// <summary>CPU cores, memory bytes and GPUs, exact.</summary>
    private readonly record struct Amounts(decimal Cpu, decimal Memory, decimal Gpus)
    {
        public static Amounts Zero => default;

        public static Amounts operator +(Amounts a, Amounts b) => new(Sum(a.Cpu, b.Cpu), Sum(a.Memory, b.Memory), Sum(a.Gpus, b.Gpus));

        public static Amounts Max(Amounts a, Amounts b) => new(Math.Max(a.Cpu, b.Cpu), Math.Max(a.Memory, b.Memory), Math.Max(a.Gpus, b.Gpus));

        // Absurd quantities (99999Ei) saturate instead of overflowing; they fit nowhere either way.
        private static decimal Sum(decimal x, decimal y) => x > decimal.MaxValue - y ? decimal.MaxValue : x + y;
    }
}
