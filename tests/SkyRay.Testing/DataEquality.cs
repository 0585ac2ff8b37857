using System.Collections;
using System.Collections.Immutable;
using System.Reflection;

namespace SkyRay.Testing;

/// <summary>
/// Whether two values hold the same data, all the way down, with nothing taken from the types' own equality (records of
/// immutable collections compare those by reference): SkyRay records by their public properties, sequences element by
/// element (a map's comparers too), a default <see cref="ImmutableArray{T}"/> apart from an empty one, decimals with their
/// scale (1.50 is not 1.5), strings ordinal, anything else (comparers, JSON nodes) by <see cref="object.Equals(object)"/>,
/// which for most is the same object. Used to show that a shortcut gives a value equal to the one the plain path gives.
/// </summary>
public static class DataEquality
{
    /// <summary>The first difference between <paramref name="expected"/> and <paramref name="actual"/> as a path and what differs; null when equal.</summary>
    public static string? FirstDifference(object? expected, object? actual) => Compare(expected, actual, "$", 0);

    private static string? Compare(object? a, object? b, string path, int depth)
    {
        if (depth > 64)
        {
            return $"{path}: nested too deep to compare";
        }

        if (a is null || b is null)
        {
            return a is null && b is null ? null : $"{path}: {Show(a)} against {Show(b)}";
        }

        var type = a.GetType();
        if (type != b.GetType())
        {
            return $"{path}: a {type.Name} against a {b.GetType().Name}";
        }

        if (a is decimal x && b is decimal y)
        {
            return decimal.GetBits(x).AsSpan().SequenceEqual(decimal.GetBits(y)) ? null : $"{path}: {x} against {y}";
        }

        if (a is string s)
        {
            return string.Equals(s, (string)b, StringComparison.Ordinal) ? null : $"{path}: \"{s}\" against \"{b}\"";
        }

        if (type.IsPrimitive || type.IsEnum)
        {
            return a.Equals(b) ? null : $"{path}: {a} against {b}";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            var defaultA = (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(a)!;
            var defaultB = (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(b)!;
            if (defaultA || defaultB)
            {
                return defaultA == defaultB ? null : $"{path}: {(defaultA ? "default" : "an array")} against {(defaultB ? "default" : "an array")}";
            }

            return Sequence((IEnumerable)a, (IEnumerable)b, path, depth);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            return Properties(a, b, type, path, depth);
        }

        if (type.Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) != true && a is IEnumerable ea)
        {
            // A map's comparers decide how it is looked up: they must be the same too.
            foreach (var name in new[] { "KeyComparer", "ValueComparer", "Comparer" })
            {
                if (type.GetProperty(name) is { } comparer && !Equals(comparer.GetValue(a), comparer.GetValue(b)))
                {
                    return $"{path}.{name}: {comparer.GetValue(a)} against {comparer.GetValue(b)}";
                }
            }

            return Sequence(ea, (IEnumerable)b, path, depth);
        }

        if (type.Namespace?.StartsWith("SkyRay", StringComparison.Ordinal) == true)
        {
            return Properties(a, b, type, path, depth);
        }

        return a.Equals(b) ? null : $"{path}: {Show(a)} against {Show(b)} (not equal by their own Equals)";
    }

    private static string? Sequence(IEnumerable a, IEnumerable b, string path, int depth)
    {
        var left = a.Cast<object?>().ToList();
        var right = b.Cast<object?>().ToList();
        if (left.Count != right.Count)
        {
            return $"{path}: {left.Count} items against {right.Count}";
        }

        for (var i = 0; i < left.Count; i++)
        {
            if (Compare(left[i], right[i], $"{path}[{i}]", depth + 1) is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static string? Properties(object a, object b, Type type, string path, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            if (Compare(property.GetValue(a), property.GetValue(b), $"{path}.{property.Name}", depth + 1) is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
