namespace SkyRay.Fleet.Diagnostics;

/// <summary>A value together with the findings produced while computing it. <see cref="Value"/> is null when there were errors.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value, or null when <paramref name="Diagnostics"/> holds an error.</param>
/// <param name="Diagnostics">Errors and warnings, sorted.</param>
public sealed record Result<T>(T? Value, IReadOnlyList<Diagnostic> Diagnostics)
    where T : class
{
    /// <summary>True when a value was produced (no errors).</summary>
    public bool Ok => Value is not null && !Diagnostics.Any(d => d.Severity == Severity.Error);
}
