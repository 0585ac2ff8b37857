using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Policies;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Config;

/// <summary>
/// What the previous <c>pulumi up</c> of this stack left in its outputs: the placements (so the planner keeps
/// workloads where they are) and each cluster's state and idle clock (so standby decisions carry over).
/// </summary>
/// <param name="Plan">A plan holding only the previous placements, or null on a first run.</param>
/// <param name="Outputs">The previous cluster outputs (state, idleSince), or null on a first run.</param>
/// <remarks>
/// Source, first match wins: config <c>skyray-infra:previousOutputs</c> (the JSON <c>pulumi stack output --json</c>
/// prints; for backends the program cannot read, and for tests), else the stack's own last outputs through a
/// <c>StackReference</c> to <c>organization/project/stack</c>. The key is outside the <c>skyray</c> namespace on
/// purpose: the CLI rejects unknown <c>skyray:</c> keys, and this one is not fleet config.
/// </remarks>
internal sealed record PreviousRun(FleetPlan? Plan, FleetOutputs? Outputs)
{
    /// <summary>The stack output holding the placements JSON.</summary>
    public const string PlacementsOutput = "placements";

    /// <summary>The stack output holding the per-cluster map.</summary>
    public const string ClustersOutput = "clusters";

    /// <summary>The config key, in the project's namespace, that replaces the stack reference.</summary>
    public const string ConfigKey = "previousOutputs";

    /// <summary>No previous run.</summary>
    public static PreviousRun None { get; } = new(null, null);

    /// <summary>The full name of the running stack as a stack reference spells it.</summary>
    public static string SelfReference(string organization, string project, string stack) =>
        $"{organization}/{project}/{stack}";

    /// <summary>
    /// Reads previous outputs (<c>placements</c>: the placements JSON; <c>clusters</c>: name → provider,
    /// kubernetesVersion, lifecycle, state, idleSince). Unreadable parts are dropped with a reason, so a format change
    /// degrades to a fresh plan instead of a failed deployment.
    /// </summary>
    /// <param name="stack">Stack name.</param>
    /// <param name="outputs">The outputs object, or null.</param>
    /// <param name="problems">Why parts were dropped.</param>
    public static PreviousRun From(string stack, JsonObject? outputs, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        if (outputs is null)
        {
            return None;
        }

        var placementsText = outputs[PlacementsOutput] is JsonValue text && text.GetValueKind() == JsonValueKind.String
            ? text.GetValue<string>()
            : null;
        var plan = PlanFromPlacements(stack, placementsText, found);
        var clusters = ClustersFrom(outputs[ClustersOutput] as JsonObject);
        var previousOutputs = clusters.IsEmpty && placementsText is null
            ? null
            : new FleetOutputs(
                clusters,
                ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal),
                [],
                placementsText ?? string.Empty);
        return new PreviousRun(plan, previousOutputs);
    }

    /// <summary>
    /// The previous plan from the <c>placements</c> output: the whole plan as <c>PlanJson.Write</c> wrote it, or a
    /// plan holding only placements from the simpler shapes <c>{"workload": ["cluster", ...]}</c> and
    /// <c>{"workload": {"clusters": [...]}}</c> (optionally wrapped in <c>{"placements": ...}</c>).
    /// </summary>
    public static FleetPlan? PlanFromPlacements(string stack, string? json, ICollection<string> problems)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add($"the previous placements are not JSON ({e.Message}); planning without them");
            return null;
        }

        // A whole plan (PlanJson) carries stack, clusters and placements; the reader fills missing members with
        // nulls instead of failing, so the shape is checked first.
        if (root is JsonObject plan && plan["stack"] is JsonValue && plan["clusters"] is JsonObject && plan["placements"] is JsonObject)
        {
            try
            {
                var read = PlanJson.Read(json);
                if (read.Clusters is not null && read.Placements is not null)
                {
                    return read;
                }
            }
            catch (JsonException e)
            {
                problems.Add($"the previous plan cannot be read ({e.Message}); planning without it");
                return null;
            }
        }

        if (root is JsonObject wrapper && wrapper.Count == 1 && wrapper["placements"] is JsonObject inner)
        {
            root = inner;
        }

        if (root is not JsonObject byWorkload)
        {
            problems.Add("the previous placements are not a JSON object; planning without them");
            return null;
        }

        var placements = ImmutableSortedDictionary.CreateBuilder<string, WorkloadPlacement>(StringComparer.Ordinal);
        foreach (var (workload, node) in byWorkload)
        {
            var clusters = node switch
            {
                JsonArray list => list,
                JsonObject entry when entry["clusters"] is JsonArray list => list,
                _ => null,
            };
            if (clusters is null)
            {
                continue;
            }

            var copies = clusters
                .OfType<JsonValue>()
                .Where(v => v.GetValueKind() == JsonValueKind.String)
                .Select(v => v.GetValue<string>())
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Select(cluster => new WorkloadCopy(
                    workload,
                    cluster,
                    ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal),
                    ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
                    ImmutableArray<FieldOverride>.Empty,
                    LaunchTier.RunningNodes,
                    0m))
                .ToImmutableArray();
            placements[workload] = new WorkloadPlacement(workload, null, copies, [], null);
        }

        return new FleetPlan(
            stack,
            ImmutableSortedDictionary.Create<string, ClusterPlan>(StringComparer.Ordinal),
            placements.ToImmutable(),
            []);
    }

    private static ImmutableSortedDictionary<string, ClusterOutput> ClustersFrom(JsonObject? clusters)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ClusterOutput>(StringComparer.Ordinal);
        if (clusters is null)
        {
            return result.ToImmutable();
        }

        foreach (var (name, node) in clusters)
        {
            if (node is JsonObject cluster && Text(cluster, "state") is { } state)
            {
                result[name] = new ClusterOutput(
                    Text(cluster, "provider") ?? string.Empty,
                    Text(cluster, "kubernetesVersion") ?? string.Empty,
                    Text(cluster, "lifecycle") ?? string.Empty,
                    state,
                    Text(cluster, "idleSince"));
            }
        }

        return result.ToImmutable();
    }

    private static string? Text(JsonObject map, string key) =>
        map[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
