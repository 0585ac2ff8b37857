using System.CommandLine;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Validation;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Manifests;
using SkyRay.Orchestration.Runs;

namespace SkyRay.Cli.Commands;

/// <summary>
/// <c>skyray render --stack dev --out DIR [--previous-outputs outputs.json] [--at TIME]</c>: decides the stack's next run
/// (<see cref="RunPlanner"/>, as <c>pulumi up</c> does) and writes, per live (active or standby) cluster, each Helm release
/// in <c>helm/</c> (<c>helm/kuberay-operator.yaml</c>: release descriptor with its values and the commands to install it;
/// <c>helm/kuberay-operator.values.yaml</c>: the values alone, for <c>helm --values</c>) and <c>workloads.yaml</c> (namespaces,
/// objects and Ray objects placed there): <c>kubectl apply -f &lt;cluster folder&gt;</c> applies exactly the Kubernetes objects.
/// The objects are byte for byte what the Pulumi program declares; output is deterministic. With <c>--kuberay-crds DIR</c>
/// every rendered Ray object is also checked against the user's KubeRay CRD files.
/// </summary>
public sealed class RenderCommand : ISkyRayCommand
{
    /// <summary>The values-only file written beside the operator's release descriptor.</summary>
    public const string ValuesFile = RenderAdapter.OperatorValuesFile;

    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new StackSource();
        var runSource = new RunSource();
        var outDir = new Option<string>("--out")
        {
            Description = "Folder to write one sub-folder per live cluster into (created when missing).",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("render", "Decide the stack's next run and write the Helm releases and Kubernetes manifests of every live cluster to a folder.");
        source.AddTo(command);
        command.Add(outDir);
        runSource.AddTo(command);
        command.SetAction(parsed =>
        {
            var diagnostics = new DiagnosticBag();
            var loaded = source.Load(parsed, context, out var schemas, checkRawSpecsAgainstCrds: false);
            diagnostics.AddRange(loaded.Diagnostics);
            if (!loaded.Ok)
            {
                return Fail(context, diagnostics);
            }

            var decided = runSource.Plan(parsed, context, loaded.Value!);
            diagnostics.AddRange(decided.Diagnostics);
            if (decided.Value is not { Ok: true } run)
            {
                return Fail(context, diagnostics);
            }

            var rendered = Render(run, schemas, diagnostics);
            if (diagnostics.HasErrors)
            {
                return Fail(context, diagnostics);
            }

            var root = context.ResolvePath(parsed.GetValue(outDir)!);
            var written = rendered.WriteTo(root);
            DiagnosticsOutput.WriteText(context.Out, diagnostics.Sorted());
            context.Out.WriteLine($"Rendered {rendered.Clusters.Count} live cluster(s) of stack '{run.Spec.Stack}' into {parsed.GetValue(outDir)}:");
            foreach (var path in written)
            {
                context.Out.WriteLine("  " + Path.GetRelativePath(root, path).Replace('\\', '/'));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Renders a decided run through the orchestrator's render adapter, reporting override and schema problems.</summary>
    /// <param name="run">The run.</param>
    /// <param name="schemas">CRD schemas to check every Ray object against, or null.</param>
    /// <param name="diagnostics">Where override and schema problems are reported.</param>
    /// <returns>The folder model.</returns>
    internal static RenderedFleet Render(RunPlan run, CrdSchemaSet? schemas, DiagnosticBag diagnostics)
    {
        var rendering = FleetRendering.Default with
        {
            Workload = target =>
            {
                var obj = WorkloadRenderer.RenderWithDiagnostics(target, diagnostics);
                if (schemas is not null)
                {
                    diagnostics.AddRange(schemas.Validate(obj, $"render:{target.Cluster.Name}/{obj.Kind}/{obj.Name}").Diagnostics);
                }

                return obj;
            },
        };
        return RenderAdapter.Render(run, rendering);
    }

    private static int Fail(CliContext context, DiagnosticBag diagnostics)
    {
        DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
        return ExitCodes.InvalidInput;
    }
}
