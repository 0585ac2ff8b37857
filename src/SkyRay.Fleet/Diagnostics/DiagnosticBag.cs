namespace SkyRay.Fleet.Diagnostics;

/// <summary>
/// Collects every problem instead of stopping at the first, so a user fixes a config in one pass.
/// Not thread-safe; one bag per load.
/// </summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    private int _errors;

    /// <summary>Everything reported so far, in the order reported.</summary>
    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>True when at least one error was reported.</summary>
    public bool HasErrors => _errors > 0;

    /// <summary>
    /// How many errors were reported, kept as they are added: readers compare it before and after a part to know whether
    /// that part failed, once per workload or arrival, so counting the whole list each time made a read quadratic in the
    /// number of diagnostics (a stack whose 20,000 workloads each have a warning).
    /// </summary>
    public int ErrorCount => _errors;

    /// <summary>Reports an error at <paramref name="path"/>.</summary>
    public void Error(string path, string message, string? hint = null)
    {
        _items.Add(new Diagnostic(Severity.Error, path, message, hint));
        _errors++;
    }

    /// <summary>Reports a warning at <paramref name="path"/>.</summary>
    public void Warning(string path, string message, string? hint = null) =>
        _items.Add(new Diagnostic(Severity.Warning, path, message, hint));

    /// <summary>Adds findings produced elsewhere.</summary>
    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        var start = _items.Count;
        _items.AddRange(diagnostics);
        for (var i = start; i < _items.Count; i++)
        {
            if (_items[i].Severity == Severity.Error)
            {
                _errors++;
            }
        }
    }

    /// <summary>Errors first, then warnings, each group sorted by path so output is stable.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items.OrderBy(d => d.Severity).ThenBy(d => d.Path, StringComparer.Ordinal).ThenBy(d => d.Message, StringComparer.Ordinal)];
}
