using System.CommandLine;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Api;
using SkyRay.KubeRay.Validation;

namespace SkyRay.Cli;

/// <summary>
/// The KubeRay checks a loaded stack gets before planning: the built-in <c>ray.io/v1</c> model on every raw spec
/// (<see cref="RawSpecChecks"/>; the Fleet loader cannot call it because KubeRay builds on Fleet), and, with
/// <c>--kuberay-crds DIR</c>, the user's CRD files as the API server would apply them.
/// </summary>
public static class KubeRayChecks
{
    /// <summary>Creates the <c>--kuberay-crds DIR</c> option.</summary>
    /// <returns>A new option.</returns>
    public static Option<string?> CreateCrdsOption() => new("--kuberay-crds")
    {
        Description = "Folder of KubeRay CRD files (e.g. a release's crds/): raw specs and rendered objects are checked against them like the API server would.",
        HelpName = "DIR",
    };

    /// <summary>Runs the checks on a loaded stack and folds their findings into the result.</summary>
    /// <param name="loaded">The loader's result.</param>
    /// <param name="crdDirectory">The <c>--kuberay-crds</c> folder as given, or null.</param>
    /// <param name="context">The CLI context (resolves the folder).</param>
    /// <param name="schemas">The loaded CRD schemas when a folder was given and read, else null.</param>
    /// <param name="checkRawSpecsAgainstCrds">Also check raw specs against the CRDs (off for callers that check the
    /// rendered objects instead, so each finding is reported once).</param>
    /// <returns>The result with the extra findings; no value when any check found an error.</returns>
    public static Result<FleetSpec> Apply(Result<FleetSpec> loaded, string? crdDirectory, CliContext context, out CrdSchemaSet? schemas, bool checkRawSpecsAgainstCrds = true)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(context);
        schemas = null;
        if (!loaded.Ok)
        {
            return loaded;
        }

        var bag = new DiagnosticBag();
        bag.AddRange(loaded.Diagnostics);
        RawSpecChecks.CheckFleet(loaded.Value!, bag);
        if (crdDirectory is not null)
        {
            schemas = CrdSchemaSet.LoadDirectory(context.ResolvePath(crdDirectory), bag);
            if (checkRawSpecsAgainstCrds)
            {
                schemas.ValidateFleet(loaded.Value!, bag);
            }
        }

        return new Result<FleetSpec>(bag.HasErrors ? null : loaded.Value, bag.Sorted());
    }
}
