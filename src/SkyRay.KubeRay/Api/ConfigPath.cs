namespace SkyRay.KubeRay.Api;

/// <summary>Builds config paths for diagnostics: <c>spec.workerGroupSpecs[0].replicas</c>, <c>labels['app.kubernetes.io/name']</c>.</summary>
internal static class ConfigPath
{
    /// <summary>Appends a map key: <c>.cpu</c>, or <c>['nvidia.com/gpu']</c> when the key has dots, slashes or other punctuation.</summary>
    public static string Key(string path, string key) =>
        key.Length > 0 && key.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_') ? $"{path}.{key}" : $"{path}['{key}']";

    /// <summary>Appends a list index.</summary>
    public static string Index(string path, int index) => $"{path}[{index}]";
}
