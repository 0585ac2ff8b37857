using System.Text.Json.Nodes;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Security;

/// <summary>Where one copy's Ray token lives. Never the token itself.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Cluster">The cluster the copy runs on.</param>
/// <param name="Namespace">The Secret's namespace (the workload's).</param>
/// <param name="Secret">The Secret's name, or null when KubeRay names it at run time (see <see cref="Source"/>).</param>
/// <param name="Key">The key in the Secret that holds the token (<c>auth_token</c>).</param>
/// <param name="Source">Who creates the Secret, in plain words.</param>
/// <param name="ConfigKey">The Pulumi secret config key the token comes from, when shared; else null.</param>
public sealed record RayTokenLocation(string Workload, string Cluster, string Namespace, string? Secret, string Key, string Source, string? ConfigKey);

/// <summary>A Secret SkyRay declares to hold a shared Ray token: the name and the config key, never the value.</summary>
/// <param name="Workload">The workload whose copies use it.</param>
/// <param name="Cluster">The cluster it is declared on.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="ConfigKey">The Pulumi secret config key holding the token (read by the Pulumi adapter as a secret).</param>
/// <remarks>The token goes under the data key <see cref="RayAuth.TokenKey"/>, the one KubeRay reads.</remarks>
public sealed record RayTokenSecret(string Workload, string Cluster, string Namespace, string Name, string ConfigKey);

/// <summary>
/// Ray token authentication on rendered objects, through KubeRay's <c>authOptions</c> (KubeRay 1.5.1+; the v1.7.0
/// CRDs: <c>mode: token | disabled</c>, <c>secretName</c>). With <c>mode: token</c> KubeRay sets
/// <c>RAY_AUTH_MODE=token</c> and <c>RAY_AUTH_TOKEN</c> (from the Secret's <c>auth_token</c>) on every Ray container;
/// without <c>secretName</c> it creates that Secret itself, named after the RayCluster, with a random token.
/// </summary>
public static class RayAuth
{
    /// <summary>The Secret key KubeRay reads the token from.</summary>
    public const string TokenKey = "auth_token";

    /// <summary>
    /// The name of the Secret SkyRay declares for a workload's shared token: <c>&lt;workload&gt;.ray-token</c>. The dot
    /// keeps it apart from every Secret KubeRay generates (named after RayClusters, which are DNS labels without dots).
    /// </summary>
    /// <param name="workload">The workload name.</param>
    /// <returns>The Secret name.</returns>
    public static string SharedSecretName(string workload) => workload + ".ray-token";

    /// <summary>
    /// Writes <c>authOptions</c> on the cluster part of a rendered spec: <c>mode: token</c> (with the shared Secret's
    /// name when the workload shares a token) unless the workload opted out or its raw spec has an <c>authOptions</c>
    /// of its own (kept as written).
    /// </summary>
    /// <param name="workload">The workload.</param>
    /// <param name="clusterPart">The RayCluster spec part of the rendered spec; changed in place.</param>
    /// <returns>True when authOptions was written.</returns>
    public static bool Apply(WorkloadSpec workload, JsonObject clusterPart)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(clusterPart);
        var security = workload.Security;
        if (security.Auth != RayAuthMode.Token || security.AuthFromSpec || clusterPart.ContainsKey("authOptions"))
        {
            return false;
        }

        var options = new JsonObject { ["mode"] = "token" };
        if (security.TokenSecret is not null)
        {
            options["secretName"] = SharedSecretName(workload.Name);
        }

        clusterPart["authOptions"] = options;
        return true;
    }

    /// <summary>The Secret to declare for a copy of a workload that shares a token, or null when KubeRay makes its own.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The cluster of the copy.</param>
    /// <returns>The Secret, or null.</returns>
    public static RayTokenSecret? SharedSecret(WorkloadSpec workload, string cluster)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return workload.Security is { Auth: RayAuthMode.Token, TokenSecret: { } key, AuthFromSpec: false }
            ? new RayTokenSecret(workload.Name, cluster, workload.Namespace, SharedSecretName(workload.Name), key)
            : null;
    }

    /// <summary>Where the token of a copy lives, or null when the copy runs without authentication.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The cluster of the copy.</param>
    /// <returns>The location, or null.</returns>
    public static RayTokenLocation? Location(WorkloadSpec workload, string cluster)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Security.Auth != RayAuthMode.Token)
        {
            return null;
        }

        if (SharedSecret(workload, cluster) is { } shared)
        {
            return new RayTokenLocation(workload.Name, cluster, workload.Namespace, shared.Name, TokenKey, "SkyRay, from the Pulumi secret config key " + shared.ConfigKey, shared.ConfigKey);
        }

        if (workload.RawSpec is { } raw && RayPodTemplates.ClusterPart(workload.Kind, raw)?["authOptions"]?["secretName"] is JsonValue named &&
            named.TryGetValue<string>(out var secretName) && secretName.Length > 0)
        {
            return new RayTokenLocation(workload.Name, cluster, workload.Namespace, secretName, TokenKey, "you (the spec's authOptions.secretName)", null);
        }

        // KubeRay names the Secret after the RayCluster: the workload itself for a RayCluster (names of at most 50
        // characters are kept as they are), a generated "<name>-xxxxx" for the cluster of a RayJob or RayService.
        return workload.Kind == RayKind.RayCluster && workload.Name.Length <= 50
            ? new RayTokenLocation(workload.Name, cluster, workload.Namespace, workload.Name, TokenKey, "KubeRay (generated, one per Ray cluster)", null)
            : new RayTokenLocation(workload.Name, cluster, workload.Namespace, null, TokenKey, GeneratedSources[(int)workload.Kind], null);
    }

    // The words of a generated Secret's source, indexed by kind, made once (asked for every placed copy of every run).
    private static readonly string[] GeneratedSources = [.. Enum.GetValues<RayKind>().Select(kind =>
        $"KubeRay (generated, one per Ray cluster): the Secret is named after the {kind}'s current RayCluster and labelled ray.io/cluster=<that name>")];
}
