using System.Text;
using Pulumi;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Infra.Config;

/// <summary>
/// Reports the core's diagnostics through Pulumi: warnings as Pulumi warnings, errors as one
/// <see cref="RunException"/> listing every located problem. The Pulumi runner prints a <see cref="RunException"/>
/// without a stack trace, so the user sees the same list as <c>skyray validate</c> prints.
/// </summary>
internal static class ConfigErrors
{
    /// <summary>Returns the value of a successful result, logging its warnings; throws the error list otherwise.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="result">A core result.</param>
    /// <param name="warn">Where warnings go (<c>Pulumi.Log.Warn</c> in the program).</param>
    /// <param name="subject">What failed, the message's first words.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RunException">The result holds errors.</exception>
    public static T Require<T>(Result<T> result, Action<string> warn, string subject = ConfigSubject)
        where T : class
    {
        Warn(result.Diagnostics, warn);
        if (result.Ok && result.Value is { } value)
        {
            return value;
        }

        throw new RunException(Describe(result.Diagnostics, subject));
    }

    /// <summary>The subject of a config error.</summary>
    public const string ConfigSubject = "The skyray stack config is not valid";

    /// <summary>Logs every warning of a list.</summary>
    public static void Warn(IEnumerable<Diagnostic> diagnostics, Action<string> warn)
    {
        foreach (var diagnostic in diagnostics.Where(d => d.Severity == Severity.Warning))
        {
            warn(diagnostic.ToString());
        }
    }

    /// <summary>The message for a failed load: a header line, then every error on its own line, sorted by path.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics, string subject = ConfigSubject)
    {
        var errors = diagnostics
            .Where(d => d.Severity == Severity.Error)
            .OrderBy(d => d.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToList();
        var text = new StringBuilder();
        text.Append(subject).Append(" (")
            .Append(errors.Count == 1 ? "1 error" : $"{errors.Count} errors")
            .Append("); nothing was deployed.");
        foreach (var error in errors)
        {
            text.Append('\n').Append("  ").Append(error.ToString());
        }

        if (errors.Count == 0)
        {
            text.Append("\n  the loader reported no value and no error; this is a bug in SkyRay");
        }

        return text.ToString();
    }
}
