using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Costs;
using Spectre.Console;
using static SkyRay.Cli.TableText;

namespace SkyRay.Cli.Commands;

/// <summary>
/// <c>skyray simulate --stack dev [--hours 730] [--utilization PCT] [--output json]</c>: what the stack's plan costs over a
/// period, per cluster and in total, against the always-on baseline (every cluster provisioned, no standby), and what
/// just-in-time saves. Offline: catalog list prices and documented control-plane fees (<see cref="CostSimulator"/>).
/// </summary>
public sealed class SimulateCommand : ISkyRayCommand
{
    /// <summary>Longest period accepted, in hours (ten years): beyond it list prices mean nothing.</summary>
    public const double MaxHours = 87_600;

    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new StackSource();
        var runSource = new RunSource();
        var hours = new Option<double>("--hours")
        {
            Description = "Length of the simulated period in hours (730 = an average month).",
            DefaultValueFactory = _ => (double)CostPeriod.MonthHours,
            HelpName = "HOURS",
        };
        var utilization = new Option<double>("--utilization")
        {
            Description = "Percent of the period the placed RayJobs that shut down after finishing actually run (RayServices always run).",
            DefaultValueFactory = _ => 100,
            HelpName = "PCT",
        };
        var trace = new Option<string?>("--trace")
        {
            Description = "Replay a trace of arrivals (YAML or CSV, docs/simulate.md) on the stack, with every pulumi up run decided on a simulated clock, against the same clusters always on.",
            HelpName = "FILE",
        };
        var compare = new Option<string[]>("--compare")
        {
            Description = "With --trace: other stack files (policies) to run on the same trace, side by side.",
            HelpName = "STACK_FILE",
            AllowMultipleArgumentsPerToken = true,
        };
        var html = new Option<string?>("--html")
        {
            Description = "With --trace: also write a self-contained HTML report (timelines, cluster states, comparison table).",
            HelpName = "FILE",
        };
        var output = DiagnosticsOutput.CreateOutputOption();
        var command = new Command("simulate", "Estimate what the stack's plan costs over a period and what just-in-time clusters save against keeping every cluster on.");
        source.AddTo(command);
        command.Add(hours);
        command.Add(utilization);
        command.Add(trace);
        command.Add(compare);
        command.Add(html);
        command.Add(output);
        runSource.AddTo(command);
        command.SetAction(parsed =>
        {
            var diagnostics = new DiagnosticBag();
            var period = Period(parsed.GetValue(hours), parsed.GetValue(utilization), diagnostics);
            var loaded = source.Load(parsed, context);
            diagnostics.AddRange(loaded.Diagnostics);
            if (!loaded.Ok || diagnostics.HasErrors || period is null)
            {
                DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
                return ExitCodes.InvalidInput;
            }

            if (parsed.GetValue(trace) is { } traceFile)
            {
                return Simulation.TraceSimulation.Run(
                    context, loaded.Value!, traceFile, parsed.GetValue(compare) ?? [], DiagnosticsOutput.FormatOf(parsed, output) == OutputFormat.Json, diagnostics, parsed.GetValue(html));
            }

            if (parsed.GetValue(html) is not null)
            {
                diagnostics.Error("--html", "--html needs --trace", "give the trace the report is about: --trace FILE --html report.html");
                DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
                return ExitCodes.InvalidInput;
            }

            if (parsed.GetValue(compare) is { Length: > 0 })
            {
                diagnostics.Error("--compare", "--compare needs --trace", "give the trace the stacks are compared on: --trace FILE --compare STACK_FILE");
                DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
                return ExitCodes.InvalidInput;
            }

            var decided = runSource.Plan(parsed, context, loaded.Value!);
            diagnostics.AddRange(decided.Diagnostics);
            if (decided.Value is not { Ok: true } run)
            {
                DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
                return ExitCodes.InvalidInput;
            }

            // The run as `pulumi up` would declare it: an upgrade's clone is priced too, a cluster in its idle grace period stays up.
            var simulation = CostSimulator.Simulate(run.Spec, run.Plan, period);
            foreach (var pool in simulation.Unpriced)
            {
                diagnostics.Warning(
                    $"skyray:clusters.{pool[..pool.IndexOf('/', StringComparison.Ordinal)]}",
                    $"pool {pool}: the instance type has no catalog price, counted as free",
                    "add it under skyray:instanceTypes with its hourlyUsd (for an existing cluster, set existing.cloud)");
            }

            if (DiagnosticsOutput.FormatOf(parsed, output) == OutputFormat.Json)
            {
                DiagnosticsOutput.WriteJson(context.Out, ToJson(simulation, diagnostics.Sorted()));
            }
            else
            {
                DiagnosticsOutput.WriteText(context.Out, diagnostics.Sorted());
                WriteTable(context, simulation);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The simulation as JSON: money in USD rounded to cents, utilization as a fraction.</summary>
    /// <param name="simulation">The simulation.</param>
    /// <param name="diagnostics">Warnings to include.</param>
    /// <returns>The JSON object.</returns>
    internal static JsonObject ToJson(CostSimulation simulation, IReadOnlyList<Diagnostic> diagnostics)
    {
        var clusters = new JsonArray();
        foreach (var c in simulation.Clusters)
        {
            var pools = new JsonArray();
            foreach (var p in c.Pools)
            {
                pools.Add(new JsonObject
                {
                    ["name"] = p.Pool,
                    ["instanceType"] = p.InstanceType,
                    ["nodeHourlyUsd"] = p.NodeHourlyUsd,
                    ["priced"] = p.Priced,
                    ["minNodes"] = p.MinNodes,
                    ["plannedNodes"] = p.PlannedNodes,
                    ["baselineNodes"] = p.BaselineNodes,
                });
            }

            clusters.Add(new JsonObject
            {
                ["name"] = c.Cluster,
                ["provider"] = ProviderNames.Of(c.Provider),
                ["lifecycle"] = Lower(c.Lifecycle),
                ["state"] = Lower(c.State),
                ["controlPlaneHourlyUsd"] = c.ControlPlaneHourlyUsd,
                ["activeHours"] = c.ActiveHours,
                ["planUsd"] = Cents(c.PlanUsd),
                ["baselineUsd"] = Cents(c.BaselineUsd),
                ["savingsUsd"] = Saved(c.BaselineUsd, c.PlanUsd),
                ["basis"] = c.Basis,
                ["pools"] = pools,
            });
        }

        return new JsonObject
        {
            ["stack"] = simulation.Stack,
            ["hours"] = simulation.Period.Hours,
            ["utilization"] = simulation.Period.Utilization,
            ["currency"] = "USD",
            ["clusters"] = clusters,
            ["total"] = new JsonObject
            {
                ["planUsd"] = Cents(simulation.PlanUsd),
                ["baselineUsd"] = Cents(simulation.BaselineUsd),
                ["savingsUsd"] = Saved(simulation.BaselineUsd, simulation.PlanUsd),
                ["savingsPercent"] = Cents(simulation.SavingsPercent),
            },
            ["unpriced"] = new JsonArray([.. simulation.Unpriced.Select(u => (JsonNode)JsonValue.Create(u))]),
            ["diagnostics"] = DiagnosticsOutput.ToJson(diagnostics),
        };
    }

    private static CostPeriod? Period(double hours, double utilization, DiagnosticBag diagnostics)
    {
        var ok = true;
        if (!double.IsFinite(hours) || hours <= 0 || hours > MaxHours)
        {
            diagnostics.Error("--hours", $"{hours.ToString(CultureInfo.InvariantCulture)} is not a period", $"give hours above 0 and at most {MaxHours.ToString(CultureInfo.InvariantCulture)}, e.g. --hours 730 for a month");
            ok = false;
        }

        if (!double.IsFinite(utilization) || utilization < 0 || utilization > 100)
        {
            diagnostics.Error("--utilization", $"{utilization.ToString(CultureInfo.InvariantCulture)} is not a percentage", "give a percent from 0 to 100, e.g. --utilization 30");
            ok = false;
        }

        return ok ? new CostPeriod((decimal)hours, (decimal)utilization / 100m) : null;
    }

    private static void WriteTable(CliContext context, CostSimulation simulation)
    {
        var console = context.Console();
        var period = simulation.Period;
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Stack '{simulation.Stack}': cost over {period.Hours:0.##} h at {period.Utilization * 100m:0.##}% utilization (catalog list prices in USD, approximate)."));
        var table = new TextTable(
            "cluster", "provider", "lifecycle", "state", "fee $/h", "nodes plan", "nodes always-on", "plan $", "always-on $", "saved $", "how the plan is counted");
        foreach (var c in simulation.Clusters)
        {
            table.AddRow(
                c.Cluster,
                ProviderNames.Of(c.Provider),
                Lower(c.Lifecycle),
                Lower(c.State),
                Money(c.ControlPlaneHourlyUsd),
                Count(c.Pools.Sum(p => p.PlannedNodes)),
                Count(c.Pools.Sum(p => p.BaselineNodes)),
                Money(c.PlanUsd),
                Money(c.BaselineUsd),
                Money(Saved(c.BaselineUsd, c.PlanUsd)),
                c.Basis);
        }

        table.AddRow("total", "", "", "", "", "", "", Money(simulation.PlanUsd), Money(simulation.BaselineUsd), Money(Saved(simulation.BaselineUsd, simulation.PlanUsd)), "");
        table.Write(console);
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Just in time saves ${Money(Saved(simulation.BaselineUsd, simulation.PlanUsd))} of ${Money(simulation.BaselineUsd)} ({simulation.SavingsPercent:0.#}%) against every cluster always on."));
    }

    /// <summary>Savings from the rounded amounts, so a printed row always adds up.</summary>
    private static decimal Saved(decimal baselineUsd, decimal planUsd) => Cents(baselineUsd) - Cents(planUsd);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
