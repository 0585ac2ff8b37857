using System.CommandLine;
using System.CommandLine.Help;
using System.Text;

namespace SkyRay.Cli;

/// <summary>Runs the <c>skyray</c> command line in process: the executable and the tests both call <see cref="Run(string[], TextWriter, TextWriter)"/>.</summary>
public static class SkyRayCli
{
    /// <summary>
    /// The standard output the executable gives <see cref="Run(string[], TextWriter, TextWriter)"/>: buffered (64 KiB) and
    /// flushed when disposed. Console.Out flushes after every write, a system call per line, and the per-cluster reasons of
    /// a plan on a fleet of hundreds of clusters are hundreds of thousands of lines.
    /// </summary>
    /// <param name="stream">Where the text goes.</param>
    /// <param name="encoding">Its encoding; null for UTF-8 without a byte order mark.</param>
    /// <returns>The writer.</returns>
    public static StreamWriter BufferedOutput(Stream stream, Encoding? encoding = null) =>
        new(stream, encoding ?? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16) { AutoFlush = false };

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">Arguments, without the program name.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <returns>0 ok, 2 invalid input, 1 unexpected failure (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, Environment.CurrentDirectory);

    /// <summary>Same as <see cref="Run(string[], TextWriter, TextWriter)"/> from a given working directory.</summary>
    /// <param name="args">Arguments, without the program name.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="workingDirectory">Folder relative paths and stack lookups start from.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var context = new CliContext(stdout, stderr, workingDirectory);
            var root = new RootCommand("skyray: validate, plan and render a SkyRay fleet (KubeRay on many clusters) offline, with no cloud.");
            foreach (var command in Program.Commands())
            {
                root.Add(command.Create(context));
            }

            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
            {
                foreach (var error in parsed.Errors)
                {
                    stderr.WriteLine($"error: {error.Message}");
                }

                stderr.WriteLine("Run 'skyray --help' for the commands and their options.");
                return ExitCodes.InvalidInput;
            }

            return parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
#pragma warning disable CA1031 // The top-level guard: any failure becomes one line and exit 1, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"skyray: unexpected error ({ex.GetType().Name}): {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Unexpected;
        }
    }
}
