using System.Diagnostics;
using System.Globalization;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Benchmarks.Scale;
using SkyRay.Cli;
using SkyRay.Fleet.Catalog;

namespace SkyRay.Benchmarks.EndToEnd;

/// <summary>
/// <c>cli</c>: the <c>skyray</c> commands a user types, on the generated stack files of <c>e2e</c>, each run the way a
/// user runs it: a fresh process, cold (the JIT compiles as it goes), standard output to a file through the same buffered
/// writer the executable uses. <c>e2e</c> times the core path with the JIT warmed up; this times what is printed around it
/// (tables, every unplaced workload's reason per cluster, the plan JSON, the rendered manifests), which is where a 200 x
/// 20,000 <c>skyray plan</c> once spent a minute.
/// </summary>
internal static class CliCommand
{
    private static readonly (int Clusters, int Workloads)[] DefaultSizes = [(20, 500), (100, 5_000), (200, 20_000)];

    private static readonly string[][] Commands =
    [
        ["validate"],
        ["plan"],
        ["plan", "--output", "json"],
        ["render", "--out", "{out}"],
    ];

    public static int Run(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--one")
        {
            return RunOne(args[1], args[2..]);
        }

        var unknown = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && a is not ("--sizes" or "--runs")).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"cli: unknown option {unknown[0]}; usage: cli [--sizes 20x500,200x20000] [--runs N]");
            return 2;
        }

        var sizes = EndToEndCommand.Sizes(args, DefaultSizes);
        var runs = EndToEndCommand.Runs(args);
        var dir = Directory.CreateTempSubdirectory("skyray-cli-").FullName;
        Console.WriteLine($"skyray commands on generated stack files (seed 1; {runs} fresh cold processes per command, median by wall time, standard output to a file); {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {ScaleCommand.LoadAverage()}.");
        Console.WriteLine();
        Console.WriteLine("| Clusters | Workloads | Stack file | Command | Wall (runs) | CPU | Peak working set | Standard output |");
        Console.WriteLine("|---:|---:|---:|---|---:|---:|---:|---:|");
        var catalog = InstanceCatalogReader.BuiltIn();
        try
        {
            foreach (var (clusters, workloads) in sizes)
            {
                var spec = SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), catalog);
                var stack = Path.Combine(dir, $"Pulumi.c{clusters}w{workloads}.yaml");
                File.WriteAllText(stack, StackFileWriter.Write(spec));
                var size = new FileInfo(stack).Length;
                foreach (var command in Commands)
                {
                    var results = new List<(double Wall, string[] Fields)>();
                    for (var r = 0; r < runs; r++)
                    {
                        var output = Path.Combine(dir, "render");
                        var line = Child(Arguments(command, output, stack), dir, out var wall);
                        if (Directory.Exists(output))
                        {
                            Directory.Delete(output, recursive: true);
                        }

                        if (line is null || !line.StartsWith("ok ", StringComparison.Ordinal))
                        {
                            Console.WriteLine($"| {clusters:N0} | {workloads:N0} | {size / 1048576.0:0.00} MB | skyray {string.Join(' ', Arguments(command, "DIR", stack: null))} | error: {line} |");
                            continue;
                        }

                        results.Add((wall, line.Split(' ')));
                    }

                    if (results.Count == 0)
                    {
                        continue;
                    }

                    // ok <exit code> <cpu seconds> <peak bytes> <output bytes>
                    var median = results.OrderBy(x => x.Wall).ElementAt((results.Count - 1) / 2);
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"| {clusters:N0} | {workloads:N0} | {size / 1048576.0:0.00} MB | skyray {string.Join(' ', Arguments(command, "DIR", stack: null))} | {Time(median.Wall)} ({string.Join(" / ", results.Select(x => Time(x.Wall)))}) | {Time(double.Parse(median.Fields[2], CultureInfo.InvariantCulture))} | {long.Parse(median.Fields[3], CultureInfo.InvariantCulture) / 1048576.0:N0} MiB | {long.Parse(median.Fields[4], CultureInfo.InvariantCulture) / 1048576.0:0.0} MB |"));
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("Wall: from starting the process to its exit (runtime start-up and JIT included). Exit code 0 (a plan with unplaced workloads is not an error).");
        return 0;
    }

    /// <summary>
    /// Runs every command of the table in this process on a stack file (for <c>--dry e2e</c>): each must exit 0, or the
    /// table would time an error path.
    /// </summary>
    /// <param name="stack">A stack file.</param>
    /// <returns>One problem per command that did not exit 0.</returns>
    internal static IEnumerable<string> CommandProblems(string stack)
    {
        var output = Directory.CreateTempSubdirectory("skyray-cli-dry-").FullName;
        try
        {
            foreach (var command in Commands)
            {
                var error = new StringWriter();
                var exit = SkyRayCli.Run(Arguments(command, Path.Combine(output, "render"), stack), TextWriter.Null, error);
                if (exit != 0)
                {
                    yield return $"skyray {string.Join(' ', Arguments(command, "DIR", stack: null))} exited {exit}: {error.ToString().Split('\n')[0]}";
                }
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>One command in this fresh process: standard output to a file, buffered as the executable buffers it.</summary>
    private static int RunOne(string outputFile, string[] command)
    {
        int exit;
        using (var output = SkyRayCli.BufferedOutput(File.Create(outputFile)))
        {
            exit = SkyRayCli.Run(command, output, TextWriter.Null);
        }

        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"ok {exit} {self.TotalProcessorTime.TotalSeconds:R} {self.PeakWorkingSet64} {new FileInfo(outputFile).Length}"));
        return exit;
    }

    private static string? Child(string[] command, string dir, out double wall)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "cli", "--one", Path.Combine(dir, "stdout.txt") }.Concat(command))
        {
            start.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            child.Kill(entireProcessTree: true);
            wall = double.NaN;
            return null;
        }

        wall = watch.Elapsed.TotalSeconds;
        var line = output.Result.Split('\n').LastOrDefault(l => l.StartsWith("ok ", StringComparison.Ordinal));
        return line is not null && line.Split(' ')[1] == "0" ? line : "error " + (line ?? error.Result.Split('\n').FirstOrDefault());
    }

    private static string Time(double seconds) => EndToEndCommand.Time(seconds);

    /// <summary>A command of the table with its output folder filled in, reading <paramref name="stack"/> (null: as the table names it).</summary>
    private static string[] Arguments(string[] command, string output, string? stack) =>
        [.. command.Select(a => a.Replace("{out}", output, StringComparison.Ordinal)), .. stack is null ? Array.Empty<string>() : ["--config-file", stack]];
}
