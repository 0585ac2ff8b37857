using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Infra.Config;
using SkyRay.Infra.Ports;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Observations.Kubernetes;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Runs;

namespace SkyRay.Infra;

/// <summary>
/// The Pulumi program: reads the <c>skyray:*</c> config, validates it like the CLI does (<see cref="FleetLoading"/>), reads the
/// stack's previous outputs (<see cref="StackOutputs"/>), decides the run with the entry point every SkyRay tool uses
/// (<see cref="RunPlanner"/>) and declares it through the Pulumi adapter (<see cref="FleetOrchestrator"/>). Every decision is the
/// core's; this only wires it to Pulumi.
/// </summary>
internal static class FleetProgram
{
    /// <summary>Name of the stack reference the program reads its own previous outputs through.</summary>
    public const string PreviousRunReference = "skyray-previous-run";

    /// <summary>
    /// The config key, in the project's namespace, whose value (the JSON <c>pulumi stack output --json</c> prints) replaces the
    /// stack reference: for backends the program cannot read, and for tests. Outside the <c>skyray</c> namespace on purpose: the
    /// CLI rejects unknown <c>skyray:</c> keys, and this one is not fleet config.
    /// </summary>
    public const string PreviousOutputsConfigKey = "previousOutputs";

    /// <summary>
    /// Config key (project namespace) that says how the run observes the fleet: <c>live</c> (the default: every cluster it has
    /// credentials for, with the kubeconfigs the stack exported and existing clusters' contexts, in parallel) or <c>off</c> (nothing
    /// observed: the run says what it assumed).
    /// </summary>
    public const string ObserveConfigKey = "observe";

    /// <summary>Config key (project namespace) holding an observation snapshot (<c>skyray status --output json</c>) to use instead of
    /// observing: for tests and for runs that cannot reach the clusters.</summary>
    public const string ObservedConfigKey = "observed";

    /// <summary>Config key (project namespace): how long each cluster may take to answer (default 10s).</summary>
    public const string ObserveTimeoutConfigKey = "observeTimeout";

    /// <summary>Runs inside <c>Deployment.RunAsync</c> (or <c>Deployment.TestAsync</c>).</summary>
    /// <returns>The stack outputs.</returns>
    /// <exception cref="RunException">The config is invalid, or the previous outputs were written by a newer SkyRay; the message
    /// lists every located problem.</exception>
    public static async Task<IDictionary<string, object?>> RunAsync()
    {
        var deployment = Deployment.Instance;
        var config = new Pulumi.Config(StackConfigReader.Namespace);

        var values = StackConfigReader.Read(config.Get);
        var projectRoot = ProjectRoot(() => deployment.RootDirectory, Directory.GetCurrentDirectory());
        var spec = ConfigErrors.Require(FleetLoading.FromValues(deployment.StackName, values, projectRoot), Warn);

        var (outputs, kubeconfigs) = await ReadPreviousOutputsAsync(deployment).ConfigureAwait(false);
        var reading = StackOutputs.Read(outputs);
        var previous = ConfigErrors.Require(new Result<PreviousRun>(reading.Run, reading.Problems), Warn, "The stack's previous outputs cannot be used");
        var observed = await ObserveAsync(spec, previous, kubeconfigs).ConfigureAwait(false);
        var run = RunPlanner.Plan(new RunRequest(spec, previous, DateTimeOffset.UtcNow) { Observed = observed });
        foreach (var step in run.StepLines().Concat(run.Traffic.Where(t => t.Held).Select(t => t.PreviewLine())).Concat(run.Assumptions))
        {
            Log.Info(step);
        }

        ConfigErrors.Require(new Result<RunPlan>(run, run.Diagnostics), Warn, "This update cannot be declared");
        // The fingerprint of what is declared lets `skyray plan --check-changes` tell a schedule whether the next run changes anything.
        run = run with { Outputs = run.Outputs with { Fingerprint = RunFingerprint.Of(run) } };
        var adapter = new PulumiFleetPorts(spec.Catalog, ReadSecret);
        // Declare, not Run: the program keeps nothing of the walk (each resource holds its own inputs), so each rendered object
        // may be collected once its resource is declared.
        FleetOrchestrator.Declare(run, adapter.Ports);
        return adapter.StackOutputs();
    }

    /// <summary>
    /// What runs on the fleet now: a snapshot from config, or a live observation of every cluster there are credentials for (the
    /// kubeconfigs the stack exported, existing clusters' contexts). Null when observation is off or no cluster can be asked: the run
    /// then decides from the previous outputs alone and says what it assumed. Kubeconfigs are never logged.
    /// </summary>
    private static async Task<FleetObservation?> ObserveAsync(FleetSpec spec, PreviousRun previous, IReadOnlyDictionary<string, string> kubeconfigs)
    {
        var project = new Pulumi.Config();
        if (project.Get(ObservedConfigKey) is { } snapshot)
        {
            var read = ObservationJson.Read(snapshot, $"config {ObservedConfigKey}");
            foreach (var d in read.Diagnostics)
            {
                Warn(d.ToString());
            }

            return read.Value;
        }

        if (string.Equals(project.Get(ObserveConfigKey), "off", StringComparison.Ordinal))
        {
            return null;
        }

        var timeout = TimeSpan.FromSeconds(10);
        if (project.Get(ObserveTimeoutConfigKey) is { } text && !Durations.TryParse(text, out timeout, out var problem))
        {
            Warn($"config {ObserveTimeoutConfigKey}: '{text}' {problem}; observing with a 10s timeout");
            timeout = TimeSpan.FromSeconds(10);
        }

        var ambient = Kubeconfigs.AmbientPath();
        var clusters = FleetObserving.Targets(spec, previous.Outputs)
            .Where(c => kubeconfigs.ContainsKey(c.Name) || (c.Existing?.KubeconfigContext is not null && ambient is not null))
            .ToList();
        if (clusters.Count == 0)
        {
            return null;
        }

        var observer = new KubernetesObserver(Kubeconfigs.Credentials(kubeconfigs, ambient), () => DateTimeOffset.UtcNow);
        var observation = await FleetObserving.ObserveAsync(observer, clusters, timeout, () => DateTimeOffset.UtcNow).ConfigureAwait(false);
        foreach (var (name, c) in observation.Clusters.Where(c => c.Value.Reachability != Reachability.Reachable))
        {
            Log.Info($"  observe {name}: unreachable ({c.Problem})");
        }

        return observation;
    }

    /// <summary>
    /// The folder relative <c>skyray:policyFiles</c> resolve from: the project root the engine reports (the folder of
    /// <c>Pulumi.yaml</c>), the same folder <c>skyray</c> uses for a stack file (<c>StackLoader.ProjectDirectory</c>).
    /// Where the engine reports none (Automation API inline programs, CLIs older than root-directory support),
    /// <c>DeploymentInstance.RootDirectory</c> throws; then the project folder is found from the working directory the
    /// way the CLI finds it.
    /// </summary>
    /// <param name="rootDirectory">Reads the engine's project root.</param>
    /// <param name="workingDirectory">The program's working directory.</param>
    internal static string ProjectRoot(Func<string> rootDirectory, string workingDirectory)
    {
        try
        {
            return rootDirectory();
        }
        catch (InvalidOperationException)
        {
            return StackLoader.ProjectDirectory(workingDirectory);
        }
    }

    private static void Warn(string message) => Log.Warn(message);

    /// <summary>Reads <c>namespace:key</c> (or <c>key</c> in the skyray namespace) as a secret; a missing key fails the run by name.</summary>
    private static Output<string> ReadSecret(string fullKey)
    {
        var colon = fullKey.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            ? new Pulumi.Config(fullKey[..colon]).RequireSecret(fullKey[(colon + 1)..])
            : new Pulumi.Config(StackConfigReader.Namespace).RequireSecret(fullKey);
    }

    /// <summary>
    /// The previous outputs: config <c>&lt;project&gt;:previousOutputs</c> when set, else this stack's own last outputs through a
    /// stack reference (empty for a stack that was never deployed). Only the outputs <see cref="StackOutputs.Read"/> reads are fetched.
    /// </summary>
    private static async Task<(JsonObject? Outputs, IReadOnlyDictionary<string, string> Kubeconfigs)> ReadPreviousOutputsAsync(DeploymentInstance deployment)
    {
        if (new Pulumi.Config().Get(PreviousOutputsConfigKey) is { } configured)
        {
            var parsed = StackConfigReader.Parse(configured) as JsonObject;
            var fromConfig = parsed?[Kubeconfigs.Output] is { } k ? Kubeconfigs.Read(k.ToJsonString(), PreviousOutputsConfigKey).Value : null;
            return (parsed, fromConfig ?? ImmutableSortedDictionary<string, string>.Empty);
        }

        var self = $"{deployment.OrganizationName}/{deployment.ProjectName}/{deployment.StackName}";
        var reference = new StackReference(PreviousRunReference, new StackReferenceArgs { Name = self });
        var result = new JsonObject();
        foreach (var name in StackOutputs.Names)
        {
            var details = await reference.GetOutputDetailsAsync(name).ConfigureAwait(false);
            if ((details.Value ?? details.SecretValue) is { } value)
            {
                result[name] = JsonSerializer.SerializeToNode(value, value.GetType());
            }
        }

        // The kubeconfigs the previous run exported (a secret): the observer's credentials. Kept in memory only.
        var kubeconfigs = ImmutableSortedDictionary<string, string>.Empty;
        var secret = await reference.GetOutputDetailsAsync(Kubeconfigs.Output).ConfigureAwait(false);
        if ((secret.SecretValue ?? secret.Value) is { } map)
        {
            kubeconfigs = Kubeconfigs.Read(JsonSerializer.SerializeToNode(map, map.GetType())?.ToJsonString() ?? "{}", Kubeconfigs.Output).Value ?? kubeconfigs;
        }

        return (result.Count == 0 ? null : result, kubeconfigs);
    }
}
