using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;

namespace SkyRay.Infra.Config;

/// <summary>
/// Reads the <c>skyray:*</c> keys through Pulumi config into the value trees <c>StackLoader.FromValues</c> takes.
/// </summary>
/// <remarks>
/// Pulumi hands structured config (maps, lists) to the program as JSON text and plain strings as they are.
/// <c>Config.GetObject&lt;T&gt;</c> would throw on a plain string, so each value is read with <c>Config.Get</c> and
/// parsed here: JSON when it parses, a string otherwise. Validation stays in the core, so a wrong shape gets the
/// same located diagnostic as in the CLI instead of a deserializer exception.
/// </remarks>
internal static class StackConfigReader
{
    /// <summary>The config namespace SkyRay reads (<c>skyray:clusters</c>, ...).</summary>
    public const string Namespace = StackLoader.Namespace;

    /// <summary>Reads the keys the core knows (<c>StackLoader.Keys</c>) that are set; absent keys are left out.</summary>
    /// <param name="get">Looks a key (without namespace) up, e.g. <c>new Pulumi.Config("skyray").Get</c>.</param>
    /// <returns>Key → value tree, sorted by key.</returns>
    public static SortedDictionary<string, JsonNode?> Read(Func<string, string?> get)
    {
        var values = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var key in StackLoader.Keys)
        {
            if (get(key) is { } text)
            {
                values[key] = Parse(text);
            }
        }

        return values;
    }

    /// <summary>Parses one raw config value: JSON when it is JSON, else the text itself as a string.</summary>
    public static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
