using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Orchestration.Observations.Kubernetes;

/// <summary>
/// Where the observer's credentials come from: the kubeconfigs the stack exports as a secret (<c>kubeconfigs</c>: cluster →
/// kubeconfig, from <c>pulumi stack output kubeconfigs --show-secrets --json</c>), and for an existing cluster its
/// <c>existing.context</c> in the ambient kubeconfig (<c>KUBECONFIG</c>, else <c>~/.kube/config</c>). Kubeconfig contents are
/// never put in a message.
/// </summary>
public static class Kubeconfigs
{
    /// <summary>The stack output holding every cluster's kubeconfig (a secret).</summary>
    public const string Output = "kubeconfigs";

    /// <summary>Reads kubeconfigs by cluster from the JSON of <c>pulumi stack output kubeconfigs --show-secrets --json</c>, or of the whole
    /// <c>pulumi stack output --show-secrets --json</c> (its <c>kubeconfigs</c> member).</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>Cluster → kubeconfig text, or an error that does not quote the text.</returns>
    public static Result<ImmutableSortedDictionary<string, string>> Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Fail(source, "it is not JSON");
        }

        if (root is JsonObject whole && whole[Output] is JsonObject inner)
        {
            root = inner;
        }

        if (root is not JsonObject map)
        {
            return Fail(source, "it is not a JSON object of cluster → kubeconfig");
        }

        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (cluster, value) in map)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result[cluster] = v.GetValue<string>();
            }
            else if (value is JsonObject o)
            {
                // A kubeconfig exported as a structure rather than text.
                result[cluster] = o.ToJsonString();
            }
        }

        if (result.Count == 0 && map.Count > 0)
        {
            return Fail(source, "no member is a kubeconfig (was --show-secrets left out? secrets print as \"[secret]\")");
        }

        return new Result<ImmutableSortedDictionary<string, string>>(result.ToImmutable(), []);
    }

    /// <summary>The credentials function the observer takes.</summary>
    /// <param name="kubeconfigs">Cluster → kubeconfig text (the stack's secret output); may be empty.</param>
    /// <param name="ambientKubeconfig">The ambient kubeconfig file for existing clusters' contexts, or null for none.</param>
    /// <returns>A function giving a cluster's client configuration, or null when there is none for it.</returns>
    public static Func<ClusterSpec, KubernetesClientConfiguration?> Credentials(IReadOnlyDictionary<string, string> kubeconfigs, string? ambientKubeconfig)
    {
        ArgumentNullException.ThrowIfNull(kubeconfigs);
        return cluster =>
        {
            if (kubeconfigs.TryGetValue(cluster.Name, out var text))
            {
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
            }

            if (cluster.Existing?.KubeconfigContext is { } context && ambientKubeconfig is not null && File.Exists(ambientKubeconfig))
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(ambientKubeconfig, context);
            }

            return null;
        };
    }

    /// <summary>The ambient kubeconfig file: the first of <c>KUBECONFIG</c>, else <c>~/.kube/config</c>; null when neither exists.</summary>
    /// <returns>The path, or null.</returns>
    public static string? AmbientPath()
    {
        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        var first = variable?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var path = first ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(path) ? path : null;
    }

    private static Result<ImmutableSortedDictionary<string, string>> Fail(string source, string why) =>
        new(null, [new Diagnostic(Severity.Error, source, $"the kubeconfigs cannot be read: {why}", "write them with: pulumi stack output kubeconfigs --show-secrets --json > kubeconfigs.json")]);
}
