using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Api;
using SkyRay.KubeRay.Security;
using SkyRay.KubeRay.Validation;
using SkyRay.Orchestration.Namespaces;
using SkyRay.Orchestration.Naming;
using SkyRay.Orchestration.Queues;

namespace SkyRay.Orchestration;

/// <summary>
/// The complete load pipeline every entry point uses (the CLI's commands and the Pulumi program), so they all
/// report the same errors: <see cref="StackLoader"/> (config model, demand, fleet validation), then the KubeRay
/// checks the Fleet loader cannot run because KubeRay builds on Fleet: SkyRay's built-in <c>ray.io/v1</c> model on
/// every raw spec (<see cref="RawSpecChecks.CheckFleet"/>), the restricted Pod Security Standard on raw pod templates
/// (<see cref="PodSecurityCheck"/>), the operator's Helm values against the chart's keys (<see cref="OperatorValuesCheck"/>)
/// and, when CRD schemas are given, the API server's
/// handling of raw specs (<see cref="CrdSchemaSet.ValidateFleet"/>); and the check that no two per-cluster resources
/// would share a Pulumi name (<see cref="ResourceNames"/>), which needs no cloud and no plan; and the Kueue settings against the
/// clusters each workload's policy allows (<see cref="KueueChecks"/>).
/// </summary>
public static class FleetLoading
{
    /// <summary>Completes a loader result with the KubeRay checks.</summary>
    /// <param name="loaded">What <see cref="StackLoader.LoadFile(string)"/> or <see cref="StackLoader.FromValues(string, IReadOnlyDictionary{string, JsonNode?}, string)"/> returned.</param>
    /// <param name="schemas">The user's KubeRay CRD schemas to check raw specs against, or null for the built-in model only.</param>
    /// <returns>The result with every finding, sorted; no value when any check found an error.</returns>
    public static Result<FleetSpec> Complete(Result<FleetSpec> loaded, CrdSchemaSet? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (!loaded.Ok)
        {
            return loaded;
        }

        var bag = new DiagnosticBag();
        bag.AddRange(loaded.Diagnostics);
        RawSpecChecks.CheckFleet(loaded.Value!, bag);
        PodSecurityCheck.CheckFleet(loaded.Value!, bag);
        OperatorValuesCheck.Check(loaded.Value!.KubeRay, bag);
        WorkloadNamespaces.CheckEnforced(loaded.Value!, bag);
        schemas?.ValidateFleet(loaded.Value!, bag);
        ResourceNames.Check(loaded.Value!, bag);
        KueueChecks.Check(loaded.Value!, bag);
        return new Result<FleetSpec>(bag.HasErrors ? null : loaded.Value, bag.Sorted());
    }

    /// <summary>Loads a Pulumi stack file and runs every check (<see cref="Complete"/>).</summary>
    /// <param name="path">Path of <c>Pulumi.&lt;stack&gt;.yaml</c>.</param>
    /// <param name="schemas">CRD schemas to check raw specs against, or null.</param>
    /// <returns>The validated spec, or located errors.</returns>
    public static Result<FleetSpec> LoadFile(string path, CrdSchemaSet? schemas = null) =>
        Complete(StackLoader.LoadFile(path), schemas);

    /// <summary>Loads config values already read (the Pulumi program's path) and runs every check (<see cref="Complete"/>).</summary>
    /// <param name="stack">Stack name.</param>
    /// <param name="values">Key without the <c>skyray:</c> prefix → value tree.</param>
    /// <param name="baseDirectory">Folder relative paths (policy files) are read from.</param>
    /// <param name="schemas">CRD schemas to check raw specs against, or null.</param>
    /// <returns>The validated spec, or located errors.</returns>
    public static Result<FleetSpec> FromValues(string stack, IReadOnlyDictionary<string, JsonNode?> values, string baseDirectory, CrdSchemaSet? schemas = null) =>
        Complete(StackLoader.FromValues(stack, values, baseDirectory), schemas);
}
