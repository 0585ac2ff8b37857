using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Config;

/// <summary>Reads and checks one entry of <c>skyray:clusters</c>.</summary>
internal static partial class ClusterReader
{
    /// <summary>Largest node count of one pool (the clouds' per-pool limits are around 1,000).</summary>
    public const int MaxNodesPerPool = 1000;

    /// <summary>GKE limits cluster names to 40 characters.</summary>
    public const int MaxGkeClusterName = 40;

    /// <summary>
    /// Name of the system pool SkyRay's AKS provisioner gives every AKS cluster (for cluster add-ons), so no configured
    /// pool of an AKS cluster may take it.
    /// </summary>
    public const string AksSystemPoolName = "system";

    private static readonly ImmutableArray<string> Keys =
        ["availability", "aws", "azure", "existing", "gcp", "kubernetesVersion", "kueue", "labels", "lifecycle", "nodePools", "provider", "region", "standby", "upgrade"];

    private static readonly FrozenDictionary<string, UpgradeStrategy> UpgradeStrategies = new Dictionary<string, UpgradeStrategy>
    {
        ["inPlace"] = UpgradeStrategy.InPlace,
        ["cloneAndSwap"] = UpgradeStrategy.CloneAndSwap,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly ImmutableArray<string> PoolKeys = ["diskSizeGb", "instanceType", "labels", "maxNodes", "minNodes", "name", "spot", "taints", "zones"];

    private static readonly FrozenDictionary<string, string> SkuTiers = new Dictionary<string, string>
    {
        ["Free"] = "Free",
        ["Standard"] = "Standard",
        ["Premium"] = AzureDefaults.PremiumTier,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> SupportPlans = new Dictionary<string, string>
    {
        ["KubernetesOfficial"] = AzureDefaults.SupportPlan,
        ["AKSLongTermSupport"] = AzureDefaults.LongTermSupportPlan,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> NetworkPolicies = new Dictionary<string, string>
    {
        ["cilium"] = "cilium",
        ["calico"] = "calico",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ReleaseChannels = new Dictionary<string, string>
    {
        ["RAPID"] = "RAPID",
        ["REGULAR"] = GcpDefaults.ReleaseChannel,
        ["STABLE"] = "STABLE",
        ["EXTENDED"] = GcpDefaults.ExtendedChannel,
    }.ToFrozenDictionary(StringComparer.Ordinal);
    private static readonly Dictionary<string, ClusterAvailability> Availabilities = new(StringComparer.Ordinal)
    {
        ["available"] = ClusterAvailability.Available,
        ["cordoned"] = ClusterAvailability.Cordoned,
        ["lost"] = ClusterAvailability.Lost,
    };


    private static readonly ImmutableArray<string> TaintKeys = ["effect", "key", "value"];

    private static readonly ImmutableArray<string> StandbyKeys = ["idleAfter", "mode"];

    private static readonly ImmutableArray<string> TaintEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"];

    private static readonly FrozenDictionary<string, CloudProvider> Providers = new Dictionary<string, CloudProvider>
    {
        ["aws"] = CloudProvider.Aws,
        ["azure"] = CloudProvider.Azure,
        ["gcp"] = CloudProvider.Gcp,
        ["existing"] = CloudProvider.Existing,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, CloudProvider> Clouds = new Dictionary<string, CloudProvider>
    {
        ["aws"] = CloudProvider.Aws,
        ["azure"] = CloudProvider.Azure,
        ["gcp"] = CloudProvider.Gcp,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ClusterLifecycle> Lifecycles = new Dictionary<string, ClusterLifecycle>
    {
        ["static"] = ClusterLifecycle.Static,
        ["dynamic"] = ClusterLifecycle.Dynamic,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, StandbyMode> StandbyModes = new Dictionary<string, StandbyMode>
    {
        ["suspend"] = StandbyMode.Suspend,
        ["delete"] = StandbyMode.Delete,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Labels SkyRay sets on every cluster; users may not set them.</summary>
    private static readonly ImmutableArray<string> ReservedLabels =
    [
        WellKnownLabels.ClusterName, WellKnownLabels.Provider, WellKnownLabels.Region,
        WellKnownLabels.KubernetesVersion, WellKnownLabels.Lifecycle,
    ];

    /// <summary>Reads a cluster; returns null when it is too broken to describe (errors are reported either way).</summary>
    /// <param name="name">Cluster name (the map key).</param>
    /// <param name="node">The cluster's tree.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    /// <param name="catalog">Instance catalog the pools are sized from.</param>
    /// <param name="secureKeys">Config keys of the stack file holding secure values, or null when unknown (values read through Pulumi).</param>
    /// <param name="versions">The clouds' Kubernetes version calendar and the day to check it on.</param>
    /// <param name="fleetKueue">The <c>skyray:kueue</c> block the cluster's own <c>kueue</c> block goes over, or null.</param>
    public static ClusterSpec? Read(
        string name, JsonNode? node, string path, ConfigReader reader, InstanceCatalog catalog, IReadOnlySet<string>? secureKeys, VersionClock versions, KueueBlock? fleetKueue = null)
    {
        var d = reader.Diagnostics;
        if (KubernetesNames.CheckDnsLabel(name) is { } nameProblem)
        {
            d.Error(path, $"cluster name '{KubernetesNames.Shorten(name)}' {nameProblem}", "use a name like 'aws-west' or 'gpu-l4'");
        }

        if (reader.Map(node, path, "a cluster") is not { } map)
        {
            return null;
        }

        reader.KnownKeys(map, path, Keys);
        var provider = reader.Enum(map, "provider", path, Providers, required: true);
        var region = reader.String(map, "region", path, required: provider is not null and not CloudProvider.Existing, example: RegionExample(provider));
        if (region is not null && provider is { } p && p != CloudProvider.Existing)
        {
            CheckRegion(p, region, ConfigReader.Child(path, "region"), reader);
        }

        if (provider == CloudProvider.Gcp && name.Length > MaxGkeClusterName)
        {
            d.Error(path, $"cluster name '{KubernetesNames.Shorten(name)}' is {name.Length} characters; GKE allows at most {MaxGkeClusterName}", "shorten the name");
        }

        if (provider == CloudProvider.Gcp && name.Length > 0 && !char.IsAsciiLetterLower(name[0]))
        {
            // GKE cluster names start with a letter; a DNS label may start with a digit.
            d.Error(path, $"cluster name '{KubernetesNames.Shorten(name)}' starts with '{name[0]}'; GKE cluster names start with a lower-case letter", "e.g. 'gke-" + KubernetesNames.Shorten(name) + "'");
        }

        var version = ReadVersion(map, path, reader, out var minor);
        var lifecycleGiven = reader.Enum(map, "lifecycle", path, Lifecycles);
        var lifecycle = lifecycleGiven ?? ClusterLifecycle.Static;
        var standby = ReadStandby(map, path, reader);
        var upgrade = ReadUpgrade(map, path, provider, reader);
        var availability = reader.Enum(map, "availability", path, Availabilities) ?? ClusterAvailability.Available;
        var labels = reader.Labels(map, "labels", path);
        foreach (var reserved in ReservedLabels.Where(labels.ContainsKey))
        {
            d.Error(ConfigReader.Child(ConfigReader.Child(path, "labels"), reserved), $"label '{reserved}' is set by SkyRay itself", "remove it; policies can select on it as it is");
        }

        if (provider == CloudProvider.Existing)
        {
            if (map.ContainsKey("lifecycle") && lifecycle == ClusterLifecycle.Dynamic)
            {
                d.Error(ConfigReader.Child(path, "lifecycle"), "an existing cluster cannot be dynamic: SkyRay does not create or delete it", "remove lifecycle or set it to static");
            }

            if (standby is not null)
            {
                d.Error(ConfigReader.Child(path, "standby"), "an existing cluster has no standby: SkyRay does not manage its nodes", "remove standby");
            }
        }
        // A lifecycle that did not read is already reported; assuming static here would add a second, misleading error.
        else if (standby is { Mode: StandbyMode.Delete } && lifecycle == ClusterLifecycle.Static && (lifecycleGiven is not null || !map.ContainsKey("lifecycle")))
        {
            d.Error(
                ConfigReader.Child(ConfigReader.Child(path, "standby"), "mode"),
                "a static cluster always exists, so it cannot be deleted on standby",
                "use mode: suspend (pools scale to zero), or make the cluster lifecycle: dynamic");
        }

        CheckProviderBlocks(map, path, provider, reader);
        var aws = provider == CloudProvider.Aws ? ReadAws(map, path, reader) : null;
        var azure = provider == CloudProvider.Azure ? ReadAzure(map, path, reader) : null;
        var gcp = provider == CloudProvider.Gcp ? ReadGcp(map, path, reader) : null;
        var existing = provider == CloudProvider.Existing ? ReadExisting(map, path, reader, secureKeys) : null;

        var pools = ReadPools(map, path, provider, region, existing, reader, catalog, out var inferredCloud);
        var kueue = KueueReader.Resolve(fleetKueue, KueueReader.Read(map["kueue"], ConfigReader.Child(path, "kueue"), reader), d);
        if (existing is not null)
        {
            existing = existing with { Cloud = inferredCloud };
        }

        if (provider is { } cloud && version is not null)
        {
            var extended = cloud switch
            {
                CloudProvider.Aws => true,
                CloudProvider.Azure => azure?.LongTermSupport == true,
                _ => gcp?.ExtendedChannel == true,
            };
            VersionSupportCheck.Check(cloud, minor, ConfigReader.Child(path, "kubernetesVersion"), extended, versions.Today, versions.Calendar, d);
        }

        if (provider is null || version is null)
        {
            return null;
        }

        return new ClusterSpec(name, provider.Value, region, version, lifecycle, standby, labels, pools, aws, azure, gcp, existing) { Upgrade = upgrade, Availability = availability, Kueue = kueue };
    }

    private static string? RegionExample(CloudProvider? provider) => provider switch
    {
        CloudProvider.Aws => "us-west-2",
        CloudProvider.Azure => "westeurope",
        CloudProvider.Gcp => "us-central1",
        _ => null,
    };

    private static void CheckRegion(CloudProvider provider, string region, string path, ConfigReader reader)
    {
        var ok = provider switch
        {
            CloudProvider.Aws => AwsRegion().IsMatch(region),
            CloudProvider.Azure => AzureRegion().IsMatch(region),
            _ => GcpRegion().IsMatch(region),
        };
        if (ok)
        {
            return;
        }

        var hint = provider == CloudProvider.Gcp && GcpZone().IsMatch(region)
            ? $"that is a zone; give its region '{region[..region.LastIndexOf('-')]}'"
            : provider == CloudProvider.Aws && AwsZone().IsMatch(region)
                ? $"that is an availability zone; give its region '{region[..^1]}'"
                : $"{ProviderNames.Of(provider)} regions look like '{RegionExample(provider)}'";
        reader.Diagnostics.Error(path, $"'{KubernetesNames.Shorten(region)}' is not a region name for {ProviderNames.Of(provider)}", hint);
    }

    private static string? ReadVersion(JsonObject map, string path, ConfigReader reader, out int minor)
    {
        minor = 0;
        var at = ConfigReader.Child(path, "kubernetesVersion");
        if (map["kubernetesVersion"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            // The number has lost any trailing zero: 1.30 arrives as 1.3, so a one-digit minor most likely meant N0.
            var written = KubernetesNames.Shorten(v.ToJsonString());
            var meant = OneDigitMinor().IsMatch(written) ? written + "0" : written;
            reader.Diagnostics.Error(
                at,
                $"the version is written as a number ({written}); YAML reads 1.30 as 1.3",
                $"quote it, e.g. kubernetesVersion: \"{meant}\"");
            return null;
        }

        var text = reader.String(map, "kubernetesVersion", path, required: true, example: "\"1.35\"");
        if (text is null)
        {
            return null;
        }

        if (!KubernetesVersions.TryParse(text, out minor, out var problem, out var hint))
        {
            reader.Diagnostics.Error(at, problem!, hint);
            return null;
        }

        return text;
    }

    private static UpgradeStrategy? ReadUpgrade(JsonObject map, string path, CloudProvider? provider, ConfigReader reader)
    {
        var at = ConfigReader.Child(path, "upgrade");
        if (map["upgrade"] is null || reader.Map(map["upgrade"], at, "upgrade settings") is not { } upgrade)
        {
            return null;
        }

        reader.KnownKeys(upgrade, at, ["strategy"]);
        var strategy = reader.Enum(upgrade, "strategy", at, UpgradeStrategies, required: true);
        if (strategy == UpgradeStrategy.CloneAndSwap && provider == CloudProvider.Existing)
        {
            reader.Diagnostics.Error(
                ConfigReader.Child(at, "strategy"),
                "an existing cluster cannot be cloned: SkyRay does not create or delete it",
                "remove upgrade, or declare the cluster on its cloud (aws, azure, gcp) so SkyRay can create its clone");
        }

        return strategy;
    }

    private static StandbySpec? ReadStandby(JsonObject map, string path, ConfigReader reader)
    {
        if (map["standby"] is null)
        {
            return null;
        }

        var at = ConfigReader.Child(path, "standby");
        if (reader.Map(map["standby"], at, "standby settings") is not { } standby)
        {
            return null;
        }

        reader.KnownKeys(standby, at, StandbyKeys);
        var mode = reader.Enum(standby, "mode", at, StandbyModes, required: true);
        var idle = TimeSpan.FromMinutes(30);
        if (reader.String(standby, "idleAfter", at, example: "30m") is { } text)
        {
            if (Durations.TryParse(text, out var parsed, out var problem))
            {
                idle = parsed;
            }
            else
            {
                reader.Diagnostics.Error(ConfigReader.Child(at, "idleAfter"), $"'{KubernetesNames.Shorten(text)}' {problem}", "write e.g. 90s, 30m or 1h30m");
            }
        }

        return mode is null ? null : new StandbySpec(mode.Value, idle);
    }

    private static void CheckProviderBlocks(JsonObject map, string path, CloudProvider? provider, ConfigReader reader)
    {
        foreach (var block in Providers.Keys.Order(StringComparer.Ordinal))
        {
            if (map.ContainsKey(block) && provider is { } p && Providers[block] != p)
            {
                reader.Diagnostics.Error(
                    ConfigReader.Child(path, block),
                    $"a '{block}' block on a cluster whose provider is {ProviderNames.Of(p)}",
                    $"remove it, or change provider to {block}");
            }
        }

        if (provider == CloudProvider.Existing && !map.ContainsKey("existing"))
        {
            reader.Diagnostics.Error(
                ConfigReader.Child(path, "existing"),
                "an existing cluster needs an 'existing' block saying how to reach it",
                "add existing: {context: my-kube-context} or existing: {kubeconfigSecret: skyray-infra:myKubeconfig}");
        }
    }

    private static AwsSettings? ReadAws(JsonObject map, string path, ConfigReader reader)
    {
        var at = ConfigReader.Child(path, "aws");
        if (map["aws"] is null)
        {
            return new AwsSettings([], AwsSettings.DefaultVpcCidr) { PublicAccessCidrs = ReadPublicAccessCidrs([], at, reader) };
        }

        if (reader.Map(map["aws"], at, "AWS settings") is not { } aws)
        {
            return null;
        }

        reader.KnownKeys(aws, at, ["adminPrincipals", "createVpc", "publicAccessCidrs", "subnetIds", "vpcCidr"]);
        var subnets = ImmutableArray.CreateBuilder<string>();
        if (aws["subnetIds"] is not null && reader.List(aws["subnetIds"], ConfigReader.Child(at, "subnetIds"), "subnet ids") is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var itemPath = ConfigReader.Item(ConfigReader.Child(at, "subnetIds"), i);
                if (list[i] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && SubnetId().IsMatch(ConfigReader.Text(v)))
                {
                    if (subnets.Contains(ConfigReader.Text(v)))
                    {
                        reader.Diagnostics.Error(itemPath, $"subnet '{ConfigReader.Text(v)}' is listed twice", "list each subnet once");
                    }

                    subnets.Add(ConfigReader.Text(v));
                }
                else
                {
                    reader.Diagnostics.Error(itemPath, "is not a subnet id", "subnet ids look like 'subnet-0a1b2c3d4e5f67890'");
                }
            }

            if (list.Count == 1)
            {
                reader.Diagnostics.Error(ConfigReader.Child(at, "subnetIds"), "EKS needs subnets in at least two availability zones; one subnet is given", "list at least two subnets");
            }
        }

        var createVpc = reader.Bool(aws, "createVpc", at);
        if (createVpc == true && subnets.Count > 0)
        {
            reader.Diagnostics.Error(ConfigReader.Child(at, "createVpc"), "createVpc: true and subnetIds both given", "either let SkyRay create the VPC (remove subnetIds) or use your subnets (remove createVpc)");
        }

        if (createVpc == false && aws["subnetIds"] is null)
        {
            reader.Diagnostics.Error(ConfigReader.Child(at, "createVpc"), "createVpc: false needs subnetIds to put the cluster in", "list subnetIds, or remove createVpc");
        }

        var cidr = reader.String(aws, "vpcCidr", at, example: AwsSettings.DefaultVpcCidr);
        if (cidr is not null)
        {
            if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
                network.PrefixLength < 16 || network.PrefixLength > 24)
            {
                reader.Diagnostics.Error(ConfigReader.Child(at, "vpcCidr"), $"'{KubernetesNames.Shorten(cidr)}' is not an IPv4 CIDR from /16 to /24", $"for example: vpcCidr: {AwsSettings.DefaultVpcCidr}");
            }
            else if (subnets.Count > 0)
            {
                reader.Diagnostics.Warning(ConfigReader.Child(at, "vpcCidr"), "vpcCidr is ignored when subnetIds are given (the VPC already exists)", "remove vpcCidr");
            }
        }

        return new AwsSettings(subnets.ToImmutable(), cidr ?? AwsSettings.DefaultVpcCidr)
        {
            AdminPrincipals = ReadAdminPrincipals(aws, at, reader),
            PublicAccessCidrs = ReadPublicAccessCidrs(aws, at, reader),
        };
    }

    /// <summary>
    /// The ranges the public API endpoint answers (EKS <c>publicAccessCidrs</c>). Not configured: EKS's default, every address,
    /// with a warning (CIS EKS benchmark: restrict access to the API endpoint); <c>[]</c> turns the public endpoint off.
    /// </summary>
    private static ImmutableArray<string> ReadPublicAccessCidrs(JsonObject aws, string at, ConfigReader reader)
    {
        var listPath = ConfigReader.Child(at, "publicAccessCidrs");
        const string Hint = "set aws.publicAccessCidrs to the ranges of your CI runners, Pulumi Deployments and people, or [] to keep the API private (then run pulumi up from inside the VPC)";
        if (aws["publicAccessCidrs"] is null)
        {
            reader.Diagnostics.Warning(listPath, "the EKS API endpoint is open to every address (EKS's default): anyone on the internet can reach it and try credentials", Hint);
            return [AwsSettings.AnyAddress];
        }

        if (reader.List(aws["publicAccessCidrs"], listPath, "IPv4 CIDRs") is not { } list)
        {
            return [AwsSettings.AnyAddress];
        }

        var ranges = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = ConfigReader.Item(listPath, i);
            var text = list[i] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? ConfigReader.Text(v) : null;
            if (text is null || !IPNetwork.TryParse(text, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
                network.ToString() != text)
            {
                reader.Diagnostics.Error(itemPath, $"must be an IPv4 CIDR, found {(text is null ? ConfigReader.Describe(list[i]) : $"'{KubernetesNames.Shorten(text)}'")}", "e.g. 203.0.113.0/24 (the network address, without host bits)");
            }
            else if (!ranges.Add(text))
            {
                reader.Diagnostics.Error(itemPath, $"range '{text}' is listed twice", "list each range once");
            }
            else if (text == AwsSettings.AnyAddress)
            {
                reader.Diagnostics.Warning(itemPath, "0.0.0.0/0 opens the EKS API endpoint to every address", Hint);
            }
        }

        return [.. ranges];
    }

    private static ImmutableArray<string> ReadAdminPrincipals(JsonObject aws, string at, ConfigReader reader) =>
        UniqueStrings(reader, aws, "adminPrincipals", at, "IAM principal ARNs", "principal", arn =>
        {
            if (arn is null)
            {
                return ("must be an IAM role or user ARN, found {0}", "e.g. arn:aws:iam::123456789012:role/ci-deployer", null);
            }

            if (AssumedRoleArn().Match(arn) is { Success: true } assumed)
            {
                // EKS access entries take the role, not one session of it.
                return (
                    $"'{KubernetesNames.Shorten(arn)}' is an STS session of a role; EKS access entries name the IAM role itself",
                    $"write arn:{assumed.Groups[1].Value}:iam::{assumed.Groups[2].Value}:role/{assumed.Groups[3].Value}",
                    null);
            }

            return IamPrincipalArn().IsMatch(arn)
                ? (null, null, arn)
                : ($"'{KubernetesNames.Shorten(arn)}' is not an IAM role or user ARN", "e.g. arn:aws:iam::123456789012:role/ci-deployer", null);
        });

    /// <summary>
    /// A list of distinct strings, each checked by <paramref name="item"/>: it gives an error (message and hint; a <c>{0}</c> in the
    /// message stands for what was found) or the value to keep. A value listed twice is an error at its second place.
    /// </summary>
    /// <returns>The kept values, sorted.</returns>
    private static ImmutableArray<string> UniqueStrings(
        ConfigReader reader,
        JsonObject map,
        string key,
        string at,
        string what,
        string noun,
        Func<string?, (string? Error, string? Hint, string? Value)> item)
    {
        var listPath = ConfigReader.Child(at, key);
        if (map[key] is null || reader.List(map[key], listPath, what) is not { } list)
        {
            return [];
        }

        var kept = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = ConfigReader.Item(listPath, i);
            var text = list[i] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? ConfigReader.Text(v) : null;
            var (error, hint, value) = item(text);
            if (error is not null)
            {
                reader.Diagnostics.Error(itemPath, error.Replace("{0}", text is null ? ConfigReader.Describe(list[i]) : $"'{KubernetesNames.Shorten(text)}'", StringComparison.Ordinal), hint);
            }
            else if (value is not null && !kept.Add(value))
            {
                reader.Diagnostics.Error(itemPath, $"{noun} '{KubernetesNames.Shorten(text ?? value)}' is listed twice", $"list each {noun} once");
            }
        }

        return [.. kept];
    }

    private static AzureSettings? ReadAzure(JsonObject map, string path, ConfigReader reader)
    {
        if (map["azure"] is null)
        {
            return new AzureSettings(null);
        }

        var at = ConfigReader.Child(path, "azure");
        if (reader.Map(map["azure"], at, "Azure settings") is not { } azure)
        {
            return null;
        }

        reader.KnownKeys(azure, at, ["adminGroupObjectIds", "localAccounts", "networkPolicy", "resourceGroup", "skuTier", "subscriptionId", "supportPlan", "systemPoolNodes"]);
        var group = reader.String(azure, "resourceGroup", at, example: "skyray-rg");
        if (group is not null && !ResourceGroup().IsMatch(group))
        {
            reader.Diagnostics.Error(ConfigReader.Child(at, "resourceGroup"), $"'{KubernetesNames.Shorten(group)}' is not an Azure resource group name", "1–90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.'");
        }

        var subscription = reader.String(azure, "subscriptionId", at, example: "00000000-0000-0000-0000-000000000000");
        if (subscription is not null && !Guid.TryParseExact(subscription, "D", out _))
        {
            reader.Diagnostics.Error(ConfigReader.Child(at, "subscriptionId"), $"'{KubernetesNames.Shorten(subscription)}' is not a subscription id", "a GUID such as 00000000-0000-0000-0000-000000000000 (az account show --query id)");
            subscription = null;
        }

        var tierRead = Choice(reader, azure, "skuTier", at, SkuTiers);
        var tier = tierRead ?? AzureDefaults.SkuTier;
        var plan = Choice(reader, azure, "supportPlan", at, SupportPlans) ?? AzureDefaults.SupportPlan;
        // A misspelt tier is reported already; checking the default in its place would add a misleading second error.
        if (plan == AzureDefaults.LongTermSupportPlan && tier != AzureDefaults.PremiumTier && (tierRead is not null || azure["skuTier"] is null))
        {
            reader.Diagnostics.Error(
                ConfigReader.Child(at, "supportPlan"),
                $"AKS long-term support needs the Premium tier; this cluster's skuTier is {tier}",
                "add skuTier: Premium, or use supportPlan: KubernetesOfficial with a current version");
        }

        var policy = Choice(reader, azure, "networkPolicy", at, NetworkPolicies) ?? AzureDefaults.NetworkPolicy;
        var systemNodes = reader.Int(azure, "systemPoolNodes", at, 1, 100) ?? AzureDefaults.SystemPoolNodes;
        var localAccounts = !SecureSwitch(
            reader,
            azure,
            "localAccounts",
            at,
            secureValue: false,
            "local accounts keep a long-lived cluster-admin certificate in the kubeconfig: whoever holds it is admin, and AKS cannot say who acted",
            "remove localAccounts to sign in with Microsoft Entra ID (kubelogin) and Azure RBAC; give people access with adminGroupObjectIds");

        return new AzureSettings(group)
        {
            SubscriptionId = subscription,
            SkuTier = tier,
            SupportPlan = plan,
            NetworkPolicy = policy,
            SystemPoolNodes = systemNodes,
            LocalAccounts = localAccounts,
            AdminGroupObjectIds = ReadAdminGroups(azure, at, reader),
        };
    }

    /// <summary>
    /// A true/false setting whose default is the secure value: reads it, and warns at its path (with what it costs and how to
    /// go back) when the config chose the other value.
    /// </summary>
    /// <returns>True when the setting is at its secure value.</returns>
    private static bool SecureSwitch(ConfigReader reader, JsonObject map, string key, string at, bool secureValue, string cost, string hint)
    {
        var value = reader.Bool(map, key, at) ?? secureValue;
        if (value != secureValue)
        {
            reader.Diagnostics.Warning(ConfigReader.Child(at, key), cost, hint);
        }

        return value == secureValue;
    }

    private static ImmutableArray<string> ReadAdminGroups(JsonObject azure, string at, ConfigReader reader) =>
        UniqueStrings(reader, azure, "adminGroupObjectIds", at, "Microsoft Entra group object ids", "group", text =>
            text is not null && Guid.TryParseExact(text, "D", out var id)
                ? (null, null, id.ToString("D"))
                : ("must be a Microsoft Entra group object id, found {0}", "a GUID such as 00000000-0000-0000-0000-000000000000 (az ad group show --group NAME --query id)", null));

    private static GcpSettings? ReadGcp(JsonObject map, string path, ConfigReader reader)
    {
        if (map["gcp"] is null)
        {
            return new GcpSettings(null);
        }

        var at = ConfigReader.Child(path, "gcp");
        if (reader.Map(map["gcp"], at, "GCP settings") is not { } gcp)
        {
            return null;
        }

        reader.KnownKeys(gcp, at, ["network", "nodeServiceAccount", "project", "releaseChannel", "subnetwork", "workloadIdentity"]);
        var project = reader.String(gcp, "project", at, example: "my-project-123");
        if (project is not null && !GcpProject().IsMatch(project))
        {
            reader.Diagnostics.Error(ConfigReader.Child(at, "project"), $"'{KubernetesNames.Shorten(project)}' is not a GCP project id", "6–30 lower-case letters, digits and '-', starting with a letter");
        }

        var channel = Choice(reader, gcp, "releaseChannel", at, ReleaseChannels) ?? GcpDefaults.ReleaseChannel;
        var network = ReadGcpNetworkName(gcp, "network", at, "networks", reader);
        var subnetwork = ReadGcpNetworkName(gcp, "subnetwork", at, "subnetworks", reader);
        var account = reader.String(gcp, "nodeServiceAccount", at, example: "gke-nodes@my-project-123.iam.gserviceaccount.com");
        var accountPath = ConfigReader.Child(at, "nodeServiceAccount");
        if (account is not null && !GcpServiceAccountEmail().IsMatch(account))
        {
            reader.Diagnostics.Error(
                accountPath,
                $"'{KubernetesNames.Shorten(account)}' is not an IAM service account email",
                "e.g. gke-nodes@my-project-123.iam.gserviceaccount.com; or remove it and SkyRay creates a least-privilege account for the nodes");
            account = null;
        }
        else if (account is not null && account.EndsWith("-compute@developer.gserviceaccount.com", StringComparison.Ordinal))
        {
            reader.Diagnostics.Warning(
                accountPath,
                "the Compute Engine default service account often holds the Editor role on the project: a compromised node could change the project",
                "remove nodeServiceAccount and SkyRay creates an account with roles/container.defaultNodeServiceAccount and roles/artifactregistry.reader only");
        }

        var workloadIdentity = SecureSwitch(
            reader,
            gcp,
            "workloadIdentity",
            at,
            secureValue: true,
            "without Workload Identity every pod can fetch the node service account's credentials from the metadata server",
            "remove workloadIdentity: false; give pods Google Cloud access through Kubernetes service accounts bound in IAM");

        return new GcpSettings(project)
        {
            ReleaseChannel = channel,
            Network = network,
            Subnetwork = subnetwork,
            NodeServiceAccount = account,
            WorkloadIdentity = workloadIdentity,
        };
    }

    /// <summary>A VPC network or subnetwork: its name, or its resource path (<c>projects/p/global/networks/n</c>, for a shared VPC).</summary>
    private static string? ReadGcpNetworkName(JsonObject gcp, string key, string at, string collection, ConfigReader reader)
    {
        var value = reader.String(gcp, key, at, example: key == "network" ? "ray-vpc" : "ray-subnet");
        if (value is null)
        {
            return null;
        }

        var resourcePath = collection == "networks" ? GcpNetworkPath() : GcpSubnetworkPath();
        if (!GcpResourceName().IsMatch(value) && !resourcePath.IsMatch(value))
        {
            reader.Diagnostics.Error(
                ConfigReader.Child(at, key),
                $"'{KubernetesNames.Shorten(value)}' is neither a {key} name nor a {key} resource path",
                collection == "networks"
                    ? "a name like 'ray-vpc' (lower-case letters, digits, '-'), or projects/PROJECT/global/networks/NAME"
                    : "a name like 'ray-subnet', or projects/PROJECT/regions/REGION/subnetworks/NAME");
            return null;
        }

        return value;
    }

    private static ExistingSettings? ReadExisting(JsonObject map, string path, ConfigReader reader, IReadOnlySet<string>? secureKeys)
    {
        if (map["existing"] is null)
        {
            return null;
        }

        var at = ConfigReader.Child(path, "existing");
        if (reader.Map(map["existing"], at, "existing-cluster settings") is not { } existing)
        {
            return null;
        }

        reader.KnownKeys(existing, at, ["cloud", "context", "kubeconfigSecret"]);
        var context = reader.String(existing, "context", at, example: "my-kube-context");
        string? secretKey = null;
        var secretPath = ConfigReader.Child(at, "kubeconfigSecret");
        if (ConfigReader.IsSecure(existing["kubeconfigSecret"]))
        {
            // An inline secret would make the whole skyray:clusters value secret in Pulumi; it goes in its own key.
            reader.Diagnostics.Error(
                secretPath,
                "the kubeconfig secret is written inline; name the config key that holds it instead",
                "run 'pulumi config set --secret skyray-infra:myKubeconfig < kubeconfig' and write kubeconfigSecret: skyray-infra:myKubeconfig");
        }
        else
        {
            secretKey = reader.String(existing, "kubeconfigSecret", at, example: "skyray-infra:myKubeconfig");
        }

        if (secretKey is not null)
        {
            if (!ConfigKey().IsMatch(secretKey) || secretKey.StartsWith("skyray:", StringComparison.Ordinal))
            {
                reader.Diagnostics.Error(secretPath, $"'{KubernetesNames.Shorten(secretKey)}' is not a config key outside the skyray namespace", "write NAMESPACE:KEY, e.g. skyray-infra:myKubeconfig");
                secretKey = null;
            }
            else if (secureKeys is not null && !secureKeys.Contains(secretKey))
            {
                reader.Diagnostics.Error(secretPath, $"the stack file has no secret (secure:) config key '{secretKey}'", $"run 'pulumi config set --secret {secretKey} < kubeconfig'");
            }
        }

        if (context is not null && secretKey is not null)
        {
            reader.Diagnostics.Error(at, "both context and kubeconfigSecret are given", "keep one: a context of your kubeconfig, or the config key of a secret kubeconfig");
        }
        else if (context is null && existing["kubeconfigSecret"] is null)
        {
            reader.Diagnostics.Error(at, "says neither context nor kubeconfigSecret", "add context: my-kube-context or kubeconfigSecret: skyray-infra:myKubeconfig");
        }

        var cloud = reader.Enum(existing, "cloud", at, Clouds);
        return new ExistingSettings(context, secretKey, cloud);
    }

    private static ImmutableArray<NodePoolSpec> ReadPools(
        JsonObject map, string path, CloudProvider? provider, string? region, ExistingSettings? existing, ConfigReader reader, InstanceCatalog catalog, out CloudProvider? existingCloud)
    {
        existingCloud = existing?.Cloud;
        var result = new List<NodePoolSpec>();
        var at = ConfigReader.Child(path, "nodePools");
        if (map["nodePools"] is null)
        {
            if (provider is not null and not CloudProvider.Existing)
            {
                reader.Diagnostics.Error(at, "a cloud cluster needs at least one node pool", "add nodePools: [{name: cpu, instanceType: m6i.xlarge, minNodes: 1, maxNodes: 3}]");
            }

            return [];
        }

        if (reader.List(map["nodePools"], at, "node pools") is not { } list)
        {
            return [];
        }

        if (list.Count == 0 && provider is not null and not CloudProvider.Existing)
        {
            reader.Diagnostics.Error(at, "a cloud cluster needs at least one node pool", "add a pool with name, instanceType, minNodes and maxNodes");
        }

        var raw = new List<(NodePoolSpec Pool, string Path)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var poolPath = ConfigReader.Item(at, i);
            var pool = ReadPool(list[i], poolPath, provider, region, reader);
            if (pool is null)
            {
                continue;
            }

            if (!names.Add(pool.Name))
            {
                reader.Diagnostics.Error(ConfigReader.Child(poolPath, "name"), $"node pool name '{pool.Name}' is used twice in this cluster", "give each pool its own name");
                continue;
            }

            raw.Add((pool, poolPath));
        }

        if (provider == CloudProvider.Existing && existingCloud is null && raw.Count > 0)
        {
            existingCloud = InferCloud(raw, path, reader, catalog);
        }

        var catalogCloud = provider is CloudProvider.Existing ? existingCloud : provider;
        foreach (var (read, poolPath) in raw)
        {
            var pool = read;
            InstanceType? type = null;
            if (catalogCloud is { } known && catalog.TryGet(ProviderNames.Of(known), pool.InstanceType, out var found))
            {
                type = found;
                pool = pool with
                {
                    ImplicitTaints = PoolTaints.Implicit(provider ?? CloudProvider.Existing, pool, type),
                    DiskSizeGb = pool.DiskSizeGb ?? PoolDisks.DefaultGiB(type.HasGpu),
                };
                if (provider is { } cloudProvider)
                {
                    CheckInstanceFamily(cloudProvider, pool, type, poolPath, reader);
                }
            }

            if (catalogCloud is { } cloud && type is null)
            {
                var names2 = catalog.All.Where(t => t.Provider == ProviderNames.Of(cloud)).Select(t => t.Name).ToList();
                reader.Diagnostics.Error(
                    ConfigReader.Child(poolPath, "instanceType"),
                    $"instance type '{KubernetesNames.Shorten(pool.InstanceType)}' is not in the {ProviderNames.Of(cloud)} instance catalog",
                    Suggestions.Closest(pool.InstanceType, names2) is { } close
                        ? $"did you mean '{close}'? Or describe the type under skyray:instanceTypes"
                        : "use a catalog type, or describe the type under skyray:instanceTypes");
            }

            result.Add(pool);
        }

        return [.. result.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    private static CloudProvider? InferCloud(List<(NodePoolSpec Pool, string Path)> pools, string path, ConfigReader reader, InstanceCatalog catalog)
    {
        HashSet<CloudProvider>? common = null;
        foreach (var (pool, _) in pools)
        {
            var clouds = Clouds.Values.Where(c => catalog.TryGet(ProviderNames.Of(c), pool.InstanceType, out _)).ToHashSet();
            common = common is null ? clouds : [.. common.Intersect(clouds)];
        }

        if (common is { Count: 1 })
        {
            return common.Single();
        }

        reader.Diagnostics.Error(
            ConfigReader.Child(ConfigReader.Child(path, "existing"), "cloud"),
            common is { Count: > 1 }
                ? "the pools' instance types exist on several clouds, so SkyRay cannot tell which catalog sizes them"
                : "the pools' instance types are not all in one cloud's instance catalog",
            "set existing.cloud (aws, azure or gcp) to the catalog whose instance types the pools use");
        return null;
    }

    private static NodePoolSpec? ReadPool(JsonNode? node, string path, CloudProvider? provider, string? region, ConfigReader reader)
    {
        if (reader.Map(node, path, "a node pool") is not { } pool)
        {
            return null;
        }

        reader.KnownKeys(pool, path, PoolKeys);
        var name = reader.String(pool, "name", path, required: true, example: "gpu");
        if (name is not null)
        {
            if (KubernetesNames.CheckDnsLabel(name) is { } problem)
            {
                reader.Diagnostics.Error(ConfigReader.Child(path, "name"), $"node pool name '{KubernetesNames.Shorten(name)}' {problem}", "use a name like 'gpu' or 'cpu-small'");
                name = null;
            }
            else if (provider == CloudProvider.Azure && !AksPoolName().IsMatch(name))
            {
                reader.Diagnostics.Error(ConfigReader.Child(path, "name"), $"AKS node pool name '{name}' must be 1–12 lower-case letters and digits, starting with a letter", "use a name like 'gpu' or 'cpu1'");
                name = null;
            }
            else if (provider == CloudProvider.Azure && name == AksSystemPoolName)
            {
                reader.Diagnostics.Error(ConfigReader.Child(path, "name"), $"AKS node pool name '{name}' is taken by the system pool SkyRay gives every AKS cluster", "use another name, e.g. 'cpu'");
                name = null;
            }
            else if (provider == CloudProvider.Gcp && !GkePoolName().IsMatch(name))
            {
                // The pool keeps this name on GKE (cloud.google.com/gke-nodepool selects it), so it must be a valid GKE name.
                reader.Diagnostics.Error(ConfigReader.Child(path, "name"), $"GKE node pool name '{name}' must be 1–40 lower-case letters, digits and '-', starting with a letter", "use a name like 'gpu' or 'cpu-small'");
                name = null;
            }
        }

        var instanceType = reader.String(pool, "instanceType", path, required: true, example: "m6i.xlarge");
        var min = reader.Int(pool, "minNodes", path, 0, MaxNodesPerPool);
        var max = reader.Int(pool, "maxNodes", path, 1, MaxNodesPerPool, required: true);
        if (min is { } lo && max is { } hi && lo > hi)
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, "minNodes"), $"minNodes ({lo}) is more than maxNodes ({hi})", "make minNodes at most maxNodes");
            min = null;
        }

        var spot = reader.Bool(pool, "spot", path) ?? false;
        var labels = reader.Labels(pool, "labels", path);
        var taints = ReadTaints(pool, path, reader);
        var disk = reader.Int(pool, "diskSizeGb", path, PoolDisks.MinGiB, PoolDisks.MaxGiB);
        var zones = ReadZones(pool, path, provider, region, reader);
        if (name is null || instanceType is null || max is null || (min is null && pool["minNodes"] is not null))
        {
            return null;
        }

        return new NodePoolSpec(name, instanceType, min ?? 0, max.Value, spot, labels, taints) { DiskSizeGb = disk, Zones = zones };
    }

    /// <summary>One of a fixed set of words (<see cref="ConfigReader.Enum{T}"/> with "did you mean" for string values).</summary>
    private static string? Choice(ConfigReader reader, JsonObject map, string key, string at, FrozenDictionary<string, string> names)
    {
        var words = names.Keys.Order(StringComparer.Ordinal).ToList();
        var index = reader.Enum(map, key, at, words.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal));
        return index is { } i ? names[words[i]] : null;
    }

    /// <summary>GKE node locations: zones of the cluster's region (<c>us-central1-a</c>).</summary>
    private static ImmutableArray<string> ReadZones(JsonObject pool, string path, CloudProvider? provider, string? region, ConfigReader reader)
    {
        var at = ConfigReader.Child(path, "zones");
        if (pool["zones"] is null)
        {
            return [];
        }

        if (provider is not CloudProvider.Gcp)
        {
            reader.Diagnostics.Error(at, "zones are a GKE setting (node locations); this cluster is not on gcp", "remove zones");
            return [];
        }

        if (reader.List(pool["zones"], at, "zones") is not { } list)
        {
            return [];
        }

        var zones = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = ConfigReader.Item(at, i);
            if (list[i] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String || !GcpZone().IsMatch(ConfigReader.Text(v)))
            {
                reader.Diagnostics.Error(itemPath, $"is not a GCP zone, found {ConfigReader.Describe(list[i])}", $"zones look like '{region ?? "us-central1"}-a'");
                continue;
            }

            var zone = ConfigReader.Text(v);
            if (region is not null && !zone.StartsWith(region + "-", StringComparison.Ordinal))
            {
                reader.Diagnostics.Error(itemPath, $"zone '{zone}' is not in the cluster's region {region}", $"use zones of {region}, e.g. '{region}-a'");
            }
            else if (!zones.Add(zone))
            {
                reader.Diagnostics.Error(itemPath, $"zone '{zone}' is listed twice", "list each zone once");
            }
        }

        if (list.Count == 0)
        {
            reader.Diagnostics.Error(at, "is empty", "list at least one zone, or remove zones for the region's default zones");
        }

        return [.. zones];
    }

    /// <summary>
    /// Checks what the instance type's family needs from the cloud: an AMI EKS has (Graviton gets the arm64 AMI; SkyRay
    /// has no Neuron device plugin), a GKE accelerator name for every GPU machine, and zones for GKE GPU pools.
    /// </summary>
    private static void CheckInstanceFamily(CloudProvider provider, NodePoolSpec pool, InstanceType type, string path, ConfigReader reader)
    {
        var typePath = ConfigReader.Child(path, "instanceType");
        switch (provider)
        {
            case CloudProvider.Aws when InstanceFamilies.IsAwsNeuron(pool.InstanceType):
                reader.Diagnostics.Error(
                    typePath,
                    $"'{pool.InstanceType}' carries AWS Inferentia/Trainium (Neuron) accelerators; SkyRay installs no Neuron device plugin and does not count aws.amazon.com/neuron, so Ray pods could never use them",
                    "use an NVIDIA GPU type (g5, g6, p4d, p5) or a CPU type");
                break;
            case CloudProvider.Aws when InstanceFamilies.IsAwsArm64(pool.InstanceType):
                reader.Diagnostics.Warning(
                    typePath,
                    $"'{pool.InstanceType}' is an arm64 (Graviton) type: its nodes run the arm64 AMI, and Ray pods placed here need an arm64 image",
                    "use a rayproject/ray image tag built for aarch64, or an x86_64 type");
                break;
            case CloudProvider.Gcp when type.HasGpu:
                if (InstanceFamilies.GkeAccelerator(pool.InstanceType, type.GpuType) is null)
                {
                    reader.Diagnostics.Error(
                        typePath,
                        $"SkyRay knows no GKE accelerator name for '{pool.InstanceType}' ({type.Gpus} × {type.GpuType ?? "unknown GPU"})",
                        $"use a machine type with one of {string.Join(", ", InstanceFamilies.GkeAccelerators.Keys)}, or describe the type under skyray:instanceTypes with such a gpuType");
                }

                if (pool.Zones.IsDefaultOrEmpty)
                {
                    reader.Diagnostics.Error(
                        ConfigReader.Child(path, "zones"),
                        "a GKE GPU pool needs the zones that offer its accelerator: GKE puts a regional pool's nodes in every zone of the cluster, and creating the pool fails where a zone lacks the GPU",
                        "list them, e.g. zones: [us-central1-a, us-central1-b]; gcloud compute accelerator-types list --filter=\"zone~REGION\" shows which zones offer which GPU");
                }

                foreach (var (taint, i) in pool.Taints.Select((t, i) => (t, i)))
                {
                    if (string.Equals(taint.Key, PoolTaints.GpuKey, StringComparison.Ordinal))
                    {
                        reader.Diagnostics.Error(
                            ConfigReader.Item(ConfigReader.Child(path, "taints"), i),
                            $"GKE taints GPU nodes {PoolTaints.Describe(PoolTaints.Gpu)} itself; a second {PoolTaints.GpuKey} taint would conflict",
                            "remove this taint; SkyRay treats every GPU pool as carrying GKE's");
                    }
                }

                break;
        }
    }

    private static ImmutableArray<NodeTaint> ReadTaints(JsonObject pool, string path, ConfigReader reader)
    {
        var at = ConfigReader.Child(path, "taints");
        if (pool["taints"] is null || reader.List(pool["taints"], at, "taints") is not { } list)
        {
            return [];
        }

        var taints = ImmutableArray.CreateBuilder<NodeTaint>();
        for (var i = 0; i < list.Count; i++)
        {
            var taintPath = ConfigReader.Item(at, i);
            if (reader.Map(list[i], taintPath, "a taint {key, value, effect}") is not { } taint)
            {
                continue;
            }

            reader.KnownKeys(taint, taintPath, TaintKeys);
            var key = reader.String(taint, "key", taintPath, required: true, example: "nvidia.com/gpu");
            if (key is not null && KubernetesNames.CheckLabelKey(key) is { } keyProblem)
            {
                reader.Diagnostics.Error(ConfigReader.Child(taintPath, "key"), $"taint key '{KubernetesNames.Shorten(key)}' {keyProblem}", "taint keys follow label key rules, e.g. 'nvidia.com/gpu'");
                key = null;
            }

            var value = reader.String(taint, "value", taintPath);
            if (value is not null && KubernetesNames.CheckLabelValue(value) is { } valueProblem)
            {
                reader.Diagnostics.Error(ConfigReader.Child(taintPath, "value"), $"taint value '{KubernetesNames.Shorten(value)}' {valueProblem}", "taint values follow label value rules");
                key = null;
            }

            var effect = reader.String(taint, "effect", taintPath, required: true, example: "NoSchedule");
            if (effect is not null && !TaintEffects.Contains(effect))
            {
                reader.Diagnostics.Error(ConfigReader.Child(taintPath, "effect"), $"'{KubernetesNames.Shorten(effect)}' is not a taint effect", Suggestions.Hint(effect, TaintEffects, "effects"));
                effect = null;
            }

            if (key is not null && effect is not null)
            {
                if (taints.Any(t => t.Key == key && t.Effect == effect))
                {
                    reader.Diagnostics.Error(taintPath, $"taint '{key}' with effect {effect} is given twice", "keep one");
                    continue;
                }

                taints.Add(new NodeTaint(key, value, effect));
            }
        }

        return taints.ToImmutable();
    }

    [GeneratedRegex(@"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AwsRegion();

    [GeneratedRegex(@"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}[a-z]\z", RegexOptions.CultureInvariant)]
    private static partial Regex AwsZone();

    [GeneratedRegex(@"^[a-z][a-z0-9]{2,40}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AzureRegion();

    [GeneratedRegex(@"^[a-z]+-[a-z]+[0-9]{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpRegion();

    [GeneratedRegex(@"^[a-z]+-[a-z]+[0-9]{1,2}-[a-z]\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpZone();

    [GeneratedRegex(@"^1\.[0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex OneDigitMinor();

    [GeneratedRegex(@"^subnet-[0-9a-f]{8,17}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SubnetId();

    [GeneratedRegex(@"^[-\w._()]{0,89}[-\w_()]\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceGroup();

    [GeneratedRegex(@"^[a-z][-a-z0-9]{4,28}[a-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpProject();

    /// <summary>A service account email: an account id (6–30 characters) at a project's IAM domain, or a Google-managed account.</summary>
    [GeneratedRegex(@"^[a-z0-9][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9.:]*\.gserviceaccount\.com\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpServiceAccountEmail();

    [GeneratedRegex(@"^[a-z][a-z0-9]{0,11}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AksPoolName();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]{0,38}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex GkePoolName();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]{1,512}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IamPrincipalArn();

    [GeneratedRegex(@"^arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([A-Za-z0-9+=,.@_-]{1,64})/", RegexOptions.CultureInvariant)]
    private static partial Regex AssumedRoleArn();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpResourceName();

    [GeneratedRegex(@"^projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/global/networks/[a-z]([-a-z0-9]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpNetworkPath();

    [GeneratedRegex(@"^projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/regions/[a-z]+-[a-z]+[0-9]{1,2}/subnetworks/[a-z]([-a-z0-9]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex GcpSubnetworkPath();

    [GeneratedRegex(@"^[A-Za-z0-9][-A-Za-z0-9_.]*:[A-Za-z0-9][-A-Za-z0-9_.]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigKey();
}
