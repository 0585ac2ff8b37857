using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Orchestration.Observations;

/// <summary>
/// The observation snapshot format: what <c>skyray status --output json</c> writes and <c>--observed FILE</c> reads, so every
/// command and test can run from a recorded observation without a cluster. One writer, one reader, versioned by
/// <c>observationFormat</c> (this is format <see cref="FormatVersion"/>; a newer one is refused).
/// </summary>
/// <remarks>
/// <code>
/// {"observationFormat": 1, "observedAt": "2026-12-04T10:00:00Z",
///  "clusters": {"gpu": {"reachable": true, "observedAt": "...", "serverVersion": "v1.31.4", "problem": null,
///    "nodes": {"gpu": 2}, "unread": [], "warnings": [],
///    "rayObjects": [{"kind": "RayJob", "namespace": "ml", "name": "train", "workload": "train",
///                    "status": {"jobDeploymentStatus": "Complete", "jobStatus": "SUCCEEDED", "startTime": "...", "endTime": "..."}},
///                   {"kind": "RayService", "namespace": "serving", "name": "llm", "workload": "llm",
///                    "status": {"ready": "True", "numServeEndpoints": 2}, "serveAddresses": ["a1b2.elb.amazonaws.com"], "ongoingRequests": 0}],
///    "queueWorkloads": [{"namespace": "ml", "name": "rayjob-train-1a2b3", "queue": "ml", "state": "pending"}]}}}
/// </code>
/// Unknown members are ignored (the status command adds a <c>summary</c> per cluster). An entry that cannot be read makes its
/// part unknown (added to <c>unread</c> with a warning) rather than vanish: a Ray object dropped silently could make a busy
/// cluster look idle.
/// </remarks>
public static class ObservationJson
{
    /// <summary>The format this version writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes an observation.</summary>
    /// <param name="observation">The observation.</param>
    /// <returns>A new JSON object.</returns>
    public static JsonObject Write(FleetObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var clusters = new JsonObject();
        foreach (var (name, c) in observation.Clusters)
        {
            clusters[name] = WriteCluster(c);
        }

        return new JsonObject
        {
            ["observationFormat"] = FormatVersion,
            ["observedAt"] = Time(observation.ObservedAt),
            ["clusters"] = clusters,
        };
    }

    /// <summary>Writes one cluster's observation.</summary>
    /// <param name="c">The observation.</param>
    /// <returns>A new JSON object.</returns>
    public static JsonObject WriteCluster(ClusterObservation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var nodes = new JsonObject();
        foreach (var (pool, count) in c.Nodes)
        {
            nodes[pool] = count;
        }

        var o = new JsonObject
        {
            ["reachable"] = c.Reachability == Reachability.Reachable,
            ["observedAt"] = Time(c.ObservedAt),
        };
        if (c.Problem is not null)
        {
            o["problem"] = c.Problem;
        }

        if (c.ServerVersion is not null)
        {
            o["serverVersion"] = c.ServerVersion;
        }

        o["nodes"] = nodes;
        o["unread"] = Strings(c.Unread);
        o["warnings"] = Strings(c.Warnings);
        o["rayObjects"] = new JsonArray([.. c.RayObjects.Select(WriteObject)]);
        o["queueWorkloads"] = new JsonArray([.. c.QueueWorkloads.Select(q => (JsonNode)new JsonObject
        {
            ["namespace"] = q.Namespace,
            ["name"] = q.Name,
            ["queue"] = q.Queue,
            ["state"] = q.State.ToString().ToLowerInvariant(),
        })]);
        return o;
    }

    /// <summary>Reads a snapshot file's text.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">Where it came from, for messages (<c>--observed</c>).</param>
    /// <returns>The observation with warnings, or an error when the text is not a snapshot SkyRay can read.</returns>
    public static Result<FleetObservation> Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        var bag = new DiagnosticBag();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            bag.Error(source, $"the observation is not JSON ({e.Message})", "write it with: skyray status --output json > observed.json");
            return new Result<FleetObservation>(null, bag.Sorted());
        }

        if (root is not JsonObject o)
        {
            bag.Error(source, "the observation is not a JSON object", "write it with: skyray status --output json > observed.json");
            return new Result<FleetObservation>(null, bag.Sorted());
        }

        var format = o["observationFormat"] is JsonValue fv && fv.GetValueKind() == JsonValueKind.Number && fv.TryGetValue<int>(out var f) ? f : 0;
        if (format < 1)
        {
            bag.Error($"{source}: observationFormat", "the file has no observationFormat number, so it is not an observation SkyRay wrote", "write it with: skyray status --output json > observed.json");
            return new Result<FleetObservation>(null, bag.Sorted());
        }

        if (format > FormatVersion)
        {
            bag.Error($"{source}: observationFormat", $"the observation was written by a newer SkyRay (format {format}); this one reads formats up to {FormatVersion}", "use the skyray that wrote it");
            return new Result<FleetObservation>(null, bag.Sorted());
        }

        var at = ReadTime(o, "observedAt", $"{source}: observedAt", bag);
        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterObservation>(StringComparer.Ordinal);
        if (o["clusters"] is JsonObject map)
        {
            foreach (var (name, node) in map)
            {
                var path = $"{source}: clusters.{name}";
                if (node is JsonObject c)
                {
                    clusters[name] = ReadCluster(name, c, path, at, bag);
                }
                else
                {
                    bag.Warning(path, "is not an object; nothing is known about this cluster", "write the file again with skyray status --output json");
                }
            }
        }
        else
        {
            bag.Error($"{source}: clusters", "the observation has no map of clusters", "write it with: skyray status --output json > observed.json");
            return new Result<FleetObservation>(null, bag.Sorted());
        }

        var observedAt = at ?? (clusters.Count == 0 ? DateTimeOffset.UnixEpoch : clusters.Values.Max(c => c.ObservedAt));
        return new Result<FleetObservation>(new FleetObservation(observedAt, clusters.ToImmutable()) { Source = source }, bag.Sorted());
    }

    private static ClusterObservation ReadCluster(string name, JsonObject c, string path, DateTimeOffset? fleetTime, DiagnosticBag bag)
    {
        var reachable = c["reachable"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
        if (c["reachable"] is not JsonValue { } rv || rv.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            bag.Warning($"{path}.reachable", "is not true or false; the cluster is read as unreachable", null);
        }

        var at = ReadTime(c, "observedAt", $"{path}.observedAt", bag) ?? fleetTime ?? DateTimeOffset.UnixEpoch;
        var unread = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        unread.UnionWith(TextList(c["unread"]));
        var warnings = ImmutableArray.CreateBuilder<string>();
        warnings.AddRange(TextList(c["warnings"]));

        var nodes = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        if (c["nodes"] is JsonObject n)
        {
            foreach (var (pool, count) in n)
            {
                if (count is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var k) && k >= 0)
                {
                    nodes[pool] = k;
                }
                else
                {
                    unread.Add(ObservationParts.Nodes);
                    bag.Warning($"{path}.nodes.{pool}", "is not a node count; node counts are unknown", null);
                }
            }
        }

        var objects = ImmutableArray.CreateBuilder<ObservedRayObject>();
        if (c["rayObjects"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (ReadObject(list[i], $"{path}.rayObjects[{i}]", bag, out var kindPart) is { } obj)
                {
                    objects.Add(obj);
                }
                else
                {
                    // The object exists but cannot be read: its kind (or every kind) is unknown, never empty.
                    unread.UnionWith(kindPart is null ? ObservationParts.RayKinds : [kindPart]);
                }
            }
        }
        else if (reachable)
        {
            unread.UnionWith(ObservationParts.RayKinds);
            bag.Warning($"{path}.rayObjects", "is missing; the cluster's Ray objects are unknown", null);
        }

        var queues = ImmutableArray.CreateBuilder<ObservedQueueWorkload>();
        if (c["queueWorkloads"] is JsonArray q)
        {
            for (var i = 0; i < q.Count; i++)
            {
                if (q[i] is JsonObject w && Text(w, "name") is { } wn && Text(w, "namespace") is { } wns
                    && Enum.TryParse<QueueState>(Text(w, "state"), ignoreCase: true, out var state) && Enum.IsDefined(state))
                {
                    queues.Add(new ObservedQueueWorkload(wns, wn, Text(w, "queue"), state));
                }
                else
                {
                    unread.Add(ObservationParts.QueueWorkloads);
                    bag.Warning($"{path}.queueWorkloads[{i}]", "lacks a name, namespace or a state of pending, admitted or finished; the cluster's queues are unknown", null);
                }
            }
        }

        return new ClusterObservation(name, reachable ? Reachability.Reachable : Reachability.Unreachable, at)
        {
            Problem = Text(c, "problem"),
            ServerVersion = Text(c, "serverVersion"),
            Nodes = nodes.ToImmutable(),
            RayObjects = [.. objects.OrderBy(x => x.Kind).ThenBy(x => x.Namespace, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal)],
            QueueWorkloads = [.. queues.Where(x => x.State != QueueState.Finished).OrderBy(x => x.Namespace, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal)],
            Unread = unread.ToImmutable(),
            Warnings = warnings.ToImmutable(),
        };
    }

    private static ObservedRayObject? ReadObject(JsonNode? node, string path, DiagnosticBag bag, out string? kindPart)
    {
        kindPart = null;
        if (node is not JsonObject o || !Enum.TryParse<RayKind>(Text(o, "kind"), ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
        {
            bag.Warning(path, "has no kind of RayJob, RayService or RayCluster; the cluster's Ray objects are unknown", null);
            return null;
        }

        kindPart = ObservationParts.Of(kind);
        if (Text(o, "name") is not { } name || Text(o, "namespace") is not { } ns)
        {
            bag.Warning(path, $"lacks a name or namespace; the cluster's {kind}s are unknown", null);
            return null;
        }

        var status = o["status"] as JsonObject;
        var result = new ObservedRayObject(kind, ns, name)
        {
            Workload = Text(o, "workload"),
            OriginatedFrom = Text(o, "originatedFrom"),
            HasStatus = status is not null,
            ServeAddresses = [.. TextList(o["serveAddresses"])],
            OngoingRequests = Int(o, "ongoingRequests"),
        };
        if (status is null)
        {
            return result;
        }

        return result with
        {
            DeploymentStatus = Text(status, "jobDeploymentStatus"),
            JobStatus = Text(status, "jobStatus"),
            RayClusterName = Text(status, "rayClusterName"),
            State = Text(status, "state"),
            ReadyCondition = Text(status, "ready"),
            ServeEndpoints = Int(status, "numServeEndpoints"),
            StartTime = ReadTime(status, "startTime", $"{path}.status.startTime", bag),
            EndTime = ReadTime(status, "endTime", $"{path}.status.endTime", bag),
        };
    }

    private static JsonNode WriteObject(ObservedRayObject x)
    {
        var o = new JsonObject
        {
            ["kind"] = x.Kind.ToString(),
            ["namespace"] = x.Namespace,
            ["name"] = x.Name,
        };
        if (x.Workload is not null)
        {
            o["workload"] = x.Workload;
        }

        if (x.OriginatedFrom is not null)
        {
            o["originatedFrom"] = x.OriginatedFrom;
        }

        if (x.HasStatus)
        {
            var s = new JsonObject();
            Put(s, "jobDeploymentStatus", x.DeploymentStatus);
            Put(s, "jobStatus", x.JobStatus);
            Put(s, "rayClusterName", x.RayClusterName);
            Put(s, "state", x.State);
            Put(s, "ready", x.ReadyCondition);
            if (x.ServeEndpoints is { } endpoints)
            {
                s["numServeEndpoints"] = endpoints;
            }

            Put(s, "startTime", x.StartTime is { } st ? Time(st) : null);
            Put(s, "endTime", x.EndTime is { } et ? Time(et) : null);
            o["status"] = s;
        }

        if (!x.ServeAddresses.IsDefaultOrEmpty)
        {
            o["serveAddresses"] = Strings(x.ServeAddresses);
        }

        if (x.OngoingRequests is { } ongoing)
        {
            o["ongoingRequests"] = ongoing;
        }

        return o;
    }

    /// <summary>A time as the snapshot writes it (ISO 8601 UTC, seconds).</summary>
    /// <param name="time">The time.</param>
    /// <returns>e.g. <c>2026-12-04T10:00:00Z</c>.</returns>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Put(JsonObject o, string key, string? value)
    {
        if (value is not null)
        {
            o[key] = value;
        }
    }

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)i)]);

    private static IEnumerable<string> TextList(JsonNode? node) =>
        node is JsonArray a ? a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()) : [];

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Int(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    private static DateTimeOffset? ReadTime(JsonObject o, string key, string path, DiagnosticBag bag)
    {
        if (o[key] is null)
        {
            return null;
        }

        if (o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }

        bag.Warning(path, $"'{o[key]!.ToJsonString()}' is not a time; read as unknown", "write times as ISO 8601, e.g. 2026-12-04T10:00:00Z");
        return null;
    }
}
