using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SkyRay.Benchmarks;
using SkyRay.Benchmarks.Optimality;
using SkyRay.Benchmarks.Scale;
using SkyRay.Benchmarks.Simulation;

// dotnet run -c Release --project bench/SkyRay.Benchmarks -- scale | micro | optimality | --dry
var mode = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
switch (mode)
{
    case "scale":
        return ScaleCommand.Run(rest);
    case "simulate":
        return SimulateCommand.Run(rest);
    case "optimality":
        return OptimalityCommand.Run(rest);
    case "e2e":
        return SkyRay.Benchmarks.EndToEnd.EndToEndCommand.Run(rest);
    case "walk":
        return SkyRay.Benchmarks.EndToEnd.WalkCommand.Run(rest);
    case "cli":
        return SkyRay.Benchmarks.EndToEnd.CliCommand.Run(rest);
    case "baselines":
        return SkyRay.Benchmarks.Baselines.BaselinesCommand.Run(rest);
    case "--dry" or "dry":
        return DryRun.Run(rest);
    case "micro":
        // In-process: no generated child project to build (the repository's central package management and
        // warnings-as-errors would apply to it), and a short run: these numbers compare, they do not certify.
        var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        BenchmarkSwitcher.FromAssembly(typeof(DryRun).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
        return 0;
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/SkyRay.Benchmarks -- scale [--sizes 1000x10,...] [--timeout s]");
        Console.Error.WriteLine("                                                               optimality [--instances N] [--time-limit s]");
        Console.Error.WriteLine("                                                               micro [BenchmarkDotNet arguments]");
        Console.Error.WriteLine("                                                               simulate [--arrivals N] [--clusters N] [--days N] [--tick MINUTES]");
        Console.Error.WriteLine("                                                               e2e [--sizes 5x50,...] [--runs N] [--before PATH] [--no-interleaved] | walk [--sizes 5x50,...] [--rounds N] | cli [--sizes 20x500,...] [--runs N]");
        Console.Error.WriteLine("                                                               --dry [e2e]   (checks the generator, the CP-SAT model and the e2e stack files; e2e: only those)");
        return 2;
}
