using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// A rendered Kubernetes object (a RayCluster, RayJob or RayService, a Namespace, or any other object SkyRay declares on a
/// cluster), ready for kubectl or a Pulumi resource. <see cref="Manifest"/> is the whole object and is read-only.
/// </summary>
/// <param name="ApiVersion">e.g. <c>ray.io/v1</c>.</param>
/// <param name="Kind">e.g. <c>RayService</c>.</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="Manifest">The whole object: apiVersion, kind, metadata, spec.</param>
public sealed record KubeObject(string ApiVersion, string Kind, string Name, string Namespace, JsonObject Manifest);

/// <summary>
/// A Helm release SkyRay installs on a cluster (the KubeRay operator and other add-ons), with every decision made: chart,
/// values, what it is installed after, whether the run waits for it.
/// </summary>
/// <param name="Key">Short name, unique per cluster: names the declared resource (<c>&lt;cluster&gt;-&lt;key&gt;</c>) and the rendered
/// files, and is what <see cref="After"/> refers to. The KubeRay operator's is <see cref="OperatorReleaseBuilder.Key"/>.</param>
/// <param name="ReleaseName">Helm release name.</param>
/// <param name="Chart">Chart name.</param>
/// <param name="Version">Chart version.</param>
/// <param name="Repository">Chart repository URL; empty when <paramref name="Chart"/> is an OCI reference (<c>oci://…</c>), which names the
/// registry itself.</param>
/// <param name="Namespace">Release namespace.</param>
/// <param name="Values">Helm values: SkyRay defaults with the user's values merged over them. Read-only.</param>
public sealed record HelmRelease(string Key, string ReleaseName, string Chart, string Version, string Repository, string Namespace, JsonObject Values)
{
    /// <summary>Keys of the releases of the same cluster this one is installed after (and removed before).</summary>
    public ImmutableArray<string> After { get; init; } = [];

    /// <summary>
    /// Whether a run waits until the release's resources are ready. False where nothing can schedule them (a cluster in
    /// standby, or an idle one whose pools are all at zero), so a run never blocks on pods that cannot start.
    /// </summary>
    public bool Wait { get; init; } = true;

    /// <summary>How long a run waits for the release before failing, in seconds.</summary>
    public int TimeoutSeconds { get; init; } = 600;

    /// <summary>
    /// When a run waits (<see cref="Wait"/>): a release that fails within its timeout is rolled back, a failed first install
    /// removed (Helm's <c>--atomic</c>), so the next run starts from a working state instead of a half-installed release.
    /// </summary>
    public bool Atomic { get; init; } = true;

    /// <summary>Resources a failed upgrade created are deleted (Helm's <c>--cleanup-on-fail</c>).</summary>
    public bool CleanupOnFail { get; init; } = true;

    /// <summary>
    /// URLs of CRD manifests applied (server-side) before the release, which installs without its chart's <c>crds/</c>: Helm
    /// installs a chart's CRDs on the first install only and never upgrades them, so a chart upgrade would otherwise run a
    /// new operator against old CRDs. Empty for charts without CRDs.
    /// </summary>
    public ImmutableArray<string> Crds { get; init; } = [];
    /// <summary>True when <see cref="Chart"/> is an OCI reference (<c>oci://registry/path/chart</c>): Helm pulls it from the registry,
    /// with no chart repository (<c>helm install NAME oci://… --version V</c>).</summary>
    public bool IsOciChart => Chart.StartsWith("oci://", StringComparison.Ordinal);
}
