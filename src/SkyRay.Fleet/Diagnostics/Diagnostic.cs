namespace SkyRay.Fleet.Diagnostics;

/// <summary>How serious a finding is: errors stop the run (exit code 2), warnings are printed and the run goes on.</summary>
public enum Severity
{
    /// <summary>The input cannot be used as written.</summary>
    Error,

    /// <summary>The input is usable but something in it is ignored or suspicious.</summary>
    Warning,
}

/// <summary>
/// One problem found in user input, located by its config path
/// (for example <c>skyray:workloads.llm.workerGroups[0].gpu</c>).
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Path">Where the problem is, as a config path.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Hint">How to fix it, or <c>null</c> when the message says it all.</param>
public sealed record Diagnostic(Severity Severity, string Path, string Message, string? Hint = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var level = Severity == Severity.Error ? "error" : "warning";
        return Hint is null ? $"{level}: {Path}: {Message}" : $"{level}: {Path}: {Message} ({Hint})";
    }
}
