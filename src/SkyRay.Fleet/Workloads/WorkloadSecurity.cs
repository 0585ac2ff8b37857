using System.Collections.Immutable;

namespace SkyRay.Fleet.Workloads;

/// <summary>Ray's authentication mode (<c>RAY_AUTH_MODE</c>; KubeRay <c>authOptions.mode</c>).</summary>
public enum RayAuthMode
{
    /// <summary>Token authentication: every Ray API and internal call carries a shared token (Ray 2.52.0 or later).</summary>
    Token,

    /// <summary>No authentication (Ray's own default): whoever reaches the dashboard or GCS port can run code.</summary>
    Disabled,
}

/// <summary>A Kubernetes Pod Security Standards level, as the <c>pod-security.kubernetes.io/enforce</c> label spells it.</summary>
public enum PodSecurityLevel
{
    /// <summary><c>restricted</c>: current pod hardening best practice (non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp).</summary>
    Restricted,

    /// <summary><c>baseline</c>: prevents known privilege escalations only.</summary>
    Baseline,

    /// <summary><c>privileged</c>: no restriction.</summary>
    Privileged,
}

/// <summary>
/// A workload's security settings (<c>security:</c> in config). The default is the safe one: token authentication,
/// a NetworkPolicy, and the <c>restricted</c> pod security level.
/// </summary>
/// <param name="Auth">Ray authentication mode.</param>
/// <param name="TokenSecret">The config key of a Pulumi secret holding the token every copy of the workload shares
/// (e.g. <c>skyray-infra:llmToken</c>), or null to let KubeRay generate one token per Ray cluster. Only the key is
/// held here, never the token.</param>
/// <param name="NetworkPolicy">Whether a NetworkPolicy limits who reaches the workload's pods.</param>
/// <param name="PodSecurity">The Pod Security Standards level the workload's pods must meet (and its namespace enforces).</param>
/// <param name="AuthFromSpec">True when a raw spec's own <c>authOptions</c> decided <see cref="Auth"/> (SkyRay then
/// leaves that block as written).</param>
public sealed record WorkloadSecurity(
    RayAuthMode Auth,
    string? TokenSecret,
    bool NetworkPolicy,
    PodSecurityLevel PodSecurity,
    bool AuthFromSpec = false)
{
    /// <summary>The secure default: token authentication with a KubeRay-generated token, a NetworkPolicy, restricted pods.</summary>
    public static WorkloadSecurity Default { get; } = new(RayAuthMode.Token, null, true, PodSecurityLevel.Restricted);

    /// <summary>The oldest Ray version with token authentication (Ray docs; KubeRay refuses older versions with <c>authOptions.mode: token</c>).</summary>
    public static readonly Version MinimumTokenAuthRayVersion = new(2, 52, 0);
}

/// <summary>How a RayService's serve Service is reached from outside the cluster.</summary>
public enum LoadBalancerScope
{
    /// <summary>An internal load balancer: an address in the cluster's private network only (the default).</summary>
    Internal,

    /// <summary>An internet-facing load balancer, limited to the configured source ranges.</summary>
    Public,
}

/// <summary>
/// A RayService's serve exposure (<c>exposure:</c> in config): a LoadBalancer serve Service, internal unless asked
/// otherwise. Only the serve port is ever exposed; the dashboard, GCS and client ports never are.
/// </summary>
/// <param name="LoadBalancer">Internal or public.</param>
/// <param name="SourceRanges">CIDRs allowed to reach the serve port; required for a public load balancer, the private
/// address ranges (<see cref="PrivateRanges"/>) when an internal one names none.</param>
public sealed record ServeExposureSpec(LoadBalancerScope LoadBalancer, ImmutableArray<string> SourceRanges)
{
    /// <summary>RFC 1918's private IPv4 ranges: where an internal load balancer's clients are when config names none.</summary>
    public static ImmutableArray<string> PrivateRanges { get; } = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

    /// <summary>The exposure of a RayService behind a traffic record that configures none: internal, private ranges.</summary>
    public static ServeExposureSpec DefaultInternal { get; } = new(LoadBalancerScope.Internal, PrivateRanges);
}
