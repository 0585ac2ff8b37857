using System.Text;
using SkyRay.Cli.Commands;

namespace SkyRay.Cli;

/// <summary>The <c>skyray</c> executable: the list of its commands. Adding a command is one file in Commands/ and one line here.</summary>
public static class Program
{
    /// <summary>Process entry point.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Main(string[] args)
    {
        // Standard output through a buffer (SkyRayCli.BufferedOutput); standard error stays unbuffered so problems show at once.
        // Disposing the writer flushes it, whichever way the command ends.
        using var output = SkyRayCli.BufferedOutput(Console.OpenStandardOutput(), Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage ? null : Console.OutputEncoding);
        return SkyRayCli.Run(args, output, Console.Error);
    }

    /// <summary>Every command of the CLI, in the order help lists them.</summary>
    /// <returns>New command instances (commands hold no state between runs).</returns>
    internal static IReadOnlyList<ISkyRayCommand> Commands() =>
    [
        new ValidateCommand(),
        new PlanCommand(),
        new RenderCommand(),
        new SimulateCommand(),
        new StatusCommand(),
        new DiffCommand(),
    ];
}
