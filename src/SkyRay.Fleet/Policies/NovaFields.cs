using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Policies;

/// <summary>
/// Reports fields SkyRay does not act on. They are warnings, never errors, so a Nova policy can be used as
/// written; but they are never dropped silently, because a user may be relying on them.
/// </summary>
internal static class NovaFields
{
    public static void WarnUnknown(JsonObject obj, string path, ImmutableArray<string> known, string what, DiagnosticBag diagnostics)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key))
            {
                diagnostics.Warning(
                    NodeReader.Child(path, key),
                    $"'{key}' is not a {what} field SkyRay acts on; it is ignored",
                    Suggestions.DidYouMean(key, known) ?? $"{what} fields SkyRay reads: {string.Join(", ", known)}");
            }
        }
    }
}
