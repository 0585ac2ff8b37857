using System.Security.Cryptography;
using System.Text;

namespace SkyRay.Infra.Clusters;

/// <summary>
/// Cloud names of resources whose cloud limits Pulumi's auto-names can exceed. Pulumi names a resource
/// <c>&lt;resource name&gt;-&lt;7 random characters&gt;</c> unless the program gives a name, and the resource names here are
/// <c>&lt;cluster&gt;-&lt;part&gt;</c>; config validation only knows the cloud's limit for the cluster name itself. So a
/// 30-character GKE cluster name is valid config, yet <c>&lt;name&gt;-gke-xxxxxxx</c> is 42 characters, over GKE's 40.
/// </summary>
internal static class PhysicalNames
{
    /// <summary>What Pulumi's auto-naming appends: a dash and seven random characters.</summary>
    public const int AutoNameSuffixLength = 8;

    /// <summary>GKE cluster names: at most 40 characters.</summary>
    public const int GkeCluster = 40;

    /// <summary>AKS cluster names: at most 63 characters.</summary>
    public const int AksCluster = 63;

    /// <summary>IAM role names: at most 64 characters.</summary>
    public const int IamRole = 64;

    /// <summary>
    /// Null when Pulumi's auto-name of <paramref name="resourceName"/> fits in <paramref name="maxLength"/> (the program then
    /// leaves the name to Pulumi, as before); otherwise an explicit name of exactly that shape, the resource name cut
    /// short and seven hex characters of a hash of stack and resource name instead of random ones. The hash is stable,
    /// so the name does not change between runs, and differs per stack, so two stacks still do not collide.
    /// </summary>
    /// <param name="resourceName">The Pulumi resource name (lower-case letters, digits and dashes).</param>
    /// <param name="maxLength">The cloud's limit.</param>
    /// <param name="stack">The stack's full name (organization/project/stack).</param>
    /// <returns>The name to set, or null.</returns>
    public static string? Bounded(string resourceName, int maxLength, string stack)
    {
        if (resourceName.Length + AutoNameSuffixLength <= maxLength)
        {
            return null;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stack + "/" + resourceName)))[..(AutoNameSuffixLength - 1)];
        return resourceName[..(maxLength - AutoNameSuffixLength)].TrimEnd('-') + "-" + hash;
    }

    /// <summary>The running stack's full name, the scope in which physical names must differ.</summary>
    public static string CurrentStack()
    {
        var deployment = Pulumi.Deployment.Instance;
        return $"{deployment.OrganizationName}/{deployment.ProjectName}/{deployment.StackName}";
    }
}
