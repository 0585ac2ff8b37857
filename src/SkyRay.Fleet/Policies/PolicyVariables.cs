using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Policies;

/// <summary>
/// Fills <c>${NAME}</c> placeholders in a parsed policy document (Nova's examples are envsubst templates).
/// Placeholders are filled in the tree, not in the text, so a value can never change the YAML structure,
/// and an unset variable is reported at the exact path where it is used.
/// </summary>
internal static partial class PolicyVariables
{
    public static JsonNode? Fill(
        JsonNode? node,
        string path,
        Func<string, string?> variables,
        Dictionary<string, int> unset,
        List<(string Name, string Path)> firstUse)
    {
        switch (node)
        {
            case JsonObject obj:
                var filled = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var childPath = NodeReader.Child(path, key);
                    var newKey = FillText(key, childPath, variables, unset, firstUse);
                    var newValue = Fill(value, childPath, variables, unset, firstUse);
                    if (!filled.ContainsKey(newKey))
                    {
                        filled[newKey] = newValue;
                    }
                }

                return filled;
            case JsonArray array:
                var items = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    items.Add(Fill(array[i], NodeReader.Item(path, i), variables, unset, firstUse));
                }

                return items;
            case JsonValue when NodeReader.IsString(node):
                return JsonValue.Create(FillText(node.GetValue<string>(), path, variables, unset, firstUse));
            default:
                return node?.DeepClone();
        }
    }

    private static string FillText(
        string text,
        string path,
        Func<string, string?> variables,
        Dictionary<string, int> unset,
        List<(string Name, string Path)> firstUse)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        return Placeholder().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            var value = variables(name);
            if (value is not null)
            {
                return value;
            }

            if (unset.TryGetValue(name, out var count))
            {
                unset[name] = count + 1;
            }
            else
            {
                unset[name] = 1;
                firstUse.Add((name, path));
            }

            return match.Value;
        });
    }

    /// <summary>True when text still holds a <c>${VAR}</c> placeholder: a variable left unset, which is reported on its own.</summary>
    public static bool HasPlaceholder(string text) => Placeholder().IsMatch(text);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
