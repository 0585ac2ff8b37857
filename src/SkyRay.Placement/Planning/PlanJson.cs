using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SkyRay.Placement.Planning;

/// <summary>
/// Plan ⇄ JSON (camelCase, enums as camelCase strings, indented, keys in ordinal order) for
/// <c>skyray plan --output json</c>, <c>--previous plan.json</c> and the Pulumi program's stack output.
/// The same plan always gives the same text. Only constructor data is written (derived values such as
/// <see cref="FleetPlan.Unplaced"/> are recomputed on read).
/// </summary>
public static class PlanJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions(plain: false);
    private static readonly JsonSerializerOptions PlainOptions = CreateOptions(plain: true);
    private static readonly JsonSerializerOptions OrdinalWriteOptions = CreateOptions(plain: false, mapConverter: false);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, FleetPlan> SharedReads = new();

    /// <summary>Writes a plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>JSON text.</returns>
    public static string Write(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return JsonSerializer.Serialize(plan, WriteOptions(plan));
    }

    /// <summary>
    /// A plan whose maps are all ordinal (every plan the planner makes) is written by the serializer's own map converter,
    /// in one pass: the ordinal converter re-enters the serializer for every entry (a new write state per placement and
    /// cluster). Both enumerate ordinal maps in the same order and write the same bytes.
    /// </summary>
    private static JsonSerializerOptions WriteOptions(FleetPlan plan) => AllMapsOrdinal(plan) ? OrdinalWriteOptions : Options;

    /// <summary>
    /// <see cref="Write(FleetPlan)"/> as UTF-8 onto a stream, the same bytes, without the whole text in memory: the plan of
    /// a stack of 20,000 workloads on 200 clusters is over 200 MB of JSON, which as one string (and its UTF-8 copy) took
    /// more than a gigabyte and seconds of <c>skyray plan --output json</c>.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="utf8">Where to write.</param>
    public static void Write(FleetPlan plan, Stream utf8)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(utf8);
        JsonSerializer.Serialize(utf8, plan, WriteOptions(plan));
    }

    /// <summary>Reads a plan written by <see cref="Write(FleetPlan)"/>.</summary>
    /// <param name="json">JSON text.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="JsonException">The text is not a plan.</exception>
    public static FleetPlan Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<FleetPlan>(json, Options) ?? throw new JsonException("the JSON text is null, not a plan");
    }

    /// <summary>
    /// <see cref="Write(FleetPlan)"/>, and the plan is remembered as what <see cref="ReadShared"/> of this very text object gives, so a
    /// reader in the same process skips parsing it back: the trace simulation feeds each run's placements output to the next
    /// run, and parsing it was about a tenth of a simulated run. Only a plan that reads back as the same data is remembered:
    /// one without verdicts (a double score) and without field overrides (their JSON values read back as other node
    /// objects); any other plan is only written, and read as before.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <returns>Indented JSON text, the same as <see cref="Write(FleetPlan)"/> gives.</returns>
    public static string WriteShared(FleetPlan plan)
    {
        var json = Write(plan);
        if (ReadsBackTheSame(plan))
        {
            SharedReads.AddOrUpdate(json, plan);
        }

        return json;
    }

    /// <summary>
    /// True when <see cref="Read"/> of the plan's text gives equal data (see <see cref="WriteShared"/>): no verdicts, no
    /// field overrides, no array left default (the text has none: it reads back empty) and every map ordinal (as read).
    /// A reader in the process that made such a plan may take the plan itself for its text.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <returns>True when the plan's text reads back as the same data.</returns>
    public static bool ReadsBackTheSame(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Diagnostics.IsDefault || !Ordinal(plan.Clusters) || !Ordinal(plan.Placements))
        {
            return false;
        }

        foreach (var cluster in plan.Clusters.Values)
        {
            if (cluster.Pools.IsDefault || cluster.Workloads.IsDefault || !Ordinal(cluster.Labels))
            {
                return false;
            }
        }

        foreach (var placement in plan.Placements.Values)
        {
            if (placement.Verdicts.IsDefault || !placement.Verdicts.IsEmpty || placement.Copies.IsDefault || placement.MissingCopies.IsDefault)
            {
                return false;
            }

            foreach (var copy in placement.Copies)
            {
                if (copy.Overrides.IsDefault || !copy.Overrides.IsEmpty || !Ordinal(copy.WorkerReplicas) || !Ordinal(copy.GroupPools))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Ordinal<TValue>(ImmutableSortedDictionary<string, TValue>? map) =>
        map is not null && ReferenceEquals(map.KeyComparer, StringComparer.Ordinal) &&
        ReferenceEquals(map.ValueComparer, EqualityComparer<TValue>.Default);

    /// <summary>
    /// <see cref="Read"/>, once per text object: a run meets the previous outputs' placements text in several steps
    /// (stickiness, Ready RayServices for upgrades and traffic records), each of which used to parse it again. The plan
    /// is immutable, so every step may share one; entries go when the text does.
    /// </summary>
    /// <param name="json">JSON text.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="JsonException">The text is not a plan.</exception>
    public static FleetPlan ReadShared(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SharedReads.GetValue(json, Read);
    }

    /// <summary>
    /// True when a plan read from JSON is whole: it has its clusters and placements, and every placement its copies. JSON
    /// of another shape deserializes with those missing, so readers of plans from outside (stack outputs, files) check.
    /// </summary>
    /// <param name="plan">A plan from <see cref="Read"/>.</param>
    /// <returns>True when every part a reader walks is there.</returns>
    public static bool IsWhole(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Clusters is not null && plan.Placements is not null && plan.Placements.Values.All(p => p is not null && !p.Copies.IsDefault);
    }

    /// <summary>
    /// <see cref="Write(FleetPlan)"/> the way it was written before the map converter wrote string and number values itself (each value
    /// through the serializer); tests compare the two texts, which must be the same bytes.
    /// </summary>
    internal static string WritePlain(FleetPlan plan) => JsonSerializer.Serialize(plan, PlainOptions);

    /// <summary>True when every map of the plan orders its keys ordinal (as the ordinal map converter writes them).</summary>
    private static bool AllMapsOrdinal(FleetPlan plan)
    {
        if (!Ordinal(plan.Clusters) || !Ordinal(plan.Placements))
        {
            return false;
        }

        foreach (var cluster in plan.Clusters.Values)
        {
            if (cluster is null || !Ordinal(cluster.Labels))
            {
                return false;
            }
        }

        foreach (var placement in plan.Placements.Values)
        {
            if (placement is null || placement.Copies.IsDefault)
            {
                return false;
            }

            foreach (var copy in placement.Copies)
            {
                if (copy is null || !Ordinal(copy.WorkerReplicas) || !Ordinal(copy.GroupPools))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <param name="plain">See <see cref="WritePlain"/>.</param>
    /// <param name="mapConverter">False: maps written by the serializer's own converter (writing ordinal maps only; reading would lose the ordinal order).</param>
    private static JsonSerializerOptions CreateOptions(bool plain, bool mapConverter = true)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyConstructorData } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        if (mapConverter)
        {
            options.Converters.Add(new OrdinalSortedDictionaryConverter(plain));
        }

        options.MakeReadOnly();
        return options;
    }

    private static void OnlyConstructorData(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var property = info.Properties[i];
            if (property.Set is null && property.AssociatedParameter is null)
            {
                info.Properties.RemoveAt(i);
            }
            else if (property.PropertyType == typeof(ImmutableArray<MissingCopy>))
            {
                // Rare, so written only when present: plans without missing copies keep their exact text.
                property.ShouldSerialize = (_, value) => value is ImmutableArray<MissingCopy> { IsDefaultOrEmpty: false };
            }
        }
    }

    /// <summary>Reads string-keyed sorted dictionaries back with the ordinal comparer every plan uses.</summary>
    private sealed class OrdinalSortedDictionaryConverter(bool plain) : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.IsGenericType &&
            typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>) &&
            typeToConvert.GetGenericArguments()[0] == typeof(string);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[1]), [plain])!;

        /// <param name="plain">Every value through the serializer (see <see cref="WritePlain"/>).</param>
        private sealed class Converter<TValue>(bool plain) : JsonConverter<ImmutableSortedDictionary<string, TValue>>
        {
            private JsonTypeInfo<TValue>? _values;

            public override ImmutableSortedDictionary<string, TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                var values = JsonSerializer.Deserialize<Dictionary<string, TValue>>(ref reader, options)
                    ?? throw new JsonException("expected an object");
                return values.ToImmutableSortedDictionary(StringComparer.Ordinal);
            }

            public override void Write(Utf8JsonWriter writer, ImmutableSortedDictionary<string, TValue> value, JsonSerializerOptions options)
            {
                writer.WriteStartObject();
                foreach (var (key, item) in value.WithComparers(StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    if (plain)
                    {
                        JsonSerializer.Serialize(writer, item, options);
                    }
                    else if (typeof(TValue) == typeof(string))
                    {
                        // What the serializer's string and int converters write, without entering the serializer again for
                        // each value (a new write state per value: most of a plan's map values are pool names, labels and
                        // worker counts).
                        if ((string?)(object?)item is { } text)
                        {
                            writer.WriteStringValue(text);
                        }
                        else
                        {
                            writer.WriteNullValue();
                        }
                    }
                    else if (typeof(TValue) == typeof(int))
                    {
                        writer.WriteNumberValue((int)(object)item!);
                    }
                    else
                    {
                        JsonSerializer.Serialize(writer, item, _values ??= (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue)));
                    }
                }

                writer.WriteEndObject();
            }
        }
    }
}
