using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Config;

/// <summary>
/// Reads <c>skyray:kueue</c> (the fleet default) and a cluster's <c>kueue</c> block (its overrides), and resolves the two into
/// one cluster's <see cref="KueueSettings"/>: a key the cluster writes wins, <c>values</c> merge the Helm way, <c>preemption</c> and
/// <c>fairSharing</c> key by key, <c>priorityClasses</c> by name.
/// </summary>
internal static partial class KueueReader
{
    /// <summary>The fleet-level path.</summary>
    public const string FleetPath = "skyray:kueue";

    /// <summary>Oldest chart whose APIs SkyRay renders: the <c>kueue.x-k8s.io/v1beta2</c> objects and the <c>config.kueue.x-k8s.io/v1beta2</c>
    /// Configuration with <c>resources.quotaCheckStrategy</c> (beta, on by default, since 0.19).</summary>
    public static readonly Version OldestChart = new(0, 19, 0);

    private static readonly ImmutableArray<string> Keys =
        ["admissionFairSharing", "chartVersion", "cohort", "enabled", "fairSharing", "namespace", "preemption", "priorityClasses", "queueingStrategy", "values"];

    private static readonly ImmutableArray<string> PreemptionKeys = ["borrowWithinCohort", "reclaimWithinCohort", "withinClusterQueue"];

    private static readonly ImmutableArray<string> FairSharingKeys = ["enabled", "weight"];

    private static readonly ImmutableArray<string> PriorityClassKeys = ["description", "value"];

    private static readonly FrozenDictionary<string, QueueingStrategy> Strategies = new Dictionary<string, QueueingStrategy>
    {
        ["BestEffortFIFO"] = QueueingStrategy.BestEffortFifo,
        ["StrictFIFO"] = QueueingStrategy.StrictFifo,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, WithinClusterQueuePreemption> Within = new Dictionary<string, WithinClusterQueuePreemption>
    {
        ["Never"] = WithinClusterQueuePreemption.Never,
        ["LowerPriority"] = WithinClusterQueuePreemption.LowerPriority,
        ["LowerOrNewerEqualPriority"] = WithinClusterQueuePreemption.LowerOrNewerEqualPriority,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ReclaimWithinCohortPreemption> Reclaim = new Dictionary<string, ReclaimWithinCohortPreemption>
    {
        ["Never"] = ReclaimWithinCohortPreemption.Never,
        ["LowerPriority"] = ReclaimWithinCohortPreemption.LowerPriority,
        ["Any"] = ReclaimWithinCohortPreemption.Any,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, BorrowWithinCohortPreemption> Borrow = new Dictionary<string, BorrowWithinCohortPreemption>
    {
        ["Never"] = BorrowWithinCohortPreemption.Never,
        ["LowerPriority"] = BorrowWithinCohortPreemption.LowerPriority,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Longest WorkloadPriorityClass description Kueue accepts.</summary>
    private const int MaxDescription = 2048;

    /// <summary>Reads one <c>kueue</c> block; null when absent (problems are reported either way).</summary>
    /// <param name="node">The block.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="reader">Reader with the diagnostic bag.</param>
    /// <returns>The keys the block writes, or null.</returns>
    public static KueueBlock? Read(JsonNode? node, string path, ConfigReader reader)
    {
        if (node is null || reader.Map(node, path, "Kueue settings") is not { } map)
        {
            return null;
        }

        var d = reader.Diagnostics;
        reader.KnownKeys(map, path, Keys);
        var enabled = reader.Bool(map, "enabled", path);
        var version = reader.String(map, "chartVersion", path, example: KueueSettings.DefaultChartVersion);
        if (version is not null && !CheckVersion(version, ConfigReader.Child(path, "chartVersion"), d))
        {
            version = null;
        }

        var ns = reader.String(map, "namespace", path, example: KueueSettings.DefaultNamespace);
        if (ns is not null && KubernetesNames.CheckDnsLabel(ns) is { } nsProblem)
        {
            d.Error(ConfigReader.Child(path, "namespace"), $"namespace '{KubernetesNames.Shorten(ns)}' {nsProblem}", $"for example: namespace: {KueueSettings.DefaultNamespace}");
            ns = null;
        }

        JsonObject? values = null;
        if (map["values"] is not null && reader.Map(map["values"], ConfigReader.Child(path, "values"), "Helm values") is { } given)
        {
            values = (JsonObject)given.DeepClone();
            if ((values["managerConfig"] as JsonObject)?.ContainsKey("controllerManagerConfigYaml") == true)
            {
                d.Warning(
                    ConfigReader.Child(ConfigReader.Child(ConfigReader.Child(path, "values"), "managerConfig"), "controllerManagerConfigYaml"),
                    "replaces the whole Kueue configuration SkyRay writes (the Ray integrations, fair sharing, the quota check of undeclared resources)",
                    "use SkyRay's keys (fairSharing, admissionFairSharing) instead, or keep ray.io/rayjob, ray.io/raycluster and ray.io/rayservice in integrations.frameworks");
            }
        }

        var strategy = reader.Enum(map, "queueingStrategy", path, Strategies);
        var (within, reclaim, borrow) = ReadPreemption(map, path, reader);
        var cohort = reader.String(map, "cohort", path, example: "shared");
        if (cohort is not null && KubernetesNames.CheckDnsSubdomain(cohort) is { } cohortProblem)
        {
            d.Error(ConfigReader.Child(path, "cohort"), $"cohort '{KubernetesNames.Shorten(cohort)}' {cohortProblem}", "for example: cohort: gpu-shared");
            cohort = null;
        }

        var (fairEnabled, weight) = ReadFairSharing(map, path, reader);
        var admission = reader.Bool(map, "admissionFairSharing", path);
        var classes = ReadPriorityClasses(map, path, reader);
        return new KueueBlock(path, enabled, version, ns, values, strategy, within, reclaim, borrow, cohort, fairEnabled, weight, admission, classes);
    }

    /// <summary>
    /// One cluster's settings: its own block over the fleet default. <c>enabled</c> defaults to true in any block written, and a
    /// cluster without its own <c>enabled</c> follows the fleet block when there is one.
    /// </summary>
    /// <param name="fleet">The <c>skyray:kueue</c> block, or null.</param>
    /// <param name="cluster">The cluster's <c>kueue</c> block, or null.</param>
    /// <param name="diagnostics">Where combinations Kueue rejects or ignores are reported (at the cluster's block; the fleet block's own
    /// are reported once by <see cref="CheckFleet"/>).</param>
    /// <returns>The resolved settings.</returns>
    public static KueueSettings Resolve(KueueBlock? fleet, KueueBlock? cluster, Diagnostics.DiagnosticBag diagnostics)
    {
        var fleetEnabled = fleet is null ? (bool?)null : fleet.Enabled ?? true;
        var enabled = cluster?.Enabled ?? fleetEnabled ?? cluster is not null;
        var values = fleet?.Values ?? [];
        if (cluster?.Values is { } clusterValues)
        {
            values = HelmValues.Merge(values, clusterValues);
        }

        var preemption = new KueuePreemption(
            cluster?.Within ?? fleet?.Within ?? WithinClusterQueuePreemption.Never,
            cluster?.Reclaim ?? fleet?.Reclaim ?? ReclaimWithinCohortPreemption.Never,
            cluster?.Borrow ?? fleet?.Borrow ?? BorrowWithinCohortPreemption.Never);
        var fair = cluster?.FairSharingEnabled ?? fleet?.FairSharingEnabled ?? false;
        var queueing = new KueueQueueing(
            cluster?.Strategy ?? fleet?.Strategy ?? QueueingStrategy.BestEffortFifo,
            preemption,
            cluster?.Cohort ?? fleet?.Cohort,
            fair ? cluster?.FairSharingWeight ?? fleet?.FairSharingWeight ?? "1" : null,
            cluster?.AdmissionFairSharing ?? fleet?.AdmissionFairSharing ?? false);
        var classes = (fleet?.PriorityClasses ?? ImmutableSortedDictionary.Create<string, WorkloadPriorityClassSpec>(StringComparer.Ordinal)).ToBuilder();
        foreach (var (name, spec) in cluster?.PriorityClasses ?? ImmutableSortedDictionary<string, WorkloadPriorityClassSpec>.Empty)
        {
            classes[name] = spec;
        }

        var settings = new KueueSettings(
            enabled,
            cluster?.ChartVersion ?? fleet?.ChartVersion ?? KueueSettings.DefaultChartVersion,
            cluster?.Namespace ?? fleet?.Namespace ?? KueueSettings.DefaultNamespace,
            values,
            queueing,
            classes.ToImmutable());
        if (cluster is not null && enabled)
        {
            CheckQueueing(settings.Queueing, cluster.Path, diagnostics);
        }

        return settings;
    }

    /// <summary>The checks of the fleet block on its own, reported once at <see cref="FleetPath"/>.</summary>
    /// <param name="fleet">The fleet block, or null.</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <returns>The fleet default as a cluster without a block of its own sees it.</returns>
    public static KueueSettings CheckFleet(KueueBlock? fleet, Diagnostics.DiagnosticBag diagnostics)
    {
        var settings = Resolve(fleet, null, diagnostics);
        if (fleet is not null)
        {
            CheckQueueing(settings.Queueing, fleet.Path, diagnostics);
        }

        return settings;
    }

    private static void CheckQueueing(KueueQueueing queueing, string path, Diagnostics.DiagnosticBag d)
    {
        var preemption = ConfigReader.Child(path, "preemption");
        if (queueing.Preemption.ReclaimWithinCohort == ReclaimWithinCohortPreemption.Never && queueing.Preemption.BorrowWithinCohort != BorrowWithinCohortPreemption.Never)
        {
            // The ClusterQueue CRD's own rule (x-kubernetes-validations on spec.preemption).
            d.Error(
                ConfigReader.Child(preemption, "borrowWithinCohort"),
                "Kueue rejects borrowWithinCohort other than Never while reclaimWithinCohort is Never",
                "set preemption.reclaimWithinCohort to LowerPriority or Any, or borrowWithinCohort to Never");
        }

        if (queueing.Cohort is null)
        {
            if (queueing.Preemption.ReclaimWithinCohort != ReclaimWithinCohortPreemption.Never || queueing.Preemption.BorrowWithinCohort != BorrowWithinCohortPreemption.Never)
            {
                d.Warning(preemption, "preemption within a cohort has no effect: the ClusterQueue joins no cohort", "set cohort, or remove reclaimWithinCohort and borrowWithinCohort");
            }

            if (queueing.FairSharing)
            {
                d.Warning(ConfigReader.Child(path, "fairSharing"), "fair sharing shares a cohort's quota between its ClusterQueues, and this ClusterQueue joins no cohort", "set cohort, or use admissionFairSharing to share the queue fairly between its LocalQueues (teams)");
            }
        }
    }

    private static bool CheckVersion(string text, string path, Diagnostics.DiagnosticBag d)
    {
        var match = ChartVersion().Match(text);
        if (!match.Success)
        {
            d.Error(path, $"'{KubernetesNames.Shorten(text)}' is not a chart version", $"write it as X.Y.Z, e.g. {KueueSettings.DefaultChartVersion}");
            return false;
        }

        var version = new Version(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        if (version < OldestChart)
        {
            d.Error(
                path,
                $"Kueue {text} is older than {OldestChart}: SkyRay declares kueue.x-k8s.io/v1beta2 queues and a v1beta2 Kueue configuration written for 0.19",
                $"use {KueueSettings.DefaultChartVersion} or later");
            return false;
        }

        return true;
    }

    private static (WithinClusterQueuePreemption?, ReclaimWithinCohortPreemption?, BorrowWithinCohortPreemption?) ReadPreemption(JsonObject map, string path, ConfigReader reader)
    {
        var at = ConfigReader.Child(path, "preemption");
        if (map["preemption"] is null || reader.Map(map["preemption"], at, "preemption settings") is not { } preemption)
        {
            return (null, null, null);
        }

        reader.KnownKeys(preemption, at, PreemptionKeys);
        return (reader.Enum(preemption, "withinClusterQueue", at, Within), reader.Enum(preemption, "reclaimWithinCohort", at, Reclaim), reader.Enum(preemption, "borrowWithinCohort", at, Borrow));
    }

    private static (bool? Enabled, string? Weight) ReadFairSharing(JsonObject map, string path, ConfigReader reader)
    {
        var at = ConfigReader.Child(path, "fairSharing");
        if (map["fairSharing"] is null || reader.Map(map["fairSharing"], at, "fair sharing settings") is not { } fair)
        {
            return (null, null);
        }

        reader.KnownKeys(fair, at, FairSharingKeys);
        var enabled = reader.Bool(fair, "enabled", at) ?? true;
        var weight = reader.ScalarText(fair, "weight", at, required: false, "1");
        if (weight is not null && !Weight().IsMatch(weight))
        {
            reader.Diagnostics.Error(ConfigReader.Child(at, "weight"), $"weight '{KubernetesNames.Shorten(weight)}' is not a non-negative number", "write e.g. 1, 2 or 0.5 (0 means the ClusterQueue only uses what nobody else wants)");
            weight = null;
        }

        return (enabled, weight);
    }

    private static ImmutableSortedDictionary<string, WorkloadPriorityClassSpec> ReadPriorityClasses(JsonObject map, string path, ConfigReader reader)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, WorkloadPriorityClassSpec>(StringComparer.Ordinal);
        var at = ConfigReader.Child(path, "priorityClasses");
        if (map["priorityClasses"] is null || reader.Map(map["priorityClasses"], at, "WorkloadPriorityClasses by name") is not { } classes)
        {
            return result.ToImmutable();
        }

        foreach (var (name, node) in classes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var classPath = ConfigReader.Child(at, name);
            var ok = true;
            if (KubernetesNames.CheckDnsLabel(name) is { } problem)
            {
                // The name is also the value of the kueue.x-k8s.io/priority-class label, so a label value's 63 characters bound it.
                reader.Diagnostics.Error(classPath, $"priority class name '{KubernetesNames.Shorten(name)}' {problem}", "use a name like 'high' or 'batch-low'");
                ok = false;
            }

            if (reader.Map(node, classPath, "a WorkloadPriorityClass {value, description}") is not { } spec)
            {
                continue;
            }

            reader.KnownKeys(spec, classPath, PriorityClassKeys);
            var value = reader.Int(spec, "value", classPath, int.MinValue, int.MaxValue, required: true);
            var description = reader.String(spec, "description", classPath);
            if (description is not null && description.Length > MaxDescription)
            {
                reader.Diagnostics.Error(ConfigReader.Child(classPath, "description"), $"is {description.Length} characters long; Kueue accepts at most {MaxDescription}", "shorten it");
                ok = false;
            }

            if (ok && value is { } v)
            {
                result[name] = new WorkloadPriorityClassSpec(v, description);
            }
        }

        return result.ToImmutable();
    }

    [GeneratedRegex(@"^([0-9]{1,4})\.([0-9]{1,4})\.([0-9]{1,4})(-[0-9A-Za-z.-]{1,40})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChartVersion();

    // A non-negative Kubernetes quantity without exponent: what a fair-sharing weight is in practice.
    [GeneratedRegex(@"^(([0-9]{1,9}(\.[0-9]{0,6})?)|(\.[0-9]{1,6}))([numkMGTPE]|[KMGTPE]i)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Weight();
}

/// <summary>What one <c>kueue</c> block writes; null members are not written there.</summary>
/// <param name="Path">The block's config path.</param>
/// <param name="Enabled"><c>enabled</c>.</param>
/// <param name="ChartVersion"><c>chartVersion</c>.</param>
/// <param name="Namespace"><c>namespace</c>.</param>
/// <param name="Values"><c>values</c>.</param>
/// <param name="Strategy"><c>queueingStrategy</c>.</param>
/// <param name="Within"><c>preemption.withinClusterQueue</c>.</param>
/// <param name="Reclaim"><c>preemption.reclaimWithinCohort</c>.</param>
/// <param name="Borrow"><c>preemption.borrowWithinCohort</c>.</param>
/// <param name="Cohort"><c>cohort</c>.</param>
/// <param name="FairSharingEnabled"><c>fairSharing.enabled</c> (true when a <c>fairSharing</c> map is written without it).</param>
/// <param name="FairSharingWeight"><c>fairSharing.weight</c>.</param>
/// <param name="AdmissionFairSharing"><c>admissionFairSharing</c>.</param>
/// <param name="PriorityClasses"><c>priorityClasses</c>.</param>
internal sealed record KueueBlock(
    string Path,
    bool? Enabled,
    string? ChartVersion,
    string? Namespace,
    JsonObject? Values,
    QueueingStrategy? Strategy,
    WithinClusterQueuePreemption? Within,
    ReclaimWithinCohortPreemption? Reclaim,
    BorrowWithinCohortPreemption? Borrow,
    string? Cohort,
    bool? FairSharingEnabled,
    string? FairSharingWeight,
    bool? AdmissionFairSharing,
    ImmutableSortedDictionary<string, WorkloadPriorityClassSpec> PriorityClasses);
