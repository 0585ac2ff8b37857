using System.Text.Json.Nodes;

namespace SkyRay.Cli.Tests;

/// <summary>One in-process run of the CLI with its captured output.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(string workingDirectory, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = SkyRayCli.Run(args, stdout, stderr, workingDirectory);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The stdout of a <c>--output json</c> run as a diagnostics array.</summary>
    public JsonArray Json() => JsonNode.Parse(Out)?.AsArray() ?? throw new InvalidOperationException("no JSON output:\n" + Out + Error);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}
