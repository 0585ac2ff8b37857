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
        // Standard output through a buffer: Console.Out flushes after every write, a system call per line, and the per
        // cluster reasons of a plan on a fleet of hundreds of clusters are hundreds of thousands of lines. Standard error
        // stays unbuffered so problems show at once.
        var encoding = Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : Console.OutputEncoding;
        using var output = new StreamWriter(Console.OpenStandardOutput(), encoding, bufferSize: 1 << 16) { AutoFlush = false };
        try
        {
            return SkyRayCli.Run(args, output, Console.Error);
        }
        finally
        {
            output.Flush();
        }
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
