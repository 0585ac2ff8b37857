using System.Collections.Frozen;
using System.Globalization;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Config;

/// <summary>
/// Loads a stack config into a validated <see cref="FleetSpec"/>. Both readers land here: the CLI reads
/// the Pulumi.&lt;stack&gt;.yaml file, the Pulumi program passes the <c>skyray:*</c> values it read through
/// Pulumi config. Same model, same validation, same errors.
/// </summary>
public static partial class StackLoader
{
    /// <summary>The config namespace SkyRay reads.</summary>
    public const string Namespace = "skyray";

    /// <summary>
    /// Largest stack file read: it guards the CLI against reading a wrong file whole. About 200 clusters and 20,000
    /// workloads fit; a larger fleet is split into several stacks (the error says how).
    /// </summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    /// <summary>The <c>skyray:</c> keys, without the prefix.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["clusters", "instanceTypes", "kuberay", "kueue", "operations", "policies", "policyFiles", "policyVariables", "traffic", "workloads"];

    private static readonly ImmutableArray<string> StackFileKeys = ["config", "encryptedkey", "encryptionsalt", "environment", "secretsprovider"];

    /// <summary>Where a stack file's workloads are: their trees are built one at a time as the loader reads them.</summary>
    private static readonly string[] DeferredWorkloads = ["config", $"{Namespace}:workloads"];

    /// <summary>The Pulumi project file; its folder is where relative paths of a stack start from.</summary>
    public const string ProjectFileName = "Pulumi.yaml";

    /// <summary>
    /// Loads a Pulumi stack file (<c>Pulumi.dev.yaml</c>). Relative <c>skyray:policyFiles</c> resolve from
    /// <see cref="ProjectDirectory"/> of the file's folder, as they do in the Pulumi program.
    /// </summary>
    /// <param name="path">The file path.</param>
    /// <returns>The spec, or the located errors.</returns>
    public static Result<FleetSpec> LoadFile(string path) => LoadFile(path, LoadOptions.Default);

    /// <summary>Loads from config values already read (key without the <c>skyray:</c> prefix → value tree).</summary>
    /// <param name="stack">Stack name.</param>
    /// <param name="values">The <c>skyray:*</c> values.</param>
    /// <param name="baseDirectory">Folder relative policy file paths are resolved from (the Pulumi program passes its
    /// project root, the folder of <c>Pulumi.yaml</c>).</param>
    /// <returns>The spec, or the located errors.</returns>
    public static Result<FleetSpec> FromValues(string stack, IReadOnlyDictionary<string, JsonNode?> values, string baseDirectory) =>
        FromValues(stack, values, baseDirectory, LoadOptions.Default);

    /// <summary><see cref="LoadFile(string)"/> with replaceable inputs (tests).</summary>
    internal static Result<FleetSpec> LoadFile(string path, LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bag = new DiagnosticBag();
        var fileName = Path.GetFileName(path);
        var stack = StackName(fileName, bag);
        var text = ReadText(path, fileName, bag);
        if (text is null)
        {
            return new Result<FleetSpec>(null, bag.Sorted());
        }

        // The workloads' trees are built one at a time as they are read (a large fleet's would be tens of MB at once).
        var docs = YamlJson.ParseDocuments(text, fileName, bag, out var starts, direct: true, options.DeferWorkloads ? DeferredWorkloads : null, out var deferred);
        if (docs.Count > 1)
        {
            bag.Error(Position(fileName, starts[1]), $"a stack file holds one YAML document, this one has {docs.Count}", "remove the extra '---' separators");
        }

        if (bag.HasErrors)
        {
            return new Result<FleetSpec>(null, bag.Sorted());
        }

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var secureKeys = new HashSet<string>(StringComparer.Ordinal);
        var reader = new ConfigReader(bag);
        if (docs.Count == 1 && docs[0] is not null && reader.Map(docs[0], Position(fileName, starts[0]), "a Pulumi stack file") is { } root)
        {
            foreach (var key in root.Select(p => p.Key).Where(k => !StackFileKeys.Contains(k)).Order(StringComparer.Ordinal))
            {
                bag.Warning(fileName + ":" + KubernetesNames.Shorten(key), $"unknown top-level key '{KubernetesNames.Shorten(key)}' in a stack file (Pulumi ignores or rejects it)", Suggestions.Hint(key, StackFileKeys, "top-level keys"));
            }

            if (root["config"] is not null && reader.Map(root["config"], "config", "the stack's config map") is { } config)
            {
                SplitConfig(config, values, secureKeys, bag);
            }
        }

        return Load(stack, values, ProjectDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "."), secureKeys, bag, options, deferred);
    }

    /// <summary>
    /// The folder relative paths of a stack (<c>skyray:policyFiles</c>) start from: the Pulumi project folder, that is the
    /// nearest folder at or above <paramref name="folder"/> holding <see cref="ProjectFileName"/>, or
    /// <paramref name="folder"/> itself when there is none. The Pulumi program resolves from its project root, so a
    /// stack file kept in a subfolder (<c>stacks/</c>) means the same files to the CLI and to <c>pulumi up</c>.
    /// </summary>
    /// <param name="folder">Where to start: the stack file's folder.</param>
    /// <returns>A full path.</returns>
    public static string ProjectDirectory(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var start = Path.GetFullPath(folder);
        for (var current = new DirectoryInfo(start); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, ProjectFileName)))
            {
                return current.FullName;
            }
        }

        return start;
    }

    /// <summary><see cref="FromValues(string, IReadOnlyDictionary{string, JsonNode?}, string)"/> with replaceable inputs (tests).</summary>
    internal static Result<FleetSpec> FromValues(string stack, IReadOnlyDictionary<string, JsonNode?> values, string baseDirectory, LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var bag = new DiagnosticBag();
        foreach (var key in values.Keys.Where(k => !Keys.Contains(k)).Order(StringComparer.Ordinal))
        {
            bag.Error($"{Namespace}:{KubernetesNames.Shorten(key)}", $"unknown config key '{Namespace}:{KubernetesNames.Shorten(key)}'", Suggestions.Hint(key, [.. Keys], "skyray keys"));
        }

        var known = values.Where(p => Keys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return Load(stack, known, baseDirectory, null, bag, options);
    }

    private static string Position(string fileName, (int Line, int Column) at) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{fileName}:{at.Line}:{at.Column}");

    private static string StackName(string fileName, DiagnosticBag bag)
    {
        var match = StackFileName().Match(fileName);
        if (match.Success)
        {
            return match.Groups[1].Value;
        }

        var stack = Path.GetFileNameWithoutExtension(fileName);
        bag.Warning(fileName, $"the file name does not follow Pulumi.<stack>.yaml, so the stack is called '{KubernetesNames.Shorten(stack)}'", "name the file Pulumi.<stack>.yaml");
        return stack;
    }

    private static string? ReadText(string path, string fileName, DiagnosticBag bag)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                bag.Error(fileName, $"the stack file {path} does not exist", "check the path, or create the stack with 'pulumi stack init'");
                return null;
            }

            if (info.Length > MaxFileBytes)
            {
                bag.Error(
                    fileName,
                    string.Create(CultureInfo.InvariantCulture, $"the stack file is {info.Length:N0} bytes ({info.Length / (1024.0 * 1024):0.0} MiB); SkyRay reads stack files of at most {MaxFileBytes / (1024 * 1024)} MiB"),
                    "for a larger fleet, split it into several stacks (for example one per cloud, region or team: each stack file declares its own clusters and the workloads placed on them, and is planned and deployed on its own), and move long Nova policies into skyray:policyFiles; otherwise check you named the right file");
                return null;
            }

            return ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            bag.Error(fileName, $"the stack file cannot be read: {ex.Message}", "check the path and its permissions");
            return null;
        }
    }

    /// <summary>
    /// <see cref="File.ReadAllText(string)"/>, the same text, decoded from the file's bytes in one go: ReadAllText reads
    /// through a <see cref="StreamReader"/> into a <see cref="System.Text.StringBuilder"/> and copies that into the string,
    /// about three times the text's size in fresh memory for a large stack file. A UTF-8 byte order mark is dropped as
    /// ReadAllText drops it; a file that starts with another encoding's mark is left to ReadAllText.
    /// </summary>
    internal static string ReadAllText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> utf8Mark = [0xEF, 0xBB, 0xBF];
        if (bytes.AsSpan().StartsWith(utf8Mark))
        {
            return System.Text.Encoding.UTF8.GetString(bytes, utf8Mark.Length, bytes.Length - utf8Mark.Length);
        }

        return bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0x00, 0x00, 0xFE, 0xFF, ..] ? File.ReadAllText(path) : System.Text.Encoding.UTF8.GetString(bytes);
    }

    private static void SplitConfig(JsonObject config, Dictionary<string, JsonNode?> values, HashSet<string> secureKeys, DiagnosticBag bag)
    {
        foreach (var (fullKey, node) in config)
        {
            if (ConfigReader.IsSecure(node))
            {
                secureKeys.Add(fullKey);
            }

            var colon = fullKey.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                // Pulumi puts keys without a namespace in the project's namespace; they are not SkyRay's.
                continue;
            }

            var ns = fullKey[..colon];
            var key = fullKey[(colon + 1)..];
            var path = KubernetesNames.Shorten(fullKey);
            if (ns != Namespace)
            {
                if (ns.Length > 0 && Suggestions.Distance(ns.ToLowerInvariant(), Namespace) <= 2 && Keys.Contains(key))
                {
                    bag.Warning(path, $"config key '{path}' is in namespace '{KubernetesNames.Shorten(ns)}', so SkyRay ignores it", $"did you mean '{Namespace}:{key}'?");
                }

                continue;
            }

            if (!Keys.Contains(key))
            {
                bag.Error(path, $"unknown config key '{path}'", Suggestions.Hint(key, [.. Keys], "skyray keys"));
                continue;
            }

            values[key] = node;
        }
    }

    private static Result<FleetSpec> Load(
        string stack, Dictionary<string, JsonNode?> values, string baseDirectory, IReadOnlySet<string>? secureKeys, DiagnosticBag bag, LoadOptions options, PlainYamlReader.Deferred? deferred = null)
    {
        var reader = new ConfigReader(bag);
        JsonNode? Value(string key) => values.TryGetValue(key, out var v) ? v : null;
        foreach (var key in Keys.Where(k => ConfigReader.IsSecure(Value(k))))
        {
            bag.Error($"{Namespace}:{key}", "is a secret (secure:) value; SkyRay's settings are plain config", $"set it without --secret: pulumi config set --path {Namespace}:{key}...");
        }

        if (options.TodayProblem is { } today)
        {
            bag.Error(LoadOptions.TodayVariable, $"the environment variable {LoadOptions.TodayVariable} is '{KubernetesNames.Shorten(today)}', not a date", "write it as yyyy-MM-dd, or unset it to check versions against today");
        }

        var catalog = ReadCatalog(Value("instanceTypes"), bag, options);
        var gpuTypes = catalog.All.Select(t => t.GpuType).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var kuberay = ReadKubeRay(Value("kuberay"), reader);
        var kueueBlock = KueueReader.Read(Value("kueue"), KueueReader.FleetPath, reader);
        var kueue = KueueReader.CheckFleet(kueueBlock, bag);
        var operations = ReadOperations(Value("operations"), reader);
        var policies = PolicySources.Read(Value("policies"), Value("policyFiles"), Value("policyVariables"), baseDirectory, reader, options.Environment);

        var errorsBeforeClusters = bag.ErrorCount;
        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterSpec>(StringComparer.Ordinal);
        if (Value("clusters") is { } clustersNode && reader.Map(clustersNode, $"{Namespace}:clusters", "clusters by name") is { } clusterMap)
        {
            foreach (var (name, node) in clusterMap.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var cluster = ClusterReader.Read(name, node, ConfigReader.Child($"{Namespace}:clusters", name), reader, catalog, secureKeys, options.Versions, kueueBlock);
                if (cluster is not null)
                {
                    clusters[name] = cluster;
                }
            }
        }

        var clustersClean = bag.ErrorCount == errorsBeforeClusters;
        var workloads = ImmutableSortedDictionary.CreateBuilder<string, WorkloadSpec>(StringComparer.Ordinal);
        if (Value("workloads") is { } workloadsNode && reader.Map(workloadsNode, $"{Namespace}:workloads", "workloads by name") is { } workloadMap)
        {
            var entries = workloadMap.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
            var read = ReadWorkloads(entries, deferred ?? PlainYamlReader.Deferred.None, gpuTypes, secureKeys, bag, options.WorkloadSlices ?? WorkloadSlices(entries.Length));
            for (var i = 0; i < entries.Length; i++)
            {
                if (read[i] is { } workload)
                {
                    workloads[entries[i].Key] = workload;
                }
            }
        }

        FleetChecks.Run(clusters.ToImmutable(), workloads.ToImmutable(), policies, catalog, clustersClean, bag);
        var traffic = TrafficReader.Read(Value("traffic"), reader, clusters.ToImmutable(), workloads.ToImmutable(), clustersClean);
        if (clusters.Count == 0 && workloads.Count == 0 && !bag.HasErrors)
        {
            // Kept as a warning, not an error: an empty stack is how a stack is torn down (docs/deploy.md).
            bag.Warning(
                $"{Namespace}:clusters",
                "the stack declares no clusters and no workloads: pulumi up deploys nothing and deletes whatever this stack deployed before",
                "that is how a stack is torn down; otherwise add skyray:clusters and skyray:workloads");
        }

        if (bag.HasErrors)
        {
            return new Result<FleetSpec>(null, bag.Sorted());
        }

        var spec = new FleetSpec(stack, clusters.ToImmutable(), workloads.ToImmutable(), policies, kuberay, catalog) { Traffic = traffic, Kueue = kueue, Operations = operations };
        return new Result<FleetSpec>(spec, bag.Sorted());
    }

    /// <summary>How many workloads a slice read on its own thread has at least (fewer read on the caller's thread).</summary>
    internal const int WorkloadsPerSlice = 1_000;

    /// <summary>One slice per <see cref="WorkloadsPerSlice"/> workloads, at most one per processor.</summary>
    private static int WorkloadSlices(int workloads) => Math.Clamp(workloads / WorkloadsPerSlice, 1, Environment.ProcessorCount);

    /// <summary>
    /// Reads the workloads (in name order) in <paramref name="slices"/> contiguous slices at once, each on its own thread
    /// with its own diagnostic bag and YAML builder, then adds the slices' diagnostics to <paramref name="bag"/> in slice
    /// order: the workloads and the diagnostics, in their order, are those of reading them one after another. Each
    /// workload is read from its own tree and the readers share nothing else that changes.
    /// </summary>
    private static WorkloadSpec?[] ReadWorkloads(
        KeyValuePair<string, JsonNode?>[] entries, PlainYamlReader.Deferred deferred, IReadOnlySet<string> gpuTypes, IReadOnlySet<string>? secureKeys, DiagnosticBag bag, int slices)
    {
        var read = new WorkloadSpec?[entries.Length];
        void Slice(int from, int to, ConfigReader reader, PlainYamlReader.Deferred builder)
        {
            for (var i = from; i < to; i++)
            {
                var (name, node) = entries[i];
                var tree = node is null && builder.Has(name) ? builder.Build(name) : node;
                read[i] = WorkloadReader.Read(name, tree, ConfigReader.Child($"{Namespace}:workloads", name), reader, gpuTypes, secureKeys);
            }
        }

        slices = Math.Clamp(slices, 1, Math.Max(1, entries.Length));
        if (slices == 1)
        {
            Slice(0, entries.Length, new ConfigReader(bag), deferred);
            return read;
        }

        var bags = new DiagnosticBag[slices];
        try
        {
            Parallel.For(0, slices, s =>
            {
                bags[s] = new DiagnosticBag();
                Slice(entries.Length * s / slices, entries.Length * (s + 1) / slices, new ConfigReader(bags[s]), deferred.Fork());
            });
        }
        catch (AggregateException failed) when (failed.InnerExceptions.Count > 0)
        {
            // What one thread would have thrown, as it would have thrown it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.InnerExceptions[0]).Throw();
        }

        foreach (var sliceBag in bags)
        {
            bag.AddRange(sliceBag.Items);
        }

        return read;
    }

    private static InstanceCatalog ReadCatalog(JsonNode? node, DiagnosticBag bag, LoadOptions options)
    {
        var builtIn = options.BaseCatalog ?? InstanceCatalogReader.BuiltIn();
        if (node is null)
        {
            return builtIn;
        }

        var user = InstanceCatalogReader.ReadUserTypes(node, $"{Namespace}:instanceTypes", bag);
        return new InstanceCatalog(builtIn.All.Concat(user));
    }

    private static OperationsSpec ReadOperations(JsonNode? node, ConfigReader reader)
    {
        const string path = $"{Namespace}:operations";
        if (node is null || reader.Map(node, path, "operations settings") is not { } map)
        {
            return OperationsSpec.Default;
        }

        reader.KnownKeys(map, path, ["allowEvictions", "lostAfterUnreachableRuns", "retireMargin"]);
        var evictions = reader.Bool(map, "allowEvictions", path) ?? false;
        var lostAfter = reader.Int(map, "lostAfterUnreachableRuns", path, 0, 1000) ?? OperationsSpec.DefaultLostAfterUnreachableRuns;
        var margin = OperationsSpec.DefaultRetireMargin;
        if (reader.String(map, "retireMargin", path, example: "5m") is { } text)
        {
            if (Durations.TryParse(text, out var parsed, out var problem))
            {
                margin = parsed;
            }
            else
            {
                reader.Diagnostics.Error(ConfigReader.Child(path, "retireMargin"), $"'{KubernetesNames.Shorten(text)}' {problem}", "write e.g. 90s, 5m or 1h");
            }
        }

        return new OperationsSpec(evictions, lostAfter, margin);
    }

    private static KubeRaySettings ReadKubeRay(JsonNode? node, ConfigReader reader)
    {
        const string path = $"{Namespace}:kuberay";
        if (node is null || reader.Map(node, path, "KubeRay operator settings") is not { } map)
        {
            return KubeRaySettings.Default;
        }

        reader.KnownKeys(map, path, ["chartVersion", "namespace", "scope", "values"]);
        var version = reader.String(map, "chartVersion", path, example: KubeRaySettings.DefaultChartVersion) ?? KubeRaySettings.DefaultChartVersion;
        if (!ChartVersion().IsMatch(version))
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, "chartVersion"), $"'{KubernetesNames.Shorten(version)}' is not a chart version", $"write it as X.Y.Z, e.g. {KubeRaySettings.DefaultChartVersion}");
        }

        var ns = reader.String(map, "namespace", path, example: KubeRaySettings.DefaultNamespace) ?? KubeRaySettings.DefaultNamespace;
        if (KubernetesNames.CheckDnsLabel(ns) is { } problem)
        {
            reader.Diagnostics.Error(ConfigReader.Child(path, "namespace"), $"namespace '{KubernetesNames.Shorten(ns)}' {problem}", $"for example: namespace: {KubeRaySettings.DefaultNamespace}");
        }

        var values = new JsonObject();
        if (map["values"] is not null && reader.Map(map["values"], ConfigReader.Child(path, "values"), "Helm values") is { } given)
        {
            values = (JsonObject)given.DeepClone();
        }

        var scope = reader.Enum(map, "scope", path, OperatorScopes) ?? OperatorScope.Namespaced;
        if (scope == OperatorScope.Cluster)
        {
            reader.Diagnostics.Warning(
                ConfigReader.Child(path, "scope"),
                "the KubeRay operator gets a ClusterRole: it can read and change pods, services and secrets in every namespace of every cluster",
                "remove scope: cluster to let it watch only the namespaces of the workloads placed on its cluster");
        }

        return new KubeRaySettings(version, ns, values) { Scope = scope };
    }

    private static readonly FrozenDictionary<string, OperatorScope> OperatorScopes = new Dictionary<string, OperatorScope>
    {
        ["namespaced"] = OperatorScope.Namespaced,
        ["cluster"] = OperatorScope.Cluster,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    [GeneratedRegex(@"^Pulumi\.([^/\\]+)\.ya?ml\z", RegexOptions.CultureInvariant)]
    private static partial Regex StackFileName();

    [GeneratedRegex(@"^[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}(-[0-9A-Za-z.-]{1,40})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChartVersion();
}

/// <summary>
/// Inputs of a load that tests replace: the base instance catalog, the environment policy variables come from, and the
/// day and calendar Kubernetes versions are checked against.
/// </summary>
/// <param name="BaseCatalog">Catalog to use instead of the built-in one, or null for the built-in one.</param>
/// <param name="Environment">Reads an environment variable (policy file <c>${VAR}</c> placeholders).</param>
internal sealed record LoadOptions(InstanceCatalog? BaseCatalog, Func<string, string?> Environment)
{
    /// <summary>The environment variable that sets the day Kubernetes versions are checked on (<c>yyyy-MM-dd</c>).</summary>
    public const string TodayVariable = "SKYRAY_TODAY";

    /// <summary>
    /// The real inputs: built-in catalog and calendar, the process environment, and the day: <c>SKYRAY_TODAY</c> when set
    /// (tests pin it; a user can look ahead at upcoming ends of support), else today in UTC.
    /// </summary>
    public static LoadOptions Default => FromEnvironment(System.Environment.GetEnvironmentVariable);

    /// <summary>The real inputs, with the environment read through <paramref name="environment"/>.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The options.</returns>
    public static LoadOptions FromEnvironment(Func<string, string?> environment)
    {
        var options = new LoadOptions(null, environment);
        var text = environment(TodayVariable);
        if (string.IsNullOrEmpty(text))
        {
            return options;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? options with { Versions = options.Versions with { Today = day } }
            : options with { TodayProblem = text };
    }

    /// <summary>The day and calendar of the version check (default: today in UTC, the built-in calendar).</summary>
    public VersionClock Versions { get; init; } = new(DateOnly.FromDateTime(DateTime.UtcNow), KubernetesCalendar.BuiltIn());

    /// <summary>An unreadable <c>SKYRAY_TODAY</c> value, reported as an error by the load; null when fine.</summary>
    public string? TodayProblem { get; init; }

    /// <summary>Build each workload's tree just before it is read (default); false builds the whole file first (tests compare the two).</summary>
    public bool DeferWorkloads { get; init; } = true;

    /// <summary>
    /// How many slices of the workloads are read at once on their own threads; null: one per
    /// <see cref="StackLoader.WorkloadsPerSlice"/> workloads, at most one per processor (tests force several, or one).
    /// </summary>
    public int? WorkloadSlices { get; init; }
}

/// <summary>What a Kubernetes version is checked against: a day and the clouds' support calendar.</summary>
/// <param name="Today">The day (UTC).</param>
/// <param name="Calendar">The calendar.</param>
internal sealed record VersionClock(DateOnly Today, KubernetesCalendar Calendar);
