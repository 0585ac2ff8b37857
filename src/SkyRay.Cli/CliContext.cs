using Spectre.Console;

namespace SkyRay.Cli;

/// <summary>What a command run writes to and where it runs; passed in so tests run the CLI in process.</summary>
/// <param name="Out">Standard output (results, tables, JSON).</param>
/// <param name="Error">Standard error (diagnostics about the command line, unexpected failures).</param>
/// <param name="WorkingDirectory">Folder relative paths and <c>--stack</c> lookups start from.</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, string WorkingDirectory)
{
    /// <summary>A Spectre console over <see cref="Out"/>: no colours or ANSI codes, so output is stable in files and tests.</summary>
    /// <returns>The console.</returns>
    public IAnsiConsole Console()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        console.Profile.Width = 160;
        return console;
    }

    /// <summary>Resolves a user-given path against <see cref="WorkingDirectory"/>.</summary>
    /// <param name="path">Absolute or relative path.</param>
    /// <returns>The full path.</returns>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
