using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Policies;

/// <summary>Reads Nova SchedulePolicy specs (policy.elotl.co/v1alpha1) from stack config and from policy files.</summary>
public static class NovaPolicyReader
{
    /// <summary>Reads one policy <c>spec</c> given in <c>skyray:policies.NAME</c>.</summary>
    /// <param name="name">Policy name.</param>
    /// <param name="spec">The spec tree.</param>
    /// <param name="path">Config path of the spec, e.g. <c>skyray:policies.gpu</c>.</param>
    /// <param name="diagnostics">Where problems are reported (unknown or unsupported fields as warnings at their path).</param>
    /// <returns>The policy, or null when it has errors.</returns>
    public static SchedulePolicy? ReadSpec(string name, JsonNode? spec, string path, DiagnosticBag diagnostics) =>
        throw new NotImplementedException("owned by the catalog/nova branch");

    /// <summary>Reads every SchedulePolicy document of a Nova YAML file, filling <c>${VAR}</c> placeholders.</summary>
    /// <param name="text">File text (multi-document YAML).</param>
    /// <param name="path">File path used in diagnostics.</param>
    /// <param name="variables">Resolves a placeholder name to its value, or null when unset (reported as an error).</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The policies read.</returns>
    public static IReadOnlyList<SchedulePolicy> ReadFile(string text, string path, Func<string, string?> variables, DiagnosticBag diagnostics) =>
        throw new NotImplementedException("owned by the catalog/nova branch");
}
