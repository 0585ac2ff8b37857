using Xunit;

namespace SkyRay.Testing;

/// <summary>
/// Finds the peer material (KubeRay CRDs and samples, Nova policies) that sits in <c>shared/</c> beside
/// the repository. Tests read it in place; where it is absent they skip with <see cref="MissingReason"/>.
/// </summary>
public static class SharedMaterial
{
    /// <summary>Environment variable that points at a shared/ folder explicitly.</summary>
    public const string EnvironmentVariable = "SKYRAY_SHARED_DIR";

    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The shared/ folder, or null when it cannot be found.</summary>
    public static string? Directory => Root.Value;

    /// <summary>KubeRay v1.7.0 material (crds/, samples/, chart/), or null.</summary>
    public static string? KubeRay => Sub("kuberay", "v1.7.0");

    /// <summary>KubeRay CRD folder, or null.</summary>
    public static string? KubeRayCrds => Sub("kuberay", "v1.7.0", "crds");

    /// <summary>KubeRay sample manifests folder, or null.</summary>
    public static string? KubeRaySamples => Sub("kuberay", "v1.7.0", "samples");

    /// <summary>Kueue v0.19.2 CRD folder (ResourceFlavor, ClusterQueue, LocalQueue, Cohort, WorkloadPriorityClass), or null.</summary>
    public static string? KueueCrds => Sub("kueue", "v0.19.2", "crds");

    /// <summary>Kueue v0.19.2 chart folder (Chart.yaml, values.yaml), or null.</summary>
    public static string? KueueChart => Sub("kueue", "v0.19.2", "chart");

    /// <summary>Nova SchedulePolicy examples folder, or null.</summary>
    public static string? NovaPolicies => Sub("nova-policies");

    /// <summary>Why shared material tests are skipped, and how to run them.</summary>
    public static string MissingReason =>
        "shared/ peer material (KubeRay v1.7.0 CRDs and samples, Kueue v0.19.2 CRDs and chart, Nova policies) was not found beside the repository; " +
        $"set {EnvironmentVariable} to a folder holding kuberay/v1.7.0, kueue/v0.19.2 and nova-policies to run these tests";

    /// <summary>The repository root (the folder holding SkyRay.Infra.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SkyRay.Infra.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("SkyRay.Infra.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Skips the calling <c>[SkippableFact]</c> when the material is absent.</summary>
    /// <param name="path">A path from this class.</param>
    /// <returns>The path, not null.</returns>
    public static string Require(string? path)
    {
        Skip.If(path is null, MissingReason);
        return path!;
    }

    private static string? Sub(params string[] parts)
    {
        if (Directory is null)
        {
            return null;
        }

        var path = Path.Combine([Directory, .. parts]);
        return System.IO.Directory.Exists(path) ? path : null;
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return System.IO.Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return System.IO.Directory.Exists(Path.Combine(candidate, "kuberay")) ? candidate : null;
    }
}
