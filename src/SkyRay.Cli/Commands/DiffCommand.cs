using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Diff;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Runs;
using SkyRay.Placement.Planning;
using Spectre.Console;
using static SkyRay.Cli.TableText;

namespace SkyRay.Cli.Commands;

/// <summary>
/// <c>skyray diff --base FILE --head FILE [--output text|json|markdown]</c>: what moves between two configs (or plans): each side a
/// stack file, decided by the run entry point <c>pulumi up</c> uses (<see cref="RunPlanner"/>, a first run), or a plan JSON as
/// <c>skyray plan --output json</c> writes it. Exit 0 when nothing moves, 3 when something does, 2 on invalid input.
/// </summary>
public sealed class DiffCommand : ISkyRayCommand
{
    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseFile = new Option<string>("--base") { Description = "The base: a stack file (Pulumi.<stack>.yaml) or a plan JSON.", HelpName = "FILE", Required = true };
        var headFile = new Option<string>("--head") { Description = "The head (the change): a stack file or a plan JSON.", HelpName = "FILE", Required = true };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: text, json, or markdown (for a pull-request comment).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json|markdown",
        };
        output.AcceptOnlyFromAmong("text", "json", "markdown");
        var command = new Command("diff", "Show what moves between two configs or plans: workloads placed, moved, resized or unplaced, clusters created, woken, put to standby or deleted, and the node cost per hour.");
        command.Add(baseFile);
        command.Add(headFile);
        command.Add(output);
        command.SetAction(parsed =>
        {
            var diagnostics = new DiagnosticBag();
            var before = Plan(context, parsed.GetValue(baseFile)!, "--base", diagnostics);
            var after = Plan(context, parsed.GetValue(headFile)!, "--head", diagnostics);
            if (before is null || after is null || diagnostics.HasErrors)
            {
                DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
                return ExitCodes.InvalidInput;
            }

            var diff = PlanDiff.Compare(before, after);
            switch (parsed.GetValue(output))
            {
                case "json":
                    DiagnosticsOutput.WriteJson(context.Out, ToJson(diff));
                    break;
                case "markdown":
                    context.Out.Write(PlanDiff.Markdown(diff, after.Stack));
                    break;
                default:
                    WriteText(context, diff);
                    break;
            }

            return diff.IsEmpty ? ExitCodes.Ok : ExitCodes.Changes;
        });
        return command;
    }

    private static FleetPlan? Plan(CliContext context, string file, string option, DiagnosticBag diagnostics)
    {
        var path = context.ResolvePath(file);
        if (!File.Exists(path))
        {
            diagnostics.Error(option, $"no file {file}", "give a stack file (Pulumi.<stack>.yaml) or a plan JSON (skyray plan --output json)");
            return null;
        }

        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var plan = PlanJson.Read(File.ReadAllText(path));
                if (PlanJson.IsWhole(plan))
                {
                    return plan;
                }
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
            {
                // Not JSON of a plan: reported below, like a plan missing its clusters or placements.
            }

            diagnostics.Error(option, $"{file} is not a plan JSON", "write one with: skyray plan --output json > plan.json");
            return null;
        }

        var loaded = FleetLoading.LoadFile(path);
        diagnostics.AddRange(loaded.Diagnostics.Where(d => d.Severity == Severity.Error));
        if (loaded.Value is not { } spec)
        {
            return null;
        }

        // The side as a first `pulumi up` would decide it: the same entry point as the program, no previous outputs.
        var run = RunPlanner.Plan(new RunRequest(spec, PreviousRun.None, DateTimeOffset.UtcNow));
        diagnostics.AddRange(run.Diagnostics.Where(d => d.Severity == Severity.Error));
        return run.Ok ? run.Plan : null;
    }

    private static JsonObject ToJson(PlanDiffResult diff) => new()
    {
        ["changed"] = !diff.IsEmpty,
        ["summary"] = diff.IsEmpty ? "no placement change" : PlanDiff.Summary(diff),
        ["costPerHourBefore"] = Math.Round(diff.CostBefore, 2),
        ["costPerHourAfter"] = Math.Round(diff.CostAfter, 2),
        ["workloads"] = new JsonArray([.. diff.Workloads.Select(w => (JsonNode)new JsonObject
        {
            ["workload"] = w.Workload,
            ["change"] = Lower(w.Kind),
            ["from"] = Strings(w.Before),
            ["to"] = Strings(w.After),
            ["why"] = w.Why,
        })]),
        ["clusters"] = new JsonArray([.. diff.Clusters.Select(c => (JsonNode)new JsonObject
        {
            ["cluster"] = c.Cluster,
            ["change"] = c.Change,
            ["from"] = c.Before,
            ["to"] = c.After,
        })]),
        ["replicas"] = new JsonArray([.. diff.Replicas.Select(r => (JsonNode)new JsonObject
        {
            ["workload"] = r.Workload,
            ["cluster"] = r.Cluster,
            ["group"] = r.Group,
            ["from"] = r.Before,
            ["to"] = r.After,
        })]),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static void WriteText(CliContext context, PlanDiffResult diff)
    {
        var console = context.Console();
        if (diff.IsEmpty)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"No placement change; node cost per hour stays ${diff.CostAfter:0.00}."));
            return;
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PlanDiff.Summary(diff)}; node cost per hour ${diff.CostBefore:0.00} → ${diff.CostAfter:0.00}."));
        if (!diff.Workloads.IsEmpty)
        {
            var table = new TextTable("workload", "change", "from", "to", "why");
            foreach (var w in diff.Workloads)
            {
                table.AddRow(w.Workload, Lower(w.Kind), List(w.Before), List(w.After), w.Why);
            }

            table.Write(console);
        }

        if (!diff.Clusters.IsEmpty)
        {
            var table = new TextTable("cluster", "change", "from", "to");
            foreach (var c in diff.Clusters)
            {
                table.AddRow(c.Cluster, c.Change, c.Before, c.After);
            }

            table.Write(console);
        }

        if (!diff.Replicas.IsEmpty)
        {
            var table = new TextTable("workload", "cluster", "group", "from", "to");
            foreach (var r in diff.Replicas)
            {
                table.AddRow(r.Workload, r.Cluster, r.Group, r.Before.ToString(CultureInfo.InvariantCulture), r.After.ToString(CultureInfo.InvariantCulture));
            }

            table.Write(console);
        }
    }

    private static string List(IEnumerable<string> values) => values.Any() ? string.Join(", ", values) : "-";
}
