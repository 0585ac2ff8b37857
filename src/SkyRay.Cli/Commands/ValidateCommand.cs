using System.CommandLine;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Api;
using Spectre.Console;

namespace SkyRay.Cli.Commands;

/// <summary><c>skyray validate</c>: loads a stack config and prints every problem with its config path.</summary>
public sealed class ValidateCommand : ISkyRayCommand
{
    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new StackSource();
        var output = DiagnosticsOutput.CreateOutputOption();
        var command = new Command("validate", "Check a stack config (clusters, workloads, policies) and print every problem with its config path.");
        source.AddTo(command);
        command.Add(output);
        command.SetAction(parsed =>
        {
            var result = source.Load(parsed, context);
            var format = DiagnosticsOutput.FormatOf(parsed, output);
            if (format == OutputFormat.Json)
            {
                DiagnosticsOutput.WriteJson(context.Out, DiagnosticsOutput.ToJson(result.Diagnostics));
            }
            else
            {
                DiagnosticsOutput.WriteText(result.Ok ? context.Out : context.Error, result.Diagnostics);
                if (result.Ok)
                {
                    WriteSummary(context, result.Value!);
                }
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.InvalidInput;
        });
        return command;
    }

    private static void WriteSummary(CliContext context, FleetSpec spec)
    {
        var console = context.Console();
        console.WriteLine($"Stack '{spec.Stack}' is valid: {spec.Clusters.Count} cluster(s), {spec.Workloads.Count} workload(s), {spec.Policies.Count} policy(ies).");
        if (spec.Clusters.Count > 0)
        {
            var clusters = new TextTable("cluster", "provider", "region", "version", "lifecycle", "node pools");
            foreach (var c in spec.Clusters.Values)
            {
                var pools = string.Join(", ", c.NodePools.Select(p => $"{p.Name}: {p.InstanceType} x{p.MinNodes}-{p.MaxNodes}"));
                clusters.AddRow(c.Name, c.Provider.ToString().ToLowerInvariant(), c.Region ?? "-", c.KubernetesVersion, c.Lifecycle.ToString().ToLowerInvariant(), pools);
            }

            clusters.Write(console);
        }

        if (spec.Workloads.Count > 0)
        {
            var workloads = new TextTable("workload", "kind", "namespace", "policy", "pods", "cpu", "memory", "gpus");
            foreach (var w in spec.Workloads.Values)
            {
                var d = w.Demand;
                workloads.AddRow(
                    w.Name,
                    w.Kind.ToString(),
                    w.Namespace,
                    w.Policy ?? "-",
                    d.Groups.Sum(g => g.Count).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    (d.TotalCpuMillis / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
                    $"{d.TotalMemoryBytes / (1024.0 * 1024 * 1024):0.##}Gi",
                    d.TotalGpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            workloads.Write(console);
        }
    }

}
