using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SkyRay.Cli.Commands;

/// <summary>
/// <c>skyray plan --stack dev [--explain] [--output table|json] [--previous plan.json]</c>: plans the stack offline
/// and prints where every workload goes (clusters, replicas, launch tier, cost), what each cluster does (active,
/// standby, absent) and the total cost. <c>--explain</c> adds every candidate cluster's verdict and score in plain
/// words; <c>--previous</c> keeps workloads where an earlier plan (from <c>--output json</c>) put them.
/// <c>--previous-outputs</c> replays the next <c>pulumi up</c> from the stack's outputs (<c>pulumi stack output --json</c>):
/// standby clocks, the clone-and-swap upgrade step and the traffic records it would declare.
/// </summary>
public sealed class PlanCommand : ISkyRayCommand
{
    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new StackSource();
        var explain = new Option<bool>("--explain")
        {
            Description = "Print each candidate cluster's verdict and score for every workload.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: table (text) or json (the plan, usable as --previous).",
            DefaultValueFactory = _ => "table",
            HelpName = "table|json",
        };
        output.AcceptOnlyFromAmong("table", "text", "json");
        var previous = new Option<string?>("--previous")
        {
            Description = "A plan written earlier with --output json: workloads stay where it put them while they still fit.",
            HelpName = "PLAN.json",
        };
        var previousOutputs = new Option<string?>("--previous-outputs")
        {
            Description = "The stack's outputs (pulumi stack output --json): plan the next pulumi up, with its standby, upgrade and traffic steps.",
            HelpName = "OUTPUTS.json",
        };
        var command = new Command("plan", "Plan the stack: where every workload goes and why, which clusters run, and the cost per hour.");
        source.AddTo(command);
        command.Add(explain);
        command.Add(output);
        command.Add(previous);
        command.Add(previousOutputs);
        command.SetAction(parsed =>
        {
            var json = parsed.GetValue(output) == "json";
            var loaded = source.Load(parsed, context);
            if (!loaded.Ok)
            {
                return Fail(context, json, loaded.Diagnostics);
            }

            FleetPlan? before = null;
            if (parsed.GetValue(previous) is { } previousPath)
            {
                before = ReadPrevious(context.ResolvePath(previousPath), out var problem);
                if (problem is not null)
                {
                    return Fail(context, json, [.. loaded.Diagnostics, problem]);
                }
            }

            FleetOutputs? outputs = null;
            if (parsed.GetValue(previousOutputs) is { } outputsPath)
            {
                outputs = ReadOutputs(context.ResolvePath(outputsPath), out var problem);
                if (problem is not null)
                {
                    return Fail(context, json, [.. loaded.Diagnostics, problem]);
                }
            }

            var configured = UpgradePolicy.ConfiguredView(outputs);
            before ??= string.IsNullOrWhiteSpace(configured?.Placements) ? null : ReadPlanText(configured.Placements);
            var plan = FleetPlanner.Plan(loaded.Value!, before, new PlanOptions(Explain: parsed.GetValue(explain)));
            var steps = NoSteps;
            if (outputs is not null)
            {
                // The same sequence as the Pulumi program: standby clock, then the upgrade step; preview its upgrade and traffic lines.
                var standby = StandbyPolicy.Decide(loaded.Value!, plan, configured, DateTimeOffset.UtcNow);
                var upgrade = UpgradePolicy.Decide(loaded.Value!, standby.Plan, outputs);
                plan = upgrade.Plan;
                steps = [.. RecordingPorts.Record(upgrade, idleSince: standby.IdleSinceText).PreviewLines()
                    .Where(l => l.StartsWith("~ upgrade ", StringComparison.Ordinal) || l.Contains(" traffic ", StringComparison.Ordinal))];
            }

            var diagnostics = loaded.Diagnostics.Concat(plan.Diagnostics).ToList();
            if (json)
            {
                context.Out.WriteLine(PlanJson.Write(plan));
            }
            else
            {
                DiagnosticsOutput.WriteText(context.Error, diagnostics);
                Write(context.Console(), plan, parsed.GetValue(explain));
                foreach (var step in steps)
                {
                    context.Out.WriteLine(step);
                }
            }

            return diagnostics.Any(d => d.Severity == Severity.Error) ? ExitCodes.InvalidInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints a plan as tables.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="explain">Also print every verdict.</param>
    public static void Write(IAnsiConsole console, FleetPlan plan, bool explain)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plan);
        console.WriteLine($"Plan for stack '{plan.Stack}': {plan.Placements.Count - plan.Unplaced.Count()} of {plan.Placements.Count} workload(s) placed, {Money(plan.HourlyCost)} per hour.");
        var workloads = new Table().AddColumns("workload", "policy", "cluster", "workers", "node pools", "launch tier", "cost/h");
        foreach (var p in plan.Placements.Values)
        {
            if (!p.IsPlaced)
            {
                workloads.AddRow(Cells(p.Workload, p.Policy ?? "-", "UNPLACED", "-", "-", "-", "-"));
                continue;
            }

            foreach (var copy in p.Copies)
            {
                workloads.AddRow(Cells(
                    p.Workload,
                    p.Policy ?? "-",
                    copy.Cluster,
                    copy.WorkerReplicas.Count == 0 ? "-" : string.Join(", ", copy.WorkerReplicas.Select(w => $"{w.Key}×{w.Value}")),
                    string.Join(", ", copy.GroupPools.Select(g => $"{g.Key}→{g.Value}")),
                    Tier(copy.Tier),
                    Money(copy.HourlyCost)));
            }
        }

        console.Write(workloads);
        var clusters = new Table().AddColumns("cluster", "state", "node pools (desired/min-max)", "workloads", "cost/h", "why");
        foreach (var c in plan.Clusters.Values)
        {
            clusters.AddRow(Cells(
                c.Cluster,
                c.State.ToString().ToLowerInvariant(),
                string.Join(", ", c.Pools.Select(p => $"{p.Pool} {p.InstanceType} {p.DesiredNodes}/{p.MinNodes}-{p.MaxNodes}")),
                c.Workloads.Length.ToString(CultureInfo.InvariantCulture),
                Money(c.HourlyCost),
                c.Reason));
        }

        console.Write(clusters);
        console.WriteLine($"Total: {Money(plan.HourlyCost)} per hour.");
        foreach (var p in plan.Placements.Values)
        {
            if (!p.IsPlaced)
            {
                console.WriteLine();
                console.WriteLine($"{p.Workload} is not placed: {p.UnplacedReason}");
                WriteVerdicts(console, p);
            }
            else if (explain)
            {
                console.WriteLine();
                console.WriteLine($"{p.Workload} → {string.Join(", ", p.Copies.Select(c => c.Cluster))} ({(p.Policy is null ? "default policy: available capacity" : $"policy '{p.Policy}'")})");
                WriteVerdicts(console, p);
            }
        }
    }

    private static void WriteVerdicts(IAnsiConsole console, WorkloadPlacement placement)
    {
        foreach (var v in placement.Verdicts)
        {
            var score = v.Score is { } s ? $" [score {s.ToString("0.####", CultureInfo.InvariantCulture)}]" : string.Empty;
            console.WriteLine($"  {(v.Accepted ? "+" : "-")} {v.Cluster}{score}: {v.Reason}");
        }
    }

    private static readonly string[] NoSteps = [];

    private static FleetPlan? ReadPlanText(string json)
    {
        try
        {
            return PlanJson.Read(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static FleetOutputs? ReadOutputs(string path, out Diagnostic? problem)
    {
        problem = null;
        var hint = "write it with: pulumi stack output --json > outputs.json";
        if (!File.Exists(path))
        {
            problem = new Diagnostic(Severity.Error, "--previous-outputs", $"no file {path}", hint);
            return null;
        }

        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject root)
            {
                return FleetOutputsJson.Read(root);
            }
        }
        catch (JsonException)
        {
            // reported below
        }

        problem = new Diagnostic(Severity.Error, "--previous-outputs", $"{path} is not the JSON object of a stack's outputs", hint);
        return null;
    }

    private static FleetPlan? ReadPrevious(string path, out Diagnostic? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = new Diagnostic(Severity.Error, "--previous", $"no file {path}", "write one with: skyray plan --stack NAME --output json > plan.json");
            return null;
        }

        try
        {
            return PlanJson.Read(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            problem = new Diagnostic(Severity.Error, "--previous", $"{path} is not a plan written by 'skyray plan --output json': {ex.Message}", "write it again with --output json");
            return null;
        }
    }

    private static int Fail(CliContext context, bool json, IReadOnlyList<Diagnostic> diagnostics)
    {
        if (json)
        {
            DiagnosticsOutput.WriteJson(context.Out, DiagnosticsOutput.ToJson(diagnostics));
        }
        else
        {
            DiagnosticsOutput.WriteText(context.Error, diagnostics);
        }

        return ExitCodes.InvalidInput;
    }

    private static string Tier(LaunchTier tier) => tier switch
    {
        LaunchTier.RunningNodes => "running nodes",
        LaunchTier.ScaleUp => "scale up",
        LaunchTier.WakeStandby => "wake standby",
        _ => "create cluster",
    };

    private static string Money(decimal perHour) => string.Create(CultureInfo.InvariantCulture, $"${perHour:0.00##}");

    private static IRenderable[] Cells(params string[] values) => [.. values.Select(v => (IRenderable)new Text(v))];
}
