using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Security;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Outputs;

/// <summary>
/// The stack outputs' one writer and one reader. A run writes its <see cref="FleetOutputs"/> as the outputs below; the next
/// run (the Pulumi program through its own stack's outputs, the CLI from <c>pulumi stack output --json</c>) reads them back
/// with <see cref="Read"/>. Both sides live here, so the format cannot drift between the program and the tools.
/// </summary>
/// <remarks>
/// <para>Outputs (format <see cref="FormatVersion"/>): <c>outputsFormat</c> (number), <c>clusters</c> (name → provider,
/// kubernetesVersion, lifecycle, state, idleSince), <c>workloads</c> (name → target clusters), <c>explanation</c> (lines),
/// <c>placements</c> (the plan as <c>PlanJson</c> text), <c>upgrades</c> (JSON text, see <see cref="UpgradeJson"/>) and
/// <c>traffic</c> (record → clusters) and <c>queues</c> (cluster → the fingerprint of its Kueue flavors and ClusterQueue, for every
/// cluster whose queue objects the run declared; absent in outputs of a SkyRay without Kueue, read as none). <c>rayTokens</c> (workload → where each copy's Ray token lives) is written for people and tools and never read. The Pulumi adapter adds <c>kubeconfigs</c>, a secret, which no reader needs.</para>
/// <para>Outputs without <c>outputsFormat</c> are format 1, the same shapes written before the version existed. A format newer
/// than <see cref="FormatVersion"/> is refused: an older SkyRay cannot know what the newer one recorded (an upgrade in
/// flight, a clock), and acting on half of it could delete a cluster. Anything else that cannot be read is dropped with one
/// warning naming its output path, and the run goes on as if that part had never been written.</para>
/// </remarks>
public static class StackOutputs
{
    /// <summary>
    /// The format this version writes and the newest it reads. 3 added <c>jobs</c> (finished RayJobs), <c>unreachable</c> and
    /// <c>trafficAddresses</c>: a SkyRay that reads only format 2 would run every finished job again, so it must refuse format 3.
    /// </summary>
    public const int FormatVersion = 3;

    /// <summary>The output holding <see cref="FormatVersion"/>.</summary>
    public const string FormatOutput = "outputsFormat";

    /// <summary>The per-cluster map.</summary>
    public const string ClustersOutput = "clusters";

    /// <summary>Workload → target clusters.</summary>
    public const string WorkloadsOutput = "workloads";

    /// <summary>One line per workload.</summary>
    public const string ExplanationOutput = "explanation";

    /// <summary>The plan as <c>PlanJson</c> text, read back for stable placements.</summary>
    public const string PlacementsOutput = "placements";

    /// <summary>Upgrade states as JSON text.</summary>
    public const string UpgradesOutput = "upgrades";

    /// <summary>Traffic record → clusters it points at.</summary>
    public const string TrafficOutput = "traffic";

    /// <summary>Cluster → the fingerprint of the Kueue flavors and ClusterQueue declared there.</summary>
    public const string QueuesOutput = "queues";

    /// <summary>Traffic record → the load balancer addresses it was written with.</summary>
    public const string TrafficAddressesOutput = "trafficAddresses";

    /// <summary>Finished RayJobs: workload → clusters, status, jobStatus, finishedAt, released.</summary>
    public const string JobsOutput = "jobs";

    /// <summary>Physical cluster → runs in a row its API server was observed unreachable.</summary>
    public const string UnreachableOutput = "unreachable";

    /// <summary>The digest of what the run declared.</summary>
    public const string FingerprintOutput = "fingerprint";

    /// <summary>
    /// Workload → where each copy's Ray token lives: cluster, namespace, Secret (absent while KubeRay names it at run time), key,
    /// who creates it and, for a shared token, the Pulumi secret config key. Never the token. Written for people and tools; no
    /// run reads it, so it is not in <see cref="Names"/> (it follows from the config and the placements, both read).
    /// </summary>
    public const string RayTokensOutput = "rayTokens";

    /// <summary>Every output <see cref="Read"/> looks at, in the order they are written.</summary>
    public static ImmutableArray<string> Names { get; } =
        [FormatOutput, ClustersOutput, WorkloadsOutput, ExplanationOutput, PlacementsOutput, UpgradesOutput, TrafficOutput, TrafficAddressesOutput, JobsOutput, UnreachableOutput, QueuesOutput, FingerprintOutput];

    /// <summary>Writes outputs as one JSON object, one member per stack output.</summary>
    /// <param name="outputs">The run's outputs.</param>
    /// <returns>A new object; <c>idleSince</c> appears only where set.</returns>
    public static JsonObject Write(FleetOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var clusters = new JsonObject();
        foreach (var (name, c) in outputs.Clusters)
        {
            var cluster = new JsonObject
            {
                ["provider"] = c.Provider,
                ["kubernetesVersion"] = c.KubernetesVersion,
                ["lifecycle"] = c.Lifecycle,
                ["state"] = c.State,
            };
            if (c.IdleSince is { } idleSince)
            {
                cluster["idleSince"] = idleSince;
            }

            clusters[name] = cluster;
        }

        var workloads = new JsonObject();
        foreach (var (name, targets) in outputs.Workloads)
        {
            workloads[name] = Strings(targets);
        }

        var traffic = new JsonObject();
        foreach (var (name, targets) in outputs.Traffic)
        {
            traffic[name] = Strings(targets);
        }

        var queues = new JsonObject();
        foreach (var (cluster, clusterQueue) in outputs.Queues ?? ImmutableSortedDictionary<string, string>.Empty)
        {
            queues[cluster] = clusterQueue;
        }

        var addresses = new JsonObject();
        foreach (var (name, values) in outputs.TrafficAddresses)
        {
            addresses[name] = Strings(values);
        }

        var jobs = new JsonObject();
        foreach (var (name, job) in outputs.Jobs)
        {
            var entry = new JsonObject { ["clusters"] = Strings(job.Clusters), ["status"] = job.Status };
            if (job.JobStatus is not null)
            {
                entry["jobStatus"] = job.JobStatus;
            }

            if (job.FinishedAt is not null)
            {
                entry["finishedAt"] = job.FinishedAt;
            }

            entry["released"] = job.Released;
            jobs[name] = entry;
        }

        var unreachable = new JsonObject();
        foreach (var (name, runs) in outputs.Unreachable)
        {
            unreachable[name] = runs;
        }

        var rayTokens = new JsonObject();
        foreach (var (name, locations) in outputs.RayTokens)
        {
            rayTokens[name] = new JsonArray([.. locations.Select(TokenLocation)]);
        }

        return new JsonObject
        {
            [FormatOutput] = FormatVersion,
            [ClustersOutput] = clusters,
            [WorkloadsOutput] = workloads,
            [ExplanationOutput] = Strings(outputs.Explanation),
            [PlacementsOutput] = outputs.PlacementsText,
            [UpgradesOutput] = UpgradeJson.Write(outputs.Upgrades),
            [TrafficOutput] = traffic,
            [TrafficAddressesOutput] = addresses,
            [JobsOutput] = jobs,
            [UnreachableOutput] = unreachable,
            [QueuesOutput] = queues,
            [RayTokensOutput] = rayTokens,
            [FingerprintOutput] = outputs.Fingerprint,
        };
    }

    private static JsonObject TokenLocation(RayTokenLocation location)
    {
        var entry = new JsonObject { ["cluster"] = location.Cluster, ["namespace"] = location.Namespace };
        if (location.Secret is not null)
        {
            entry["secret"] = location.Secret;
        }

        entry["key"] = location.Key;
        entry["createdBy"] = location.Source;
        if (location.ConfigKey is not null)
        {
            entry["configKey"] = location.ConfigKey;
        }

        return entry;
    }

    /// <summary>Reads the outputs of a previous run.</summary>
    /// <param name="outputs">The outputs object (<c>pulumi stack output --json</c>, or what the program read through its stack
    /// reference), or null when the stack has none yet.</param>
    /// <returns>The previous run, <see cref="PreviousRun.None"/> for a stack never deployed, or a refusal.</returns>
    public static PreviousRunReading Read(JsonObject? outputs)
    {
        if (outputs is null || outputs.Count == 0)
        {
            return new PreviousRunReading(PreviousRun.None, []);
        }

        var problems = ImmutableArray.CreateBuilder<Diagnostic>();
        var format = ReadFormat(outputs, problems);
        if (format > FormatVersion)
        {
            problems.Add(new Diagnostic(
                Severity.Error,
                Path(FormatOutput),
                $"the stack's outputs were written by a newer SkyRay (outputs format {format}); this one reads formats up to {FormatVersion}",
                "run the newer SkyRay (update the project's packages and the skyray CLI) instead of this one"));
            return new PreviousRunReading(null, problems.ToImmutable());
        }

        var clusters = ReadClusters(outputs, problems);
        var placementsText = ReadText(outputs, PlacementsOutput, problems);
        var plan = ReadPlan(placementsText, problems);
        var upgradesText = ReadText(outputs, UpgradesOutput, problems);
        var upgrades = UpgradeJson.Read(upgradesText, out var upgradeProblem);
        if (upgradeProblem is not null)
        {
            problems.Add(Dropped(UpgradesOutput, upgradeProblem, "an upgrade in progress starts again from its first step"));
        }

        var traffic = ReadTargets(outputs, TrafficOutput, problems);
        var workloads = ReadTargets(outputs, WorkloadsOutput, problems);
        var read = new FleetOutputs(clusters, workloads, ReadLines(outputs, problems), placementsText ?? string.Empty)
        {
            Upgrades = upgrades,
            Traffic = traffic,
            Queues = ReadQueues(outputs, problems),
            TrafficAddresses = ReadTargets(outputs, TrafficAddressesOutput, problems),
            Jobs = ReadJobs(outputs, problems),
            Unreachable = ReadCounts(outputs, problems),
            Fingerprint = ReadText(outputs, FingerprintOutput, problems),
        };
        return new PreviousRunReading(new PreviousRun(read, plan, format), problems.ToImmutable());
    }

    /// <summary>
    /// What <see cref="Read"/> of <see cref="Write"/> of <paramref name="outputs"/> gives, for a caller that hands a run's outputs to the
    /// next run in the same process (the trace simulation, every run): the same data, without building and walking the JSON nodes,
    /// and with the placements kept as the plan they were made of when the run kept them so
    /// (<see cref="FleetOutputs.PlacementsPlan"/>; its text reads back as that plan's data). Outputs the plain round trip would
    /// change or drop a part of (a state that is not a word it reads, a null name, a target listed twice, an unreachable count of
    /// zero, a map not in ordinal order) take the plain round trip.
    /// </summary>
    /// <param name="outputs">A run's outputs.</param>
    /// <returns>The previous run for the next run.</returns>
    public static PreviousRunReading ReadBack(FleetOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (!ReadsBackAsIs(outputs))
        {
            return Read(Write(outputs));
        }

        FleetPlan? plan;
        var problems = ImmutableArray.CreateBuilder<Diagnostic>();
        if (outputs.PlacementsPlan is { } kept)
        {
            plan = PlanJson.IsWhole(kept) ? kept : null;
            if (plan is null)
            {
                problems.Add(Dropped(PlacementsOutput, "it is not a whole plan (clusters and placements)", "workloads are placed afresh"));
            }
        }
        else
        {
            plan = ReadPlan(outputs.Placements, problems);
        }

        var upgrades = UpgradeJson.Read(UpgradeJson.Write(outputs.Upgrades), out var upgradeProblem);
        if (upgradeProblem is not null)
        {
            problems.Add(Dropped(UpgradesOutput, upgradeProblem, "an upgrade in progress starts again from its first step"));
        }

        var jobs = ImmutableSortedDictionary.CreateBuilder<string, JobRecord>(StringComparer.Ordinal);
        foreach (var (name, job) in outputs.Jobs)
        {
            jobs[name] = job with { Clusters = [.. job.Clusters.Order(StringComparer.Ordinal)] };
        }

        var read = new FleetOutputs(AsRead(outputs.Clusters), AsRead(outputs.Workloads), outputs.Explanation, outputs.PlacementsPlan is null ? outputs.Placements : string.Empty)
        {
            PlacementsPlan = outputs.PlacementsPlan,
            Upgrades = upgrades,
            Traffic = AsRead(outputs.Traffic),
            Queues = AsRead(outputs.Queues),
            TrafficAddresses = AsRead(outputs.TrafficAddresses),
            Jobs = jobs.ToImmutable(),
            Unreachable = AsRead(outputs.Unreachable),
            Fingerprint = outputs.Fingerprint,
        };
        return new PreviousRunReading(new PreviousRun(read, plan, FormatVersion), problems.ToImmutable());
    }

    /// <summary>True when every part <see cref="ReadBack"/> hands on as it is would come out of the JSON round trip unchanged.</summary>
    private static bool ReadsBackAsIs(FleetOutputs o)
    {
        if (!Ordinal(o.Clusters) || !Ordinal(o.Workloads) || !Ordinal(o.Traffic) || !Ordinal(o.TrafficAddresses) || !Ordinal(o.Jobs) ||
            !Ordinal(o.Unreachable) || (o.Queues is not null && !Ordinal(o.Queues)) || o.Placements is null || o.Explanation.IsDefault ||
            (o.PlacementsPlan is { } kept && !PlanJson.ReadsBackTheSame(kept)))
        {
            return false;
        }

        foreach (var c in o.Clusters.Values)
        {
            if (c is null || c.Provider is null || c.KubernetesVersion is null || c.Lifecycle is null || c.State is not ("active" or "standby" or "absent"))
            {
                return false;
            }
        }

        foreach (var line in o.Explanation)
        {
            if (line is null)
            {
                return false;
            }
        }

        if (!AllTargetsAsRead(o.Workloads) || !AllTargetsAsRead(o.Traffic) || !AllTargetsAsRead(o.TrafficAddresses))
        {
            return false;
        }

        foreach (var value in o.Queues?.Values ?? [])
        {
            if (value is null)
            {
                return false;
            }
        }

        foreach (var job in o.Jobs.Values)
        {
            if (job is null || job.Status is null || job.Clusters.IsDefault || job.Clusters.Any(c => c is null))
            {
                return false;
            }
        }

        foreach (var count in o.Unreachable.Values)
        {
            if (count <= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lists as <see cref="ReadTargets"/> gives them back: no null, no repeat, in ordinal order (strictly ascending).</summary>
    private static bool AllTargetsAsRead(ImmutableSortedDictionary<string, ImmutableArray<string>> map)
    {
        foreach (var list in map.Values)
        {
            if (list.IsDefault)
            {
                return false;
            }

            for (var i = 0; i < list.Length; i++)
            {
                if (list[i] is null || (i > 0 && string.CompareOrdinal(list[i - 1], list[i]) >= 0))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A map as the reader builds it (ordinal keys, default value comparer); checked by <see cref="Ordinal"/> unless empty.</summary>
    private static bool Ordinal<TValue>(ImmutableSortedDictionary<string, TValue>? map) =>
        map is not null && (map.IsEmpty || (ReferenceEquals(map.KeyComparer, StringComparer.Ordinal) && ReferenceEquals(map.ValueComparer, EqualityComparer<TValue>.Default)));

    /// <summary>The map itself, or the reader's empty map (ordinal) for an empty or missing one.</summary>
    private static ImmutableSortedDictionary<string, TValue> AsRead<TValue>(ImmutableSortedDictionary<string, TValue>? map) =>
        map is null || map.IsEmpty ? ImmutableSortedDictionary.Create<string, TValue>(StringComparer.Ordinal) : map;

    /// <summary>Reads the outputs as <c>pulumi stack output --json</c> prints them.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where the text came from, for the message (e.g. the file name or <c>--previous-outputs</c>).</param>
    /// <returns>The previous run, or an error when the text is not a JSON object.</returns>
    public static PreviousRunReading ReadText(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            return Unreadable(source, $"it is not JSON ({e.Message})");
        }

        return root is JsonObject o ? Read(o) : Unreadable(source, "it is not the JSON object of a stack's outputs");
    }

    private static PreviousRunReading Unreadable(string source, string why) =>
        new(null, [new Diagnostic(Severity.Error, source, $"the stack outputs cannot be read: {why}", "write them with: pulumi stack output --json > outputs.json")]);

    private static int ReadFormat(JsonObject outputs, ImmutableArray<Diagnostic>.Builder problems)
    {
        if (!outputs.TryGetPropertyValue(FormatOutput, out var node) || node is null)
        {
            return 1;
        }

        // Stack outputs travel through Pulumi as numbers or, from some backends, as their text.
        if (node is JsonValue v
            && ((v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number))
                || (v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out number)))
            && number >= 1)
        {
            return number;
        }

        problems.Add(Dropped(FormatOutput, $"'{node.ToJsonString()}' is not a format number", "read as format 1"));
        return 1;
    }

    private static ImmutableSortedDictionary<string, ClusterOutput> ReadClusters(JsonObject outputs, ImmutableArray<Diagnostic>.Builder problems)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ClusterOutput>(StringComparer.Ordinal);
        if (!Present(outputs, ClustersOutput, out var node))
        {
            return result.ToImmutable();
        }

        if (node is not JsonObject clusters)
        {
            problems.Add(Dropped(ClustersOutput, "it is not a map of clusters", "every cluster is treated as new"));
            return result.ToImmutable();
        }

        foreach (var (name, entry) in clusters)
        {
            if (entry is JsonObject c && Text(c, "state") is { } state && state is "active" or "standby" or "absent")
            {
                result[name] = new ClusterOutput(Text(c, "provider") ?? string.Empty, Text(c, "kubernetesVersion") ?? string.Empty, Text(c, "lifecycle") ?? string.Empty, state, Text(c, "idleSince"));
            }
            else
            {
                problems.Add(Dropped($"{ClustersOutput}.{name}", "it has no state of active, standby or absent", "the cluster is treated as new"));
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, JobRecord> ReadJobs(JsonObject outputs, ImmutableArray<Diagnostic>.Builder problems)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, JobRecord>(StringComparer.Ordinal);
        if (!Present(outputs, JobsOutput, out var node))
        {
            return result.ToImmutable();
        }

        if (node is not JsonObject map)
        {
            problems.Add(Dropped(JobsOutput, "it is not a map of finished jobs", "no job is known to have finished"));
            return result.ToImmutable();
        }

        foreach (var (name, entry) in map)
        {
            if (entry is JsonObject o && Text(o, "status") is { } status && o["clusters"] is JsonArray clusters)
            {
                result[name] = new JobRecord(
                    [.. clusters.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).Order(StringComparer.Ordinal)],
                    status,
                    Text(o, "jobStatus"),
                    Text(o, "finishedAt"),
                    o["released"] is JsonValue r && r.GetValueKind() == JsonValueKind.True);
            }
            else
            {
                problems.Add(Dropped($"{JobsOutput}.{name}", "it has no status and clusters", "the job is not known to have finished"));
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, int> ReadCounts(JsonObject outputs, ImmutableArray<Diagnostic>.Builder problems)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        if (!Present(outputs, UnreachableOutput, out var node))
        {
            return result.ToImmutable();
        }

        if (node is not JsonObject map)
        {
            problems.Add(Dropped(UnreachableOutput, "it is not a map of clusters to counts", "every cluster's count starts again"));
            return result.ToImmutable();
        }

        foreach (var (name, entry) in map)
        {
            if (entry is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var count) && count > 0)
            {
                result[name] = count;
            }
            else
            {
                problems.Add(Dropped($"{UnreachableOutput}.{name}", "it is not a count", "its count starts again"));
            }
        }

        return result.ToImmutable();
    }

    private static FleetPlan? ReadPlan(string? text, ImmutableArray<Diagnostic>.Builder problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var plan = PlanJson.ReadShared(text);
            if (PlanJson.IsWhole(plan))
            {
                return plan;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            problems.Add(Dropped(PlacementsOutput, $"it is not a plan SkyRay wrote ({e.Message})", "workloads are placed afresh"));
            return null;
        }

        problems.Add(Dropped(PlacementsOutput, "it is not a whole plan (clusters and placements)", "workloads are placed afresh"));
        return null;
    }

    private static ImmutableSortedDictionary<string, ImmutableArray<string>> ReadTargets(JsonObject outputs, string output, ImmutableArray<Diagnostic>.Builder problems)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        if (!Present(outputs, output, out var node))
        {
            return result.ToImmutable();
        }

        if (node is not JsonObject map)
        {
            problems.Add(Dropped(output, "it is not a map of names to cluster lists", "read as empty"));
            return result.ToImmutable();
        }

        foreach (var (name, entry) in map)
        {
            if (entry is JsonArray list && list.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                result[name] = [.. list.Select(i => i!.GetValue<string>()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            }
            else
            {
                problems.Add(Dropped($"{output}.{name}", "it is not a list of cluster names", "read as unknown"));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The <c>queues</c> output: empty when absent (written by a SkyRay without Kueue), null when it cannot be read.</summary>
    private static ImmutableSortedDictionary<string, string>? ReadQueues(JsonObject outputs, ImmutableArray<Diagnostic>.Builder problems)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (!Present(outputs, QueuesOutput, out var node))
        {
            return result.ToImmutable();
        }

        if (node is JsonObject map && map.All(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            foreach (var (cluster, clusterQueue) in map)
            {
                result[cluster] = clusterQueue!.GetValue<string>();
            }

            return result.ToImmutable();
        }

        problems.Add(Dropped(QueuesOutput, "it is not a map of clusters to fingerprints", "a sleeping cluster that was live keeps its Kueue"));
        return null;
    }

    private static ImmutableArray<string> ReadLines(JsonObject outputs, ImmutableArray<Diagnostic>.Builder problems)
    {
        if (!Present(outputs, ExplanationOutput, out var node))
        {
            return [];
        }

        if (node is JsonArray list && list.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            return [.. list.Select(i => i!.GetValue<string>())];
        }

        problems.Add(Dropped(ExplanationOutput, "it is not a list of lines", "read as empty"));
        return [];
    }

    private static string? ReadText(JsonObject outputs, string output, ImmutableArray<Diagnostic>.Builder problems)
    {
        if (!Present(outputs, output, out var node))
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        // Some backends hand JSON-looking outputs back as structures; they are read as the text they were written as.
        if (node is JsonObject)
        {
            return node.ToJsonString();
        }

        problems.Add(Dropped(output, "it is not text", "read as empty"));
        return null;
    }

    private static bool Present(JsonObject outputs, string output, out JsonNode? node) =>
        outputs.TryGetPropertyValue(output, out node) && node is not null;

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static string Path(string output) => "outputs." + output;

    private static Diagnostic Dropped(string output, string what, string consequence) =>
        new(Severity.Warning, Path(output), $"the previous run's output cannot be read: {what}; {consequence}", "the next successful run writes it again");
}
