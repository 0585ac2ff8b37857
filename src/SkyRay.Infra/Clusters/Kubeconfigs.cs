using System.Text.Json.Nodes;

namespace SkyRay.Infra.Clusters;

/// <summary>
/// Builds kubeconfigs that authenticate through the cloud CLI's exec plugin (no long-lived token in state).
/// Written as JSON, which every kubeconfig reader accepts since JSON is YAML.
/// </summary>
internal static class Kubeconfigs
{
    /// <summary>The client authentication API every exec plugin here speaks.</summary>
    public const string ExecApiVersion = "client.authentication.k8s.io/v1beta1";

    /// <summary>A kubeconfig whose single user runs <paramref name="command"/> for a token.</summary>
    /// <param name="name">Cluster, context and user name.</param>
    /// <param name="server">API server URL.</param>
    /// <param name="certificateAuthorityData">Base64 CA bundle.</param>
    /// <param name="command">The exec plugin (<c>aws</c>, <c>gke-gcloud-auth-plugin</c>).</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="provideClusterInfo">Whether the plugin reads the cluster from KUBERNETES_EXEC_INFO.</param>
    /// <param name="installHint">What to install when the plugin is missing.</param>
    /// <returns>The kubeconfig text.</returns>
    public static string WithExec(
        string name,
        string server,
        string certificateAuthorityData,
        string command,
        IReadOnlyList<string> args,
        bool provideClusterInfo,
        string installHint)
    {
        var execArgs = new JsonArray();
        foreach (var arg in args)
        {
            execArgs.Add(arg);
        }

        var config = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray
            {
                new JsonObject
                {
                    ["name"] = name,
                    ["cluster"] = new JsonObject
                    {
                        ["server"] = server,
                        ["certificate-authority-data"] = certificateAuthorityData,
                    },
                },
            },
            ["contexts"] = new JsonArray
            {
                new JsonObject
                {
                    ["name"] = name,
                    ["context"] = new JsonObject { ["cluster"] = name, ["user"] = name },
                },
            },
            ["current-context"] = name,
            ["users"] = new JsonArray
            {
                new JsonObject
                {
                    ["name"] = name,
                    ["user"] = new JsonObject
                    {
                        ["exec"] = new JsonObject
                        {
                            ["apiVersion"] = ExecApiVersion,
                            ["command"] = command,
                            ["args"] = execArgs,
                            ["provideClusterInfo"] = provideClusterInfo,
                            ["installHint"] = installHint,
                        },
                    },
                },
            },
        };
        return config.ToJsonString();
    }
}
