using System.CommandLine;
using System.Globalization;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Queues;
using SkyRay.Orchestration.Runs;
using SkyRay.Placement.Planning;
using Spectre.Console;

using static SkyRay.Cli.TableText;

namespace SkyRay.Cli.Commands;

/// <summary>
/// <c>skyray plan --stack dev [--explain] [--output table|json] [--previous-outputs outputs.json] [--previous plan.json] [--at TIME]</c>:
/// decides the stack's next run offline, through the entry point <c>pulumi up</c> uses (<see cref="RunPlanner"/>), and prints
/// where every workload goes (clusters, replicas, launch tier, cost), what each cluster does (active, standby, absent), the
/// run's steps (standby, wake, upgrade, traffic switches) and the total cost. <c>--explain</c> adds every candidate cluster's
/// verdict and score in plain words, and on clusters that run Kueue what the queues make of the plan (<see cref="QueueReport"/>: quota
/// reserved per flavor, and where the queue, not the nodes, is the limiting factor).
/// </summary>
public sealed class PlanCommand : ISkyRayCommand
{
    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new StackSource();
        var runSource = new RunSource();
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
        var checkChanges = new Option<bool>("--check-changes")
        {
            Description = "With --previous-outputs (and --observed): exit 3 when the next pulumi up would change anything, 0 when it would not.",
        };
        var command = new Command("plan", "Plan the stack's next run: where every workload goes and why, which clusters run, the run's steps, and the cost per hour.");
        source.AddTo(command);
        command.Add(explain);
        command.Add(output);
        runSource.AddTo(command);
        command.Add(checkChanges);
        command.SetAction(parsed =>
        {
            var json = parsed.GetValue(output) == "json";
            if (parsed.GetValue(checkChanges) && parsed.GetValue(runSource.PreviousOutputs) is null)
            {
                return Fail(context, json, [new Diagnostic(Severity.Error, "--check-changes", "needs the stack's outputs to compare with", "add --previous-outputs outputs.json (pulumi stack output --json), and --observed observed.json")]);
            }

            var loaded = source.Load(parsed, context);
            if (!loaded.Ok)
            {
                return Fail(context, json, loaded.Diagnostics);
            }

            var decided = runSource.Plan(parsed, context, loaded.Value!, new PlanOptions(Explain: parsed.GetValue(explain)));
            var diagnostics = loaded.Diagnostics.Concat(decided.Diagnostics).ToList();
            if (decided.Value is not { } run)
            {
                return Fail(context, json, diagnostics);
            }

            if (parsed.GetValue(checkChanges) && run.Ok)
            {
                DiagnosticsOutput.WriteText(context.Error, diagnostics);
                var bag = new DiagnosticBag();
                var previous = runSource.ReadPrevious(parsed, context, bag);
                var changes = ChangeCheck.Changes(run, previous);
                foreach (var line in changes.Count == 0 ? ["no change: the next pulumi up would declare the same resources and outputs"] : changes)
                {
                    context.Out.WriteLine(line);
                }

                return changes.Count == 0 ? ExitCodes.Ok : ExitCodes.Changes;
            }

            if (json)
            {
                // Standard output stays the plan alone (usable as --previous); warnings, such as an empty stack's, go beside it.
                DiagnosticsOutput.WriteText(context.Error, diagnostics);
                PlanJson.Write(run.Plan, new TextWriterStream(context.Out));
                context.Out.WriteLine();
            }
            else
            {
                DiagnosticsOutput.WriteText(context.Error, diagnostics);
                var explaining = parsed.GetValue(explain);
                Write(context.Console(), run.Plan, explaining, explaining ? QueueReport.For(run.Spec, run.Plan) : null);
                if (run.Ok)
                {
                    foreach (var step in Steps(run))
                    {
                        context.Out.WriteLine(step);
                    }
                }
            }

            return diagnostics.Any(d => d.Severity == Severity.Error) ? ExitCodes.InvalidInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The run's steps and traffic lines, as the Pulumi program logs them: what changes beyond the plan's tables.</summary>
    /// <param name="run">The decided run.</param>
    /// <returns>Upgrade and standby steps, then the traffic records declared.</returns>
    public static IEnumerable<string> Steps(RunPlan run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.StepLines()
            .Concat(run.Traffic.OrderBy(r => r.Traffic.Name, StringComparer.Ordinal).Select(r => r.PreviewLine()))
            .Concat(run.Assumptions.Select(a => "  " + a));
    }

    /// <summary>Prints a plan as tables.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="explain">Also print every verdict.</param>
    public static void Write(IAnsiConsole console, FleetPlan plan, bool explain) => Write(console, plan, explain, null);

    /// <summary>Prints a plan as tables, with what Kueue's queues make of it when explaining.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="explain">Also print every verdict.</param>
    /// <param name="queues">The plan in the clusters' Kueue queues (<see cref="QueueReport"/>), printed with the verdicts; null for none.</param>
    public static void Write(IAnsiConsole console, FleetPlan plan, bool explain, QueueReport? queues)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plan);

        // Lines go straight to the console's writer: Spectre would measure every character to wrap them at the console
        // width, which took most of a minute for the per-cluster reasons of a fleet of hundreds of clusters, and a
        // terminal wraps long lines itself.
        var writer = console.Profile.Out.Writer;
        writer.WriteLine($"Plan for stack '{plan.Stack}': {PlacedCount(plan)}, {Money(plan.HourlyCost)} per hour.");
        var workloads = new TextTable("workload", "policy", "cluster", "workers", "node pools", "launch tier", "cost/h");
        foreach (var p in plan.Placements.Values)
        {
            if (!p.IsPlaced)
            {
                workloads.AddRow(p.Workload, p.Policy ?? "-", "UNPLACED", "-", "-", "-", "-");
                continue;
            }

            foreach (var copy in p.Copies)
            {
                workloads.AddRow(
                    p.Workload,
                    p.Policy ?? "-",
                    copy.Cluster,
                    copy.WorkerReplicas.Count == 0 ? "-" : string.Join(", ", copy.WorkerReplicas.Select(w => $"{w.Key}×{w.Value}")),
                    string.Join(", ", copy.GroupPools.Select(g => $"{g.Key}→{g.Value}")),
                    Tier(copy.Tier),
                    Money(copy.HourlyCost));
            }

            foreach (var missing in p.MissingCopies)
            {
                workloads.AddRow(p.Workload, p.Policy ?? "-", $"MISSING ({Domain(missing)})", "-", "-", "-", "-");
            }
        }

        workloads.Write(console);
        var clusters = new TextTable("cluster", "state", "node pools (desired/min-max)", "workloads", "cost/h", "why");
        foreach (var c in plan.Clusters.Values)
        {
            clusters.AddRow(
                c.Cluster,
                c.State.ToString().ToLowerInvariant(),
                string.Join(", ", c.Pools.Select(p => $"{p.Pool} {p.InstanceType} {p.DesiredNodes}/{p.MinNodes}-{p.MaxNodes}")),
                c.Workloads.Length.ToString(CultureInfo.InvariantCulture),
                Money(c.HourlyCost),
                c.Reason);
        }

        clusters.Write(console);
        writer.WriteLine($"Total: {Money(plan.HourlyCost)} per hour.");
        foreach (var p in plan.Placements.Values)
        {
            if (!p.IsPlaced)
            {
                writer.WriteLine();
                writer.WriteLine($"{p.Workload} is not placed: {p.UnplacedReason}");
                if (explain)
                {
                    WriteVerdicts(writer, p);
                }
                else
                {
                    WriteVerdictGroups(writer, p);
                }
            }
            else if (!p.IsComplete)
            {
                writer.WriteLine();
                foreach (var missing in p.MissingCopies)
                {
                    writer.WriteLine($"{p.Workload} has no copy in {Domain(missing)}: {missing.Reason}");
                }

                if (explain)
                {
                    WriteVerdicts(writer, p);
                }
            }
            else if (explain)
            {
                writer.WriteLine();
                writer.WriteLine($"{p.Workload} → {string.Join(", ", p.Copies.Select(c => c.Cluster))} ({(p.Policy is null ? "default policy: available capacity" : $"policy '{p.Policy}'")})");
                WriteVerdicts(writer, p);
                foreach (var note in queues?.Notes.Where(n => n.Workload == p.Workload) ?? [])
                {
                    writer.WriteLine($"  queue: {note.Text}");
                }
            }
        }

        if (explain && queues is { Queues.Count: > 0 })
        {
            writer.WriteLine();
            writer.WriteLine("Kueue queues (nominal quota = each pool at maxNodes after the system reserve; reserved = what the plan places):");
            foreach (var (cluster, flavors) in queues.Queues)
            {
                foreach (var flavor in flavors)
                {
                    var holders = flavor.Workloads.IsEmpty ? "nothing placed" : string.Join(", ", flavor.Workloads);
                    writer.WriteLine($"  {cluster} {flavor.Flavor}: {string.Join(", ", flavor.Resources.Where(r => r.Shown).Select(r => r.Describe()))} ({holders})");
                }
            }
        }
    }

    /// <summary>
    /// "N of M workload(s) placed": N counts workloads with every copy their policy asks for. A spread Duplicate workload
    /// with a copy missing in some domain is counted apart, as partly placed, with how many of its copies are missing.
    /// </summary>
    private static string PlacedCount(FleetPlan plan)
    {
        var complete = plan.Placements.Values.Count(p => p.IsComplete);
        var text = $"{complete} of {plan.Placements.Count} workload(s) placed";
        var partly = plan.PartlyPlaced.ToList();
        if (partly.Count > 0)
        {
            var copies = partly.Sum(p => p.Copies.Length);
            var missing = partly.Sum(p => p.MissingCopies.Length);
            text += $", {partly.Count} partly ({copies} of {copies + missing} Duplicate copies placed)";
        }

        return text;
    }

    private static string Domain(MissingCopy missing) =>
        missing.TopologyKey == Fleet.Config.WellKnownLabels.ClusterName ? $"cluster {missing.Domain}" : $"{missing.TopologyKey}={missing.Domain}";

    /// <summary>
    /// An unplaced workload's verdicts, clusters with the same verdict on one line: on a fleet of hundreds of clusters most of
    /// them share a reason (no room, not selected), and one line per cluster was hundreds of lines per unplaced workload
    /// (800,000 lines for a 200-cluster stack with 4,000 unplaced). A selector's mismatch ends with the value each cluster
    /// has (<c>(needs kubernetes.io/metadata.name in [a, b], has c)</c>), which made every cluster's reason its own; clusters
    /// whose reasons differ only in that value share a line that says each has another value. Every cluster is still named;
    /// a verdict with a score stands alone; <c>--explain</c> prints one line per cluster with its own reason.
    /// </summary>
    private static void WriteVerdictGroups(TextWriter writer, WorkloadPlacement placement)
    {
        var lines = new List<(string Head, List<string> Clusters, string Reason)>();
        var byVerdict = new Dictionary<(bool Accepted, string Reason), int>();
        foreach (var v in placement.Verdicts)
        {
            var sign = v.Accepted ? "+" : "-";
            if (v.Score is not null)
            {
                lines.Add((sign, [$"{v.Cluster}{Score(v)}"], v.Reason));
                continue;
            }

            var stem = HasValueStem(v.Reason);
            var key = (v.Accepted, stem ?? v.Reason);
            if (byVerdict.TryGetValue(key, out var at))
            {
                var line = lines[at];
                line.Clusters.Add(v.Cluster);
                if (stem is not null && line.Reason != v.Reason)
                {
                    lines[at] = line with { Reason = $"{stem}, each has another value)" };
                }
            }
            else
            {
                byVerdict[key] = lines.Count;
                lines.Add((sign, [v.Cluster], v.Reason));
            }
        }

        foreach (var (sign, clusters, reason) in lines)
        {
            writer.WriteLine($"  {sign} {string.Join(", ", clusters)}: {reason}");
        }
    }

    /// <summary>
    /// A reason that ends with a selector mismatch's <c>, has VALUE)</c> (a label value: letters, digits, '-', '_', '.'),
    /// without it: the part that clusters differing only in their value share; null for any other reason.
    /// </summary>
    private static string? HasValueStem(string reason)
    {
        const string has = ", has ";
        var at = reason.LastIndexOf(has, StringComparison.Ordinal);
        if (at < 0 || !reason.EndsWith(')'))
        {
            return null;
        }

        var value = reason.AsSpan(at + has.Length, reason.Length - at - has.Length - 1);
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return null;
            }
        }

        return reason[..at];
    }

    private static string Score(ClusterVerdict verdict) =>
        verdict.Score is { } s ? $" [score {s.ToString("0.####", CultureInfo.InvariantCulture)}]" : string.Empty;

    private static void WriteVerdicts(TextWriter writer, WorkloadPlacement placement)
    {
        foreach (var v in placement.Verdicts)
        {
            writer.WriteLine($"  {(v.Accepted ? "+" : "-")} {v.Cluster}{Score(v)}: {v.Reason}");
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

}
