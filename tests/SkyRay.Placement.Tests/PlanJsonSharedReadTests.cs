using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;
using SkyRay.Testing;

namespace SkyRay.Placement.Tests;

/// <summary>
/// A plan written with <see cref="PlanJson.WriteShared"/> is given back by <see cref="PlanJson.ReadShared"/> of that text
/// without parsing it (the trace simulation feeds every run's placements output to the next run): what it gives must be the
/// data a parse of the text gives, on plans with every kind of content; plans whose text reads back otherwise are parsed.
/// </summary>
public sealed class PlanJsonSharedReadTests
{
    /// <summary>The plan as the placements output keeps it (FleetOutputsBuilder.WithoutVerdicts: every verdict list empty).</summary>
    private static FleetPlan WithoutVerdicts(FleetPlan plan) =>
        plan with { Placements = plan.Placements.ToImmutableSortedDictionary(p => p.Key, p => p.Value with { Verdicts = [] }, StringComparer.Ordinal) };

    [Fact]
    public void A_plan_given_back_for_its_own_text_is_the_data_a_parse_of_that_text_gives()
    {
        // First plans and re-plans after an edit of random stacks: Duplicate and Divide spreads, groupBy, GPU pools, taints,
        // unplaced workloads, missing copies, warnings. The kinds met are counted so a generator change cannot quietly drop one.
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 60; seed++)
        {
            var stack = RandomStack.Generate(seed);
            var first = FleetPlanner.Plan(stack.Load());
            var (edited, _, _) = stack.Change(seed);
            var next = FleetPlanner.Plan(edited.Load(), PlanJson.Read(PlanJson.Write(first)));
            // Warnings come from configs the random stacks do not make (a split not adding up to 100, say): one with and one
            // without a hint is added to a plan here.
            var warned = first with
            {
                Diagnostics = [new Diagnostic(Severity.Warning, "skyray:policies.p.spreadConstraints.percentageSplit", "the percentages add up to 90", "make them add up to 100"), new Diagnostic(Severity.Warning, "skyray:clusters.c", "no price")],
            };
            foreach (var plan in seed % 10 == 0 ? new[] { first, next, warned } : [first, next])
            {
                var written = WithoutVerdicts(plan);
                var text = PlanJson.WriteShared(written);

                Assert.Equal(PlanJson.Write(written), text);
                Assert.Same(written, PlanJson.ReadShared(text));
                Assert.Null(DataEquality.FirstDifference(PlanJson.Read(text), written));

                Count(kinds, written);
            }
        }

        Assert.Equal(["diagnostics", "missing copies", "several copies", "unplaced", "worker replicas"], kinds);
    }

    [Fact]
    public void A_plan_with_verdicts_or_field_overrides_is_parsed_from_its_text()
    {
        // Overrides hold JSON values, which read back as other node objects; verdicts are left out of the placements output.
        var plan = FleetPlanner.Plan(RandomStack.Generate(3).Load());
        var placed = plan.Placements.First(p => p.Value.IsPlaced);
        var copy = placed.Value.Copies[0] with { Overrides = [new FieldOverride("spec.rayClusterConfig.rayVersion", JsonValue.Create("2.46.0"))] };
        var withOverrides = WithoutVerdicts(plan) is var bare
            ? bare with { Placements = bare.Placements.SetItem(placed.Key, bare.Placements[placed.Key] with { Copies = placed.Value.Copies.SetItem(0, copy) }) }
            : plan;

        foreach (var other in new[] { plan, withOverrides })
        {
            var text = PlanJson.WriteShared(other);
            var given = PlanJson.ReadShared(text);

            Assert.NotSame(other, given);
            Assert.Equal(text, PlanJson.Write(given));
        }

        Assert.NotNull(DataEquality.FirstDifference(withOverrides, PlanJson.Read(PlanJson.Write(withOverrides))));
    }

    [Fact]
    public void A_plan_is_written_as_text_and_onto_a_stream_to_the_same_bytes_as_with_every_map_value_written_through_the_serializer()
    {
        // The map converter writes string and number values itself; the text must be the one the serializer writes for
        // them: plans with verdicts (scores, reasons with quotes and non-ASCII), labels, pools, worker counts, field
        // overrides, warnings, first plans and re-plans.
        for (var seed = 0; seed < 40; seed++)
        {
            var stack = RandomStack.Generate(seed);
            var first = FleetPlanner.Plan(stack.Load(), null, new PlanOptions { Explain = seed % 2 == 0 });
            var (edited, _, _) = stack.Change(seed);
            var next = FleetPlanner.Plan(edited.Load(), PlanJson.Read(PlanJson.Write(first)));
            var placed = first.Placements.First(p => p.Value.IsPlaced);
            var copy = placed.Value.Copies[0] with { Overrides = [new FieldOverride("spec.x", JsonValue.Create(3)), new FieldOverride("spec.y", JsonNode.Parse("""{"a":["é \" <b>",null]}"""))] };
            var odd = first with
            {
                Placements = first.Placements.SetItem(placed.Key, placed.Value with { Copies = placed.Value.Copies.SetItem(0, copy with { GroupPools = copy.GroupPools.SetItem("wörker \"x\"", "pool \"1\" \\ \t é <b>") }) }),
                Diagnostics = [new Diagnostic(Severity.Warning, "skyray:clusters.c", "no price", null)],
            };
            // A map in another order (reverse ordinal) is written in ordinal order all the same.
            var (clusterName, cluster) = first.Clusters.First();
            var cultured = first with
            {
                Clusters = first.Clusters.SetItem(clusterName, cluster with { Labels = cluster.Labels.SetItem("a", "1").SetItem("B", "2").WithComparers(Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x))) }),
            };
            foreach (var plan in new[] { first, next, odd, cultured, WithoutVerdicts(next) })
            {
                var expected = PlanJson.WritePlain(plan);
                Assert.Equal(expected, PlanJson.Write(plan));
                var stream = new MemoryStream();
                PlanJson.Write(plan, stream);
                Assert.Equal(expected, Encoding.UTF8.GetString(stream.ToArray()));
            }
        }
    }

    private static void Count(SortedSet<string> kinds, FleetPlan plan)
    {
        if (!plan.Diagnostics.IsEmpty)
        {
            kinds.Add("diagnostics");
        }

        foreach (var placement in plan.Placements.Values)
        {
            if (!placement.IsPlaced)
            {
                kinds.Add("unplaced");
            }

            if (!placement.MissingCopies.IsEmpty)
            {
                kinds.Add("missing copies");
            }

            if (placement.Copies.Length > 1)
            {
                kinds.Add("several copies");
            }

            if (placement.Copies.Any(c => !c.WorkerReplicas.IsEmpty))
            {
                kinds.Add("worker replicas");
            }
        }
    }
}
