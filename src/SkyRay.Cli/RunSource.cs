using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Runs;
using SkyRay.Placement.Planning;

namespace SkyRay.Cli;

/// <summary>
/// The options that say which run of a stack a command looks at, shared by <c>plan</c>, <c>render</c> and <c>simulate</c>:
/// <c>--previous-outputs FILE</c> (the stack's outputs, <c>pulumi stack output --json</c>: the run is the next <c>pulumi up</c>),
/// <c>--previous FILE</c> (a plan to keep placements stable against, from <c>skyray plan --output json</c>) and <c>--at TIME</c>
/// (the time the standby clocks are read at; now by default). Every command then decides the run with <see cref="RunPlanner"/>,
/// the entry point the Pulumi program uses.
/// </summary>
public sealed class RunSource
{
    /// <summary><c>--previous-outputs FILE</c>.</summary>
    public Option<string?> PreviousOutputs { get; } = new("--previous-outputs")
    {
        Description = "The stack's outputs (pulumi stack output --json > outputs.json): show the next pulumi up, with its standby, upgrade and traffic steps.",
        HelpName = "OUTPUTS.json",
    };

    /// <summary><c>--previous FILE</c>.</summary>
    public Option<string?> Previous { get; } = new("--previous")
    {
        Description = "A plan written earlier with 'skyray plan --output json': workloads stay where it put them while they still fit.",
        HelpName = "PLAN.json",
    };

    /// <summary><c>--observed FILE</c>.</summary>
    public Option<string?> Observed { get; } = new("--observed")
    {
        Description = "What runs on the clusters (skyray status --output json > observed.json): idle clocks, finished jobs, readiness and failover are decided from it.",
        HelpName = "OBSERVED.json",
    };

    /// <summary><c>--at TIME</c>.</summary>
    public Option<string?> At { get; } = new("--at")
    {
        Description = "Read the standby clocks at this time (ISO 8601, e.g. 2026-12-04T10:00:00Z) instead of now.",
        HelpName = "TIME",
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(PreviousOutputs);
        command.Add(Previous);
        command.Add(Observed);
        command.Add(At);
    }

    /// <summary>Reads the options and decides the run.</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="context">The CLI context (resolves paths).</param>
    /// <param name="spec">The validated stack.</param>
    /// <param name="planning">Planning options (<c>--explain</c>).</param>
    /// <returns>The run, or the problems with the options' files (errors) when there is none.</returns>
    public Result<RunPlan> Plan(ParseResult parsed, CliContext context, FleetSpec spec, PlanOptions? planning = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(spec);
        var bag = new DiagnosticBag();
        var now = ReadTime(parsed.GetValue(At), bag);
        var previous = PreviousRun.None;
        if (parsed.GetValue(PreviousOutputs) is { } outputsPath)
        {
            var reading = ReadOutputs(context.ResolvePath(outputsPath), bag);
            bag.AddRange(reading?.Problems ?? []);
            previous = reading?.Run ?? PreviousRun.None;
        }

        FleetPlan? stickTo = null;
        if (parsed.GetValue(Previous) is { } planPath)
        {
            stickTo = ReadPlan(context.ResolvePath(planPath), bag);
        }

        FleetObservation? observed = null;
        if (parsed.GetValue(Observed) is { } observedPath)
        {
            observed = ReadObservation(context.ResolvePath(observedPath), "--observed", bag);
        }

        if (bag.HasErrors)
        {
            return new Result<RunPlan>(null, bag.Sorted());
        }

        var run = RunPlanner.Plan(new RunRequest(spec, previous, now) { StickTo = stickTo, Planning = planning ?? PlanOptions.Default, Observed = observed });
        bag.AddRange(run.Diagnostics);
        return new Result<RunPlan>(run, bag.Sorted());
    }

    private static DateTimeOffset ReadTime(string? text, DiagnosticBag bag)
    {
        if (text is null)
        {
            return DateTimeOffset.UtcNow;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        bag.Error("--at", $"'{text}' is not a time", "give an ISO 8601 time, e.g. 2026-12-04T10:00:00Z");
        return DateTimeOffset.UtcNow;
    }

    private static PreviousRunReading? ReadOutputs(string path, DiagnosticBag bag)
    {
        if (!File.Exists(path))
        {
            bag.Error("--previous-outputs", $"no file {path}", "write it with: pulumi stack output --json > outputs.json");
            return null;
        }

        return StackOutputs.ReadText(File.ReadAllText(path), "--previous-outputs");
    }

    /// <summary>Reads an observation snapshot file; problems go to the bag (a missing or unreadable file is an error).</summary>
    /// <param name="path">The file.</param>
    /// <param name="option">The option that named it, for messages.</param>
    /// <param name="bag">Where problems go.</param>
    /// <returns>The observation, or null.</returns>
    public static FleetObservation? ReadObservation(string path, string option, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (!File.Exists(path))
        {
            bag.Error(option, $"no file {path}", "write it with: skyray status --stack NAME --output json > observed.json");
            return null;
        }

        var read = ObservationJson.Read(File.ReadAllText(path), option);
        bag.AddRange(read.Diagnostics);
        return read.Value;
    }

    /// <summary>Reads the previous outputs file named by <c>--previous-outputs</c>, if given.</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="context">The CLI context.</param>
    /// <param name="bag">Where problems go.</param>
    /// <returns>The previous run (<see cref="PreviousRun.None"/> when not given or unreadable).</returns>
    public PreviousRun ReadPrevious(ParseResult parsed, CliContext context, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(bag);
        if (parsed.GetValue(PreviousOutputs) is not { } outputsPath)
        {
            return PreviousRun.None;
        }

        var reading = ReadOutputs(context.ResolvePath(outputsPath), bag);
        bag.AddRange(reading?.Problems ?? []);
        return reading?.Run ?? PreviousRun.None;
    }

    private static FleetPlan? ReadPlan(string path, DiagnosticBag bag)
    {
        if (!File.Exists(path))
        {
            bag.Error("--previous", $"no file {path}", "write one with: skyray plan --stack NAME --output json > plan.json");
            return null;
        }

        try
        {
            return PlanJson.Read(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            bag.Error("--previous", $"{path} is not a plan written by 'skyray plan --output json': {ex.Message}", "write it again with --output json");
            return null;
        }
    }
}
