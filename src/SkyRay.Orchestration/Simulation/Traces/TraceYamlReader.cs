using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Orchestration.Simulation.Traces;

/// <summary>
/// Reads a YAML trace (docs/simulate.md, "Trace format"): <c>trace</c> (settings), <c>workloads</c> (workloads in the
/// <c>skyray:workloads</c> syntax) and <c>arrivals</c>. The whole file is read (YAML traces are written by hand; long
/// traces are CSV, which streams). Every problem is reported with its path, e.g. <c>bursty.yaml:arrivals[3].duration</c>.
/// </summary>
public static class TraceYamlReader
{
    private static readonly ImmutableArray<string> RootKeys = ["arrivals", "trace", "workloads"];
    private static readonly ImmutableArray<string> SettingKeys = ["end", "launchTimes", "name", "start", "tick"];
    private static readonly ImmutableArray<string> ArrivalKeys = ["at", "demand", "duration", "name", "repeat", "replicas", "spec", "workload"];
    private static readonly ImmutableArray<string> RepeatKeys = ["every", "times"];
    private static readonly ImmutableArray<string> DemandKeys = ["after", "replicas"];

    /// <summary>Most arrivals a YAML trace may expand to (repeats included); longer traces belong in CSV.</summary>
    public const int MaxArrivals = 200_000;

    /// <summary>Reads a YAML trace.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="source">The file name, for messages and the default trace name.</param>
    /// <param name="start">A start that overrides the file's (<c>--start</c>), or null.</param>
    /// <param name="bag">Where problems go.</param>
    /// <returns>The trace, or null when nothing usable was read.</returns>
    public static InMemoryTrace? Read(string text, string source, DateTimeOffset? start, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(bag);
        var root = YamlJson.ParseSingle(text, source, bag);
        if (root is not JsonObject map)
        {
            if (!bag.HasErrors)
            {
                bag.Error(source, "a trace is a map with 'arrivals' (and optionally 'trace' and 'workloads')", "see docs/simulate.md, \"Trace format\"");
            }

            return null;
        }

        Known(map, source, RootKeys, "trace keys", bag, root: true);
        var settings = ReadSettings(map["trace"], source, start, bag);
        var workloads = map["workloads"] switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            var other => Wrong<JsonObject>(bag, Root(source, "workloads"), "a map of workloads by name", other) ?? new JsonObject(),
        };

        var arrivals = new List<(TimeSpan At, int Order, TraceArrival Arrival)>();
        if (map["arrivals"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                ReadArrival(list[i], Item(Root(source, "arrivals"), i), workloads, arrivals, bag);
            }
        }
        else
        {
            bag.Error(Root(source, "arrivals"), map["arrivals"] is null ? "no arrivals" : "expected a list of arrivals", "add arrivals: [{at: 0m, workload: NAME, duration: 1h}]");
        }

        if (arrivals.Count > MaxArrivals)
        {
            bag.Error(Root(source, "arrivals"), $"the trace expands to {arrivals.Count:N0} arrivals, more than {MaxArrivals:N0}", "write long traces as CSV, which is read as it streams");
            return null;
        }

        var sorted = arrivals.OrderBy(a => a.At).ThenBy(a => a.Order).Select((a, i) => a.Arrival with { Number = i + 1 }).ToList();
        var header = new TraceHeader(
            settings.Name ?? Path.GetFileNameWithoutExtension(source),
            settings.Start,
            settings.End,
            settings.Tick,
            settings.LaunchTimes,
            workloads,
            Root(source, "workloads"));
        return new InMemoryTrace(header, sorted);
    }

    private sealed record Settings(string? Name, DateTimeOffset Start, DateTimeOffset? End, TimeSpan? Tick, ImmutableSortedDictionary<string, TimeSpan> LaunchTimes);

    private static Settings ReadSettings(JsonNode? node, string source, DateTimeOffset? startOverride, DiagnosticBag bag)
    {
        var path = Root(source, "trace");
        var launch = ImmutableSortedDictionary.Create<string, TimeSpan>(StringComparer.Ordinal);
        if (node is null)
        {
            return new Settings(null, startOverride ?? TraceHeader.DefaultStart, null, null, launch);
        }

        if (node is not JsonObject map)
        {
            Wrong<JsonObject>(bag, path, "a map of settings (name, start, end, tick, launchTimes)", node);
            return new Settings(null, startOverride ?? TraceHeader.DefaultStart, null, null, launch);
        }

        Known(map, path, SettingKeys, "trace settings", bag);
        var name = Text(map, "name", path, bag);
        var start = startOverride ?? TraceHeader.DefaultStart;
        if (startOverride is null && Text(map, "start", path, bag) is { } startText)
        {
            if (TraceValues.TryParseTime(startText, out var parsed))
            {
                start = parsed;
            }
            else
            {
                bag.Error(Child(path, "start"), $"'{startText}' is not a time", "write an ISO 8601 time, e.g. 2026-01-05T00:00:00Z");
            }
        }

        DateTimeOffset? end = null;
        if (Text(map, "end", path, bag) is { } endText)
        {
            if (TraceValues.TryParseTime(endText, out var endTime))
            {
                end = endTime;
            }
            else if (TraceValues.TryParseDuration(endText, allowZero: false, out var offset, out _))
            {
                end = start + offset;
            }
            else
            {
                bag.Error(Child(path, "end"), $"'{endText}' is neither a time nor a duration from the start", "e.g. end: 168h, or end: 2026-01-12T00:00:00Z");
            }

            if (end is { } e && e <= start)
            {
                bag.Error(Child(path, "end"), "is not after the start", "give an end after the trace's start");
                end = null;
            }
        }

        TimeSpan? tick = null;
        if (Text(map, "tick", path, bag) is { } tickText)
        {
            tick = Duration(tickText, Child(path, "tick"), allowZero: false, bag);
        }

        if (map["launchTimes"] is { } launchNode)
        {
            launch = ReadLaunchTimes(launchNode, Child(path, "launchTimes"), bag);
        }

        return new Settings(name, start, end, tick, launch);
    }

    /// <summary>Reads <c>launchTimes</c>: cloud (or <c>default</c>) → step → duration.</summary>
    /// <param name="node">The tree.</param>
    /// <param name="path">Its path.</param>
    /// <param name="bag">Where problems go.</param>
    /// <returns><c>step.cloud</c> → duration.</returns>
    public static ImmutableSortedDictionary<string, TimeSpan> ReadLaunchTimes(JsonNode node, string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        var result = ImmutableSortedDictionary.CreateBuilder<string, TimeSpan>(StringComparer.Ordinal);
        if (node is not JsonObject clouds)
        {
            Wrong<JsonObject>(bag, path, "a map of cloud → step → duration", node);
            return result.ToImmutable();
        }

        string[] cloudNames = ["default", .. LaunchModel.CloudNames];
        foreach (var (cloud, steps) in clouds.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var cloudPath = Child(path, cloud);
            if (!cloudNames.Contains(cloud, StringComparer.Ordinal))
            {
                bag.Error(cloudPath, $"unknown cloud '{KubernetesNames.Shorten(cloud)}'", Suggestions.Hint(cloud, cloudNames, "clouds"));
                continue;
            }

            if (steps is not JsonObject stepMap)
            {
                Wrong<JsonObject>(bag, cloudPath, "a map of step → duration", steps);
                continue;
            }

            foreach (var (step, value) in stepMap.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var stepPath = Child(cloudPath, step);
                if (!LaunchModel.StepNames.Contains(step, StringComparer.Ordinal))
                {
                    bag.Error(stepPath, $"unknown step '{KubernetesNames.Shorten(step)}'", Suggestions.Hint(step, [.. LaunchModel.StepNames], "steps"));
                    continue;
                }

                var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
                if (Duration(text, stepPath, allowZero: true, bag) is { } time)
                {
                    foreach (var c in cloud == "default" ? ["aws", "azure", "gcp"] : new[] { cloud })
                    {
                        result[$"{step}.{c}"] = time;
                    }
                }
            }
        }

        return result.ToImmutable();
    }

    private static void ReadArrival(JsonNode? node, string path, JsonObject workloads, List<(TimeSpan, int, TraceArrival)> arrivals, DiagnosticBag bag)
    {
        if (node is not JsonObject map)
        {
            Wrong<JsonObject>(bag, path, "an arrival (a map with at, workload, duration)", node);
            return;
        }

        Known(map, path, ArrivalKeys, "arrival keys", bag);
        var errors = bag.ErrorCount;
        var at = map["at"] switch
        {
            null => Missing<TimeSpan?>(bag, Child(path, "at"), "when the workload arrives", "at: 9h30m (from the trace start)"),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.ToJsonString() == "0" => TimeSpan.Zero,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => Duration(v.GetValue<string>(), Child(path, "at"), allowZero: true, bag),
            var other => Wrong<TimeSpan?>(bag, Child(path, "at"), "a duration from the trace start, e.g. 9h30m", other),
        };

        var name = Text(map, "name", path, bag);
        var workload = Text(map, "workload", path, bag);
        if (map["spec"] is { } spec)
        {
            if (workload is not null)
            {
                bag.Error(Child(path, "spec"), "an arrival names a workload or writes its spec, not both", "remove 'workload' or 'spec'");
            }
            else if (name is null)
            {
                bag.Error(Child(path, "name"), "an arrival with its own spec needs a name (the workload's name)", "add name: my-job");
            }
            else if (workloads.ContainsKey(name))
            {
                bag.Error(Child(path, "name"), $"the trace already defines a workload '{name}'", "give this one another name");
            }
            else
            {
                workloads[name] = spec.DeepClone();
                workload = name;
            }
        }
        else if (workload is null)
        {
            bag.Error(Child(path, "workload"), "no workload given", "name a workload of the stack or of the trace's 'workloads', or write its spec under 'spec'");
        }

        TimeSpan? duration = null;
        if (Text(map, "duration", path, bag) is { } durationText)
        {
            duration = Duration(durationText, Child(path, "duration"), allowZero: false, bag);
        }

        var demand = ImmutableArray.CreateBuilder<DemandStep>();
        if (map["replicas"] is { } replicas && ReadReplicas(replicas, Child(path, "replicas"), TimeSpan.Zero, bag) is { } initial)
        {
            demand.Add(initial);
        }

        if (map["demand"] is { } demandNode)
        {
            if (demandNode is JsonArray steps)
            {
                for (var i = 0; i < steps.Count; i++)
                {
                    var stepPath = Item(Child(path, "demand"), i);
                    if (steps[i] is not JsonObject step)
                    {
                        Wrong<JsonObject>(bag, stepPath, "a demand step {after, replicas}", steps[i]);
                        continue;
                    }

                    Known(step, stepPath, DemandKeys, "demand step keys", bag);
                    var after = Text(step, "after", stepPath, bag) is { } afterText ? Duration(afterText, Child(stepPath, "after"), allowZero: true, bag) : Missing<TimeSpan?>(bag, Child(stepPath, "after"), "when the demand changes", "after: 2h");
                    if (after is { } a && step["replicas"] is { } r && ReadReplicas(r, Child(stepPath, "replicas"), a, bag) is { } s)
                    {
                        demand.Add(s);
                    }
                    else if (step["replicas"] is null)
                    {
                        bag.Error(Child(stepPath, "replicas"), "no replicas given", "replicas: 8, or per worker group: {gpu-workers: 8}");
                    }
                }
            }
            else
            {
                Wrong<JsonArray>(bag, Child(path, "demand"), "a list of {after, replicas}", demandNode);
            }
        }

        var (every, times) = ReadRepeat(map["repeat"], Child(path, "repeat"), bag);
        if (at is not { } first || workload is null || bag.ErrorCount > errors)
        {
            return;
        }

        var ordered = demand.OrderBy(s => s.After).ToImmutableArray();
        for (var k = 0; k < times; k++)
        {
            // Repeats get numbered names (the instance name must be unique in the stack at any time).
            var instance = times > 1 ? null : name;
            arrivals.Add((first + (every * k), arrivals.Count, new TraceArrival(0, workload, instance, first + (every * k), duration, ordered, path)));
        }
    }

    private static (TimeSpan Every, int Times) ReadRepeat(JsonNode? node, string path, DiagnosticBag bag)
    {
        if (node is null)
        {
            return (TimeSpan.Zero, 1);
        }

        if (node is not JsonObject map)
        {
            Wrong<JsonObject>(bag, path, "{every: 24h, times: 5}", node);
            return (TimeSpan.Zero, 1);
        }

        Known(map, path, RepeatKeys, "repeat keys", bag);
        var every = Text(map, "every", path, bag) is { } e ? Duration(e, Child(path, "every"), allowZero: false, bag) : Missing<TimeSpan?>(bag, Child(path, "every"), "how often it repeats", "every: 24h");
        var times = map["times"] is JsonValue v && WholeNumber(v) is { } n && n is >= 1 and <= MaxArrivals ? (int)n : 0;
        if (times == 0)
        {
            bag.Error(Child(path, "times"), "expected how many times the arrival happens (1 or more)", "times: 5");
        }

        return every is { } span && times > 0 ? (span, times) : (TimeSpan.Zero, 1);
    }

    private static DemandStep? ReadReplicas(JsonNode node, string path, TimeSpan after, DiagnosticBag bag)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (WholeNumber(v) is { } n && n is >= 0 and <= TraceValues.MaxReplicas)
            {
                return new DemandStep(after, (int)n, ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal));
            }

            bag.Error(path, $"{v.ToJsonString()} is not a replica count", $"give 0 to {TraceValues.MaxReplicas}");
            return null;
        }

        if (node is JsonObject groups)
        {
            var result = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
            foreach (var (group, value) in groups)
            {
                if (value is JsonValue gv && WholeNumber(gv) is { } n && n is >= 0 and <= TraceValues.MaxReplicas)
                {
                    result[group] = (int)n;
                }
                else
                {
                    bag.Error(Child(path, group), "is not a replica count", $"give 0 to {TraceValues.MaxReplicas}");
                }
            }

            return result.Count == 0 ? null : new DemandStep(after, null, result.ToImmutable());
        }

        Wrong<int?>(bag, path, "a replica count, or a map of worker group → replicas", node);
        return null;
    }

    private static TimeSpan? Duration(string text, string path, bool allowZero, DiagnosticBag bag)
    {
        if (TraceValues.TryParseDuration(text, allowZero, out var value, out var problem))
        {
            return value;
        }

        bag.Error(path, problem!, "write a duration such as 90s, 30m, 1h30m or 2d");
        return null;
    }

    private static string? Text(JsonObject map, string key, string path, DiagnosticBag bag)
    {
        var node = map[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        if (node is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
        {
            // A bare number has no unit; keep it as text so the caller says what is wrong with it.
            return n.ToJsonString();
        }

        bag.Error(Child(path, key), $"expected text, found {Describe(node)}");
        return null;
    }

    private static void Known(JsonObject map, string path, ImmutableArray<string> known, string what, DiagnosticBag bag, bool root = false)
    {
        foreach (var key in map.Select(p => p.Key).Where(k => !known.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            bag.Error(root ? Root(path, key) : Child(path, key), $"unknown key '{KubernetesNames.Shorten(key)}'", Suggestions.Hint(key, [.. known], what));
        }
    }

    private static T? Wrong<T>(DiagnosticBag bag, string path, string expected, JsonNode? found)
    {
        bag.Error(path, $"expected {expected}, found {Describe(found)}");
        return default;
    }

    private static T? Missing<T>(DiagnosticBag bag, string path, string what, string example)
    {
        bag.Error(path, $"missing: {what}", $"for example {example}");
        return default;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "a map",
        JsonArray => "a list",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "text",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true/false",
            _ => "a value",
        },
    };

    private static string Root(string source, string key) => $"{source}:{key}";

    private static string Child(string parent, string key) => $"{parent}.{key}";

    private static string Item(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>A YAML integer as the reader types it (a long; a decimal or double when written as such), or null for anything else.</summary>
    private static long? WholeNumber(JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        return value.TryGetValue<decimal>(out var d) && decimal.Truncate(d) == d && d is >= long.MinValue and <= long.MaxValue ? (long)d : null;
    }
}
