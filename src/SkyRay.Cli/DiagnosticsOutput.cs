using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Cli;

/// <summary>Output format of commands that print findings or results.</summary>
public enum OutputFormat
{
    /// <summary>Human-readable text and tables.</summary>
    Text,

    /// <summary>Machine-readable JSON.</summary>
    Json,
}

/// <summary>Prints diagnostics the same way in every command, and the shared <c>--output</c> option.</summary>
public static class DiagnosticsOutput
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Creates the <c>--output text|json</c> option.</summary>
    /// <returns>A new option, default text.</returns>
    public static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: text or json.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    /// <summary>Reads the value of an option made by <see cref="CreateOutputOption"/>.</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="option">The option.</param>
    /// <returns>The format.</returns>
    public static OutputFormat FormatOf(ParseResult parsed, Option<string> option)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue(option) == "json" ? OutputFormat.Json : OutputFormat.Text;
    }

    /// <summary>Writes findings as lines (<c>error: path: message (hint)</c>) to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="diagnostics">The findings (already sorted).</param>
    public static void WriteText(TextWriter writer, IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var d in diagnostics)
        {
            writer.WriteLine(d.ToString());
        }

        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        var warnings = diagnostics.Count - errors;
        if (diagnostics.Count > 0)
        {
            writer.WriteLine($"{errors} error(s), {warnings} warning(s)");
        }
    }

    /// <summary>The findings as a JSON array of <c>{severity, path, message, hint}</c>.</summary>
    /// <param name="diagnostics">The findings.</param>
    /// <returns>The array.</returns>
    public static JsonArray ToJson(IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var array = new JsonArray();
        foreach (var d in diagnostics)
        {
            array.Add(new JsonObject
            {
                ["severity"] = d.Severity == Severity.Error ? "error" : "warning",
                ["path"] = d.Path,
                ["message"] = d.Message,
                ["hint"] = d.Hint,
            });
        }

        return array;
    }

    /// <summary>Writes JSON indented, without escaping non-ASCII text.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="node">The JSON.</param>
    public static void WriteJson(TextWriter writer, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(node);
        writer.WriteLine(node.ToJsonString(Indented));
    }
}
