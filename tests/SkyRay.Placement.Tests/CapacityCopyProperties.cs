using System.Collections;
using System.Reflection;
using FsCheck.Xunit;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The consolidate pass copies the capacity its trials resume from into states earlier trials gave back. Such a copy must
/// hold exactly what a new copy holds: every field of the state, arrays by length and content (a pool's node array grows by
/// its length, and the first-fit index comes with the growth), lists by content, the model by reference. Compared field by
/// field through reflection, so a field the copy forgets fails the property whatever it is used for.
/// </summary>
public sealed class CapacityCopyProperties
{
    [Property(MaxTest = 60)]
    public void A_copy_made_in_a_given_back_state_holds_what_a_new_copy_holds(int seed)
    {
        var spec = RandomStack.Generate(seed).Load();
        var model = PlanModel.Build(spec, null, new DiagnosticBag());
        var random = new Random(seed);
        var source = Filled(model, random, 40);
        var spares = new PlacementPipeline.MemoPool(model.Clusters.Length);
        // Another state of the same fleet, filled differently (more nodes open, so other array lengths and indexes).
        var spare = Filled(PlanModel.Build(spec, null, new DiagnosticBag()), random, 400);
        spares.ReturnState(spare);

        var copy = source.Copy(spares);
        var fresh = source.Copy();

        Assert.Same(spare, copy);
        Assert.Equal(0, spares.FreeStates);
        Assert.Null(Difference(fresh, copy, "state"));
    }

    [Fact]
    public void A_state_of_another_fleet_size_is_not_taken()
    {
        var small = PlanModel.Build(RandomStack.Generate(1).Load(), null, new DiagnosticBag());
        var spares = new PlacementPipeline.MemoPool(small.Clusters.Length);
        var other = RandomStack.Generate(2).Load();
        var large = PlanModel.Build(other, null, new DiagnosticBag());
        Assert.NotEqual(small.Pools.Length, large.Pools.Length);
        spares.ReturnState(new CapacityState(large));

        var copy = new CapacityState(small).Copy(spares);

        Assert.Equal(1, spares.FreeStates);
        Assert.Null(Difference(new CapacityState(small).Copy(), copy, "state"));
    }

    /// <summary>A committed state after packing random pods on random pools (clusters brought up first).</summary>
    private static CapacityState Filled(PlanModel model, Random random, int packs)
    {
        var state = new CapacityState(model);
        for (var i = 0; i < packs && model.Pools.Length > 0; i++)
        {
            var pool = model.Pools[random.Next(model.Pools.Length)];
            state.Activate(model.Clusters[pool.Cluster]);
            var savepoint = state.Savepoint;
            if (!state.Pack(pool, random.Next(100, 4_000), random.Next(1, 16) * 1L << 28, random.Next(3) == 0 ? 1 : 0, random.Next(1, 6), out _, out _))
            {
                state.Rollback(savepoint);
            }

            state.Commit();
        }

        return state;
    }

    private static string? Difference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: one is null";
        }

        if (expected.GetType() != actual.GetType())
        {
            return $"{path}: {expected.GetType().Name} against {actual.GetType().Name}";
        }

        if (expected is PlanModel)
        {
            return ReferenceEquals(expected, actual) ? null : $"{path}: another model";
        }

        if (expected is IList list)
        {
            var other = (IList)actual;
            if (list.Count != other.Count)
            {
                return $"{path}: {list.Count} items against {other.Count}";
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (Difference(list[i], other[i], $"{path}[{i}]") is { } d)
                {
                    return d;
                }
            }

            return null;
        }

        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum)
        {
            return expected.Equals(actual) ? null : $"{path}: {expected} against {actual}";
        }

        if (ReferenceEquals(expected, actual) && !type.IsValueType)
        {
            return $"{path}: the same object in both (not a copy)";
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
        {
            if (Difference(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}") is { } d)
            {
                return d;
            }
        }

        return null;
    }
}
