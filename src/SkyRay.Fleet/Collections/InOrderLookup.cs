using System.Collections.Immutable;

namespace SkyRay.Fleet.Collections;

/// <summary>
/// Finds values of a map by name when the names are asked in ascending ordinal order, as a caller walking another map of the
/// same stack in name order does: the map is walked beside the caller, once, instead of searched per name (a sorted map's
/// search costs more the larger the stack). When the map is not in ordinal order, or the caller says its names are not, each
/// name is looked up. One walk per instance; not thread-safe.
/// </summary>
/// <typeparam name="TValue">The map's values.</typeparam>
public sealed class InOrderLookup<TValue> : IDisposable
    where TValue : class
{
    private readonly ImmutableSortedDictionary<string, TValue> _map;
    private readonly bool _sideBySide;
    private ImmutableSortedDictionary<string, TValue>.Enumerator _cursor;
    private bool _hasCurrent;
    private string? _last;

    /// <summary>Starts a walk of the map.</summary>
    /// <param name="map">The map to find values in.</param>
    /// <param name="namesInOrdinalOrder">True when <see cref="Find"/> will be asked names in ascending ordinal order.</param>
    public InOrderLookup(ImmutableSortedDictionary<string, TValue> map, bool namesInOrdinalOrder)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = map;
        _sideBySide = namesInOrdinalOrder && ReferenceEquals(map.KeyComparer, StringComparer.Ordinal);
        _cursor = map.GetEnumerator();
        _hasCurrent = _sideBySide && _cursor.MoveNext();
    }

    /// <summary>The value of the name, or null when the map has none.</summary>
    /// <param name="name">A name not before the last one asked (ordinal), when walking side by side.</param>
    /// <returns>The value, or null.</returns>
    /// <exception cref="InvalidOperationException">A name before the last one asked, when walking side by side.</exception>
    public TValue? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_sideBySide)
        {
            return _map.GetValueOrDefault(name);
        }

        if (_last is not null && string.CompareOrdinal(name, _last) < 0)
        {
            throw new InvalidOperationException($"'{name}' was asked after '{_last}': names must come in ascending ordinal order.");
        }

        _last = name;
        while (_hasCurrent && string.CompareOrdinal(_cursor.Current.Key, name) < 0)
        {
            _hasCurrent = _cursor.MoveNext();
        }

        return _hasCurrent && string.Equals(_cursor.Current.Key, name, StringComparison.Ordinal) ? _cursor.Current.Value : null;
    }

    /// <inheritdoc />
    public void Dispose() => _cursor.Dispose();
}
