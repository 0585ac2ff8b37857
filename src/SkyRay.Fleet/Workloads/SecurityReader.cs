using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Workloads;

/// <summary>
/// Reads a workload's <c>security</c> and <c>exposure</c> blocks and checks what the secure defaults need: token
/// authentication needs Ray 2.52.0 or later (KubeRay refuses <c>authOptions.mode: token</c> on an older
/// <c>rayVersion</c>), every opt-out is a warning, a public load balancer needs source ranges.
/// </summary>
internal static partial class SecurityReader
{
    /// <summary>Keys of <c>security</c>.</summary>
    public static readonly ImmutableArray<string> SecurityKeys = ["auth", "networkPolicy", "podSecurity", "tokenSecret"];

    /// <summary>Keys of <c>exposure</c>.</summary>
    public static readonly ImmutableArray<string> ExposureKeys = ["loadBalancer", "sourceRanges"];

    private static readonly FrozenDictionary<string, RayAuthMode> AuthModes = new Dictionary<string, RayAuthMode>
    {
        ["token"] = RayAuthMode.Token,
        ["disabled"] = RayAuthMode.Disabled,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, PodSecurityLevel> Levels = new Dictionary<string, PodSecurityLevel>
    {
        ["restricted"] = PodSecurityLevel.Restricted,
        ["baseline"] = PodSecurityLevel.Baseline,
        ["privileged"] = PodSecurityLevel.Privileged,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, LoadBalancerScope> Scopes = new Dictionary<string, LoadBalancerScope>
    {
        ["internal"] = LoadBalancerScope.Internal,
        ["public"] = LoadBalancerScope.Public,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Reads <c>security</c> (absent: the secure default) and checks it against the workload's Ray version.</summary>
    /// <param name="map">The workload's map.</param>
    /// <param name="path">The workload's path.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    /// <param name="secureKeys">Config keys of the stack file holding secure values, or null when unknown.</param>
    /// <param name="kind">The workload's kind, or null when it did not read.</param>
    /// <param name="rawSpec">The raw spec, or null for the structured form.</param>
    /// <param name="structuredRayVersion">The structured form's Ray version (already checked), or null for the raw form.</param>
    /// <param name="images">The Ray images the workload runs, with their config paths (official images name their Ray version in the tag).</param>
    public static WorkloadSecurity Read(
        JsonObject map, string path, ConfigReader reader, IReadOnlySet<string>? secureKeys, RayKind? kind, JsonObject? rawSpec, string? structuredRayVersion,
        IReadOnlyList<(string Image, string Path)> images)
    {
        var d = reader.Diagnostics;
        var at = ConfigReader.Child(path, "security");
        JsonObject? security = null;
        if (map["security"] is not null && reader.Map(map["security"], at, "security settings") is { } given)
        {
            reader.KnownKeys(given, at, SecurityKeys);
            security = given;
        }

        var writtenAuth = security is null ? null : reader.Enum(security, "auth", at, AuthModes);
        var tokenSecret = security is null ? null : ReadTokenSecret(security, at, reader, secureKeys);
        var networkPolicy = (security is null ? null : reader.Bool(security, "networkPolicy", at)) ?? true;
        var podSecurity = (security is null ? null : reader.Enum(security, "podSecurity", at, Levels)) ?? PodSecurityLevel.Restricted;

        // A raw spec's own authOptions decide, unless security.auth says otherwise (then the user must pick one).
        var specPath = ConfigReader.Child(path, "spec");
        var clusterPart = kind is { } k && rawSpec is not null ? RayPodTemplates.ClusterPart(k, rawSpec) : null;
        var authOptionsPath = kind is { } kk ? RayPodTemplates.ClusterPartPath(kk, specPath) + ".authOptions" : specPath;
        var specAuth = clusterPart?["authOptions"] is JsonObject authOptions ? authOptions : null;
        RayAuthMode? specMode = specAuth?["mode"] is JsonValue m && m.GetValueKind() == JsonValueKind.String
            ? AuthModes.GetValueOrDefault(m.GetValue<string>(), RayAuthMode.Token)
            : specAuth is null ? null : RayAuthMode.Disabled; // KubeRay: authOptions without mode is mode "" (disabled)
        if (writtenAuth is { } w && specMode is { } s && w != s)
        {
            d.Error(
                ConfigReader.Child(at, "auth"),
                $"security.auth is {Word(w)} but the spec's authOptions.mode is {Word(s)}",
                "keep one: remove security.auth (the spec's authOptions decide) or remove authOptions from the spec");
        }

        if (tokenSecret is not null && specAuth?["secretName"] is not null)
        {
            d.Error(
                ConfigReader.Child(at, "tokenSecret"),
                "both security.tokenSecret and the spec's authOptions.secretName name the token",
                "keep one: tokenSecret (SkyRay creates the Secret from your Pulumi secret) or secretName (a Secret you create yourself)");
        }

        var auth = writtenAuth ?? specMode ?? RayAuthMode.Token;
        var fromSpec = writtenAuth is null && specMode is not null;
        if (auth == RayAuthMode.Disabled)
        {
            d.Warning(
                writtenAuth is not null ? ConfigReader.Child(at, "auth") : authOptionsPath,
                "Ray token authentication is turned off: anyone who reaches the dashboard (8265), GCS (6379) or client (10001) port can run code on the Ray cluster",
                "remove the opt-out to get token authentication (Ray 2.52.0 or later), or at least keep the NetworkPolicy on");
            if (tokenSecret is not null)
            {
                d.Warning(ConfigReader.Child(at, "tokenSecret"), "tokenSecret is ignored while auth is disabled", "remove tokenSecret, or remove auth: disabled");
            }
        }
        else if (kind is { } workloadKind && (rawSpec is null || clusterPart is not null))
        {
            var version = rawSpec is null ? structuredRayVersion : clusterPart?["rayVersion"] is JsonValue rv && rv.GetValueKind() == JsonValueKind.String ? rv.GetValue<string>() : null;
            var versionPath = rawSpec is null ? ConfigReader.Child(path, "rayVersion") : RayPodTemplates.ClusterPartPath(workloadKind, specPath) + ".rayVersion";
            CheckTokenAuthVersion(version, versionPath, reader);
            foreach (var (image, imagePath) in images)
            {
                CheckTokenAuthImage(image, imagePath, reader);
            }
        }

        if (!networkPolicy)
        {
            d.Warning(
                ConfigReader.Child(at, "networkPolicy"),
                "no NetworkPolicy: every pod of the cluster (and, without enforcement, anything that reaches the nodes) can connect to every Ray port",
                "remove networkPolicy: false to let only the workload's own pods, the KubeRay operator and the serve exposure in");
        }

        if (podSecurity != PodSecurityLevel.Restricted)
        {
            d.Warning(
                ConfigReader.Child(at, "podSecurity"),
                $"the workload's namespace will enforce the '{LevelName(podSecurity)}' pod security level instead of 'restricted', for every workload in it on the same cluster",
                "remove podSecurity and give the pods a restricted security context (SkyRay writes one unless a pod template sets its own)");
        }

        return new WorkloadSecurity(auth, auth == RayAuthMode.Token ? tokenSecret : null, networkPolicy, podSecurity, fromSpec);
    }

    /// <summary>Reads <c>exposure</c>; null when absent.</summary>
    /// <param name="map">The workload's map.</param>
    /// <param name="path">The workload's path.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    /// <param name="kind">The workload's kind, or null when it did not read.</param>
    public static ServeExposureSpec? ReadExposure(JsonObject map, string path, ConfigReader reader, RayKind? kind)
    {
        var d = reader.Diagnostics;
        if (map["exposure"] is null)
        {
            return null;
        }

        var at = ConfigReader.Child(path, "exposure");
        if (reader.Map(map["exposure"], at, "serve exposure settings") is not { } exposure)
        {
            return null;
        }

        if (kind is { } k && k != RayKind.RayService)
        {
            d.Error(at, $"'exposure' exposes a RayService's serve port; this workload is a {k}", "remove it; SkyRay never exposes the dashboard or the Ray client port");
            return null;
        }

        reader.KnownKeys(exposure, at, ExposureKeys);
        var scope = reader.Enum(exposure, "loadBalancer", at, Scopes) ?? LoadBalancerScope.Internal;
        var rangesPath = ConfigReader.Child(at, "sourceRanges");
        var ranges = ImmutableArray.CreateBuilder<string>();
        if (exposure["sourceRanges"] is not null && reader.List(exposure["sourceRanges"], rangesPath, "source CIDR ranges") is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var itemPath = ConfigReader.Item(rangesPath, i);
                if (list[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && IPNetwork.TryParse(ConfigReader.Text(v), out var network) &&
                    string.Equals(network.ToString(), ConfigReader.Text(v), StringComparison.Ordinal))
                {
                    var text = ConfigReader.Text(v);
                    if (network.PrefixLength == 0)
                    {
                        d.Warning(itemPath, $"{text} lets the whole internet reach the serve port", "list the client networks instead, e.g. 203.0.113.0/24");
                    }

                    if (!ranges.Contains(text))
                    {
                        ranges.Add(text);
                    }
                }
                else
                {
                    d.Error(
                        itemPath,
                        list[i] is JsonValue s && s.GetValueKind() == JsonValueKind.String && IPNetwork.TryParse(ConfigReader.Text(s), out var loose)
                            ? $"'{KubernetesNames.Shorten(ConfigReader.Text(s))}' has host bits set; the network is {loose}"
                            : "is not a CIDR range",
                        "write a network in CIDR form, e.g. 10.0.0.0/8 or 203.0.113.0/24");
                }
            }
        }

        if (scope == LoadBalancerScope.Public && ranges.Count == 0 && exposure["sourceRanges"] is null)
        {
            d.Error(
                rangesPath,
                "a public load balancer needs the source ranges allowed to reach it",
                "list your clients' networks, e.g. sourceRanges: [203.0.113.0/24]; or use loadBalancer: internal");
        }

        return new ServeExposureSpec(scope, ranges.Count > 0 ? ranges.ToImmutable() : ServeExposureSpec.PrivateRanges);
    }

    /// <summary>Reports a Ray version too old (or missing) for token authentication, with the fix.</summary>
    /// <param name="rayVersion">The Ray version written, or null when none is.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    public static void CheckTokenAuthVersion(string? rayVersion, string path, ConfigReader reader)
    {
        var minimum = WorkloadSecurity.MinimumTokenAuthRayVersion;
        var min = $"{minimum.Major}.{minimum.Minor}.{minimum.Build}";
        const string optOut = "or opt out with security: {auth: disabled}";
        if (string.IsNullOrEmpty(rayVersion))
        {
            reader.Diagnostics.Error(
                path,
                $"token authentication (on by default) needs rayVersion, and KubeRay refuses a cluster with authOptions.mode: token and no rayVersion",
                $"write rayVersion: \"{min}\" (or later, matching the image), {optOut}");
            return;
        }

        if (!TryParseRayVersion(rayVersion, out var version))
        {
            reader.Diagnostics.Error(path, $"'{KubernetesNames.Shorten(rayVersion)}' is not a Ray version KubeRay can compare for token authentication", $"write it as \"2.X.Y\", e.g. \"{min}\", {optOut}");
            return;
        }

        if (version < minimum)
        {
            reader.Diagnostics.Error(
                path,
                $"token authentication (on by default) needs Ray {min} or later, and this workload runs Ray {KubernetesNames.Shorten(rayVersion)}; KubeRay refuses such a cluster",
                $"raise rayVersion and the image to {min} or later (e.g. rayproject/ray:{min}), {optOut}");
        }
    }

    /// <summary>
    /// Reports an official Ray image (<c>rayproject/ray</c>, <c>ray-ml</c>, <c>ray-llm</c>) whose tag names a Ray version
    /// older than token authentication: KubeRay checks only <c>rayVersion</c>, and Ray older than 2.52.0 does not know
    /// <c>RAY_AUTH_MODE</c>, so such pods would not start as an authenticated cluster.
    /// </summary>
    /// <param name="image">The image reference.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    public static void CheckTokenAuthImage(string image, string path, ConfigReader reader)
    {
        if (OfficialImageVersion(image) is not { } version || version >= WorkloadSecurity.MinimumTokenAuthRayVersion)
        {
            return;
        }

        var minimum = WorkloadSecurity.MinimumTokenAuthRayVersion;
        var min = $"{minimum.Major}.{minimum.Minor}.{minimum.Build}";
        reader.Diagnostics.Error(
            path,
            $"image '{KubernetesNames.Shorten(image)}' runs Ray {version.Major}.{version.Minor}.{version.Build}, but token authentication (on by default) needs Ray {min} or later",
            $"use an image of Ray {min} or later (e.g. rayproject/ray:{min}) with a matching rayVersion, or opt out with security: {{auth: disabled}}");
    }

    /// <summary>The Ray version an official Ray image's tag names (<c>rayproject/ray:2.52.0-gpu</c> → 2.52.0), or null.</summary>
    /// <param name="image">The image reference.</param>
    /// <returns>The version, or null for other images, digests only, or tags that are not versions.</returns>
    public static Version? OfficialImageVersion(string image)
    {
        // (?:^|/)rayproject/ray(?:-ml|-llm)?:([0-9]+\.[0-9]+(?:\.[0-9]+)?)(?:[-@].*)?\z, read by hand: it runs for every
        // workload's image, and a regex match allocates its groups (tests compare the two on random references).
        ArgumentNullException.ThrowIfNull(image);
        const string Repository = "rayproject/ray";
        for (var at = image.IndexOf(Repository, StringComparison.Ordinal); at >= 0; at = image.IndexOf(Repository, at + 1, StringComparison.Ordinal))
        {
            if (at > 0 && image[at - 1] != '/')
            {
                continue;
            }

            var i = at + Repository.Length;
            var rest = image.AsSpan(i);
            i += rest.StartsWith("-ml:", StringComparison.Ordinal) ? 3 : rest.StartsWith("-llm:", StringComparison.Ordinal) ? 4 : 0;
            if (i >= image.Length || image[i] != ':')
            {
                continue;
            }

            var start = ++i;
            if (!Digits(image, ref i) || i >= image.Length || image[i] != '.')
            {
                continue;
            }

            i++;
            if (!Digits(image, ref i))
            {
                continue;
            }

            if (i < image.Length && image[i] == '.')
            {
                var dot = i++;
                if (!Digits(image, ref i))
                {
                    i = dot;
                }
            }

            if (i < image.Length && (image[i] is not ('-' or '@') || image.AsSpan(i).Contains('\n')))
            {
                continue;
            }

            return TryParseRayVersion(image[start..i], out var version) ? version : null;
        }

        return null;
    }

    /// <summary>Parses <c>2.52.0</c>, <c>2.52</c> or <c>v2.52.0-rc1</c> the way KubeRay compares versions (pre-release ignored).</summary>
    /// <param name="text">The version text.</param>
    /// <param name="version">Major, minor and patch (0 when absent).</param>
    /// <returns>True when it parsed.</returns>
    public static bool TryParseRayVersion(string text, out Version version)
    {
        // ^v?([0-9]{1,4})\.([0-9]{1,4})(?:\.([0-9]{1,4}))?(?:[-+].*)?\z, read by hand (see OfficialImageVersion).
        ArgumentNullException.ThrowIfNull(text);
        version = new Version(0, 0, 0);
        var i = text.StartsWith('v') ? 1 : 0;
        if (!VersionPart(text, ref i, out var major) || i >= text.Length || text[i] != '.')
        {
            return false;
        }

        i++;
        if (!VersionPart(text, ref i, out var minor))
        {
            return false;
        }

        var patch = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!VersionPart(text, ref i, out patch))
            {
                return false;
            }
        }

        if (i < text.Length && (text[i] is not ('-' or '+') || text.AsSpan(i).Contains('\n')))
        {
            return false;
        }

        version = new Version(major, minor, patch);
        return true;
    }

    /// <summary>One to four ASCII digits at <paramref name="i"/> (more digits: false), moving past them.</summary>
    private static bool VersionPart(string text, ref int i, out int value)
    {
        var start = i;
        value = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            value = i - start < 4 ? (value * 10) + (text[i] - '0') : value;
            i++;
        }

        return i - start is >= 1 and <= 4;
    }

    /// <summary>One or more ASCII digits at <paramref name="i"/>, moving past them.</summary>
    private static bool Digits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > start;
    }

    private static string? ReadTokenSecret(JsonObject security, string at, ConfigReader reader, IReadOnlySet<string>? secureKeys)
    {
        var path = ConfigReader.Child(at, "tokenSecret");
        if (ConfigReader.IsSecure(security["tokenSecret"]))
        {
            // Inline, it would make the whole skyray:workloads value secret in Pulumi; the token gets its own key.
            reader.Diagnostics.Error(
                path,
                "the token is written inline; name the config key that holds it instead",
                "run 'pulumi config set --secret skyray-infra:rayToken' and write tokenSecret: skyray-infra:rayToken");
            return null;
        }

        var key = reader.String(security, "tokenSecret", at, example: "skyray-infra:rayToken");
        if (key is null)
        {
            return null;
        }

        if (!ConfigKey().IsMatch(key) || key.StartsWith(StackLoader.Namespace + ":", StringComparison.Ordinal))
        {
            reader.Diagnostics.Error(path, $"'{KubernetesNames.Shorten(key)}' is not a config key outside the skyray namespace", "write NAMESPACE:KEY, e.g. skyray-infra:rayToken");
            return null;
        }

        if (secureKeys is not null && !secureKeys.Contains(key))
        {
            reader.Diagnostics.Error(
                path,
                $"the stack file has no secret (secure:) config key '{key}'",
                $"run 'pulumi config set --secret {key}' with a long random token (e.g. from 'openssl rand -base64 32')");
            return null;
        }

        return key;
    }

    private static string Word(RayAuthMode mode) => mode == RayAuthMode.Token ? "token" : "disabled";

    /// <summary>The label value of a level.</summary>
    /// <param name="level">The level.</param>
    /// <returns><c>restricted</c>, <c>baseline</c> or <c>privileged</c>.</returns>
    public static string LevelName(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Baseline => "baseline",
        PodSecurityLevel.Privileged => "privileged",
        _ => "restricted",
    };

    [GeneratedRegex(@"^[A-Za-z0-9][-A-Za-z0-9_.]*:[A-Za-z0-9][-A-Za-z0-9_.]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigKey();
}
