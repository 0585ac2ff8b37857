using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Config;

/// <summary>
/// Loads a stack config into a validated <see cref="FleetSpec"/>. Both readers land here: the CLI reads
/// the Pulumi.&lt;stack&gt;.yaml file, the Pulumi program passes the <c>skyray:*</c> values it read through
/// Pulumi config. Same model, same validation, same errors.
/// </summary>
public static class StackLoader
{
    /// <summary>Loads a Pulumi stack file (<c>Pulumi.dev.yaml</c>).</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The spec, or the located errors.</returns>
    public static Result<FleetSpec> LoadFile(string path) => throw new NotImplementedException("owned by the foundation branch");

    /// <summary>Loads from config values already read (key without the <c>skyray:</c> prefix → value tree).</summary>
    /// <param name="stack">Stack name.</param>
    /// <param name="values">The <c>skyray:*</c> values.</param>
    /// <param name="baseDirectory">Folder relative policy file paths are resolved from.</param>
    /// <returns>The spec, or the located errors.</returns>
    public static Result<FleetSpec> FromValues(string stack, IReadOnlyDictionary<string, JsonNode?> values, string baseDirectory) =>
        throw new NotImplementedException("owned by the foundation branch");
}
