using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Config;

/// <summary>
/// The placements of the previous run, so the planner keeps workloads where they are (stickiness).
/// </summary>
/// <remarks>
/// Source, first match wins: config <c>skyray:previousPlan</c> (the <c>placements</c> JSON, for stacks whose backend
/// cannot be read from the program, and for tests); else the stack's own last outputs, read through a
/// <c>StackReference</c> to <c>organization/project/stack</c> (output <c>placements</c>). A stack that was never
/// deployed has no such output: the plan then starts fresh.
/// </remarks>
internal static class PreviousPlacements
{
    /// <summary>The stack output the orchestrator writes the placements JSON to.</summary>
    public const string OutputName = "placements";

    /// <summary>The config key (namespace <c>skyray</c>) that overrides the stack reference.</summary>
    public const string ConfigKey = "previousPlan";

    /// <summary>The full name of the running stack as a stack reference spells it.</summary>
    public static string SelfReference(string organization, string project, string stack) =>
        $"{organization}/{project}/{stack}";

    /// <summary>
    /// Reads the placements JSON into a plan holding only placements (which cluster each workload was on).
    /// Accepts the shapes <c>{"workload": ["cluster", ...]}</c> and <c>{"workload": {"clusters": [...]}}</c>, optionally
    /// wrapped in <c>{"placements": ...}</c>. Returns null (and the reason) for empty or unreadable text, so a
    /// format change degrades to a fresh plan instead of a failed deployment.
    /// </summary>
    /// <param name="stack">Stack name.</param>
    /// <param name="json">The placements JSON, or null.</param>
    /// <param name="problem">Why nothing was read, when the text was present but unreadable.</param>
    /// <returns>The previous plan, or null.</returns>
    public static FleetPlan? ToPlan(string stack, string? json, out string? problem)
    {
        problem = null;
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
            problem = $"the previous placements are not JSON ({e.Message}); planning from scratch";
            return null;
        }

        if (root is JsonObject wrapper && wrapper.Count == 1 && wrapper["placements"] is JsonObject inner)
        {
            root = inner;
        }

        if (root is not JsonObject byWorkload)
        {
            problem = "the previous placements are not a JSON object; planning from scratch";
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
}
