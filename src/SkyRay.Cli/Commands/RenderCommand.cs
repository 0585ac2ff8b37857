using System.Collections.Immutable;
using System.CommandLine;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Validation;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Manifests;
using SkyRay.Placement.Planning;

namespace SkyRay.Cli.Commands;

/// <summary>
/// <c>skyray render --stack dev --out DIR</c>: plans the stack and writes, per live (active or standby) cluster,
/// <c>kuberay-operator.yaml</c> (release descriptor with its values), <c>kuberay-operator.values.yaml</c> (the
/// values alone, for <c>helm --values</c>) and <c>workloads.yaml</c> (the Ray objects placed there,
/// kubectl-applicable). Output is deterministic byte for byte. With <c>--kuberay-crds DIR</c> every rendered
/// object is also checked against the user's KubeRay CRD files.
/// </summary>
public sealed class RenderCommand : ISkyRayCommand
{
    /// <summary>The values-only file written beside the release descriptor.</summary>
    public const string ValuesFile = RenderAdapter.OperatorValuesFile;

    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new StackSource();
        var outDir = new Option<string>("--out")
        {
            Description = "Folder to write one sub-folder per live cluster into (created when missing).",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("render", "Plan the stack and write the KubeRay operator values and Ray manifests of every live cluster to a folder.");
        source.AddTo(command);
        command.Add(outDir);
        command.SetAction(parsed =>
        {
            var diagnostics = new DiagnosticBag();
            var loaded = source.Load(parsed, context, out var schemas, checkRawSpecsAgainstCrds: false);
            diagnostics.AddRange(loaded.Diagnostics);
            if (!loaded.Ok)
            {
                return Fail(context, diagnostics);
            }

            var spec = loaded.Value!;

            var plan = FleetPlanner.Plan(spec);
            diagnostics.AddRange(plan.Diagnostics);
            foreach (var unplaced in plan.Unplaced)
            {
                diagnostics.Warning($"skyray:workloads.{unplaced.Workload}", $"not rendered: {unplaced.UnplacedReason ?? "it fits on no cluster"}", "run 'skyray plan --explain' to see why");
            }

            var rendered = Render(spec, plan, schemas, diagnostics);
            if (diagnostics.HasErrors)
            {
                return Fail(context, diagnostics);
            }

            var written = rendered.WriteTo(context.ResolvePath(parsed.GetValue(outDir)!));
            DiagnosticsOutput.WriteText(context.Out, diagnostics.Sorted());
            var root = context.ResolvePath(parsed.GetValue(outDir)!);
            context.Out.WriteLine($"Rendered {rendered.Clusters.Count} live cluster(s) of stack '{spec.Stack}' into {parsed.GetValue(outDir)}:");
            foreach (var path in written)
            {
                context.Out.WriteLine("  " + Path.GetRelativePath(root, path).Replace('\\', '/'));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Renders a planned stack: the orchestrator's render adapter, plus a values-only file per cluster.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="schemas">CRD schemas to check every object against, or null.</param>
    /// <param name="diagnostics">Where override and schema problems are reported.</param>
    /// <returns>The folder model.</returns>
    internal static RenderedFleet Render(FleetSpec spec, FleetPlan plan, CrdSchemaSet? schemas, DiagnosticBag diagnostics)
    {
        var defaults = FleetRendering.Default;
        var rendering = defaults with
        {
            Workload = (workload, cluster, copy, policy) =>
            {
                var obj = WorkloadRenderer.RenderWithDiagnostics(workload, cluster, copy, policy, diagnostics);
                if (schemas is not null)
                {
                    diagnostics.AddRange(schemas.Validate(obj, $"render:{cluster.Name}/{obj.Kind}/{obj.Name}").Diagnostics);
                }

                return obj;
            },
        };
        var fleet = RenderAdapter.Render(spec, plan, rendering);
        var clusters = fleet.Clusters.ToImmutableSortedDictionary(
            p => p.Key,
            p =>
            {
                var values = OperatorReleaseBuilder.Build(spec.KubeRay, spec.Clusters[p.Key]).Values;
                var file = new RenderedFile(ValuesFile, ManifestYaml.WriteOne(values));
                return p.Value with { Files = [.. p.Value.Files.Append(file).OrderBy(f => f.Name, StringComparer.Ordinal)] };
            },
            StringComparer.Ordinal);
        return new RenderedFleet(clusters);
    }

    private static int Fail(CliContext context, DiagnosticBag diagnostics)
    {
        DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
        return ExitCodes.InvalidInput;
    }
}
