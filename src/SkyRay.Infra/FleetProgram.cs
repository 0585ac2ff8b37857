using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Infra.Config;
using SkyRay.Infra.Ports;
using SkyRay.Orchestration;
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

        var reading = StackOutputs.Read(await ReadPreviousOutputsAsync(deployment).ConfigureAwait(false));
        var previous = ConfigErrors.Require(new Result<PreviousRun>(reading.Run, reading.Problems), Warn, "The stack's previous outputs cannot be used");
        var run = RunPlanner.Plan(new RunRequest(spec, previous, DateTimeOffset.UtcNow));
        foreach (var step in run.StepLines())
        {
            Log.Info(step);
        }

        ConfigErrors.Require(new Result<RunPlan>(run, run.Diagnostics), Warn, "This update cannot be declared");
        var adapter = new PulumiFleetPorts(spec.Catalog, ReadSecret);
        FleetOrchestrator.Run(run, adapter.Ports);
        return adapter.StackOutputs();
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
    private static async Task<JsonObject?> ReadPreviousOutputsAsync(DeploymentInstance deployment)
    {
        if (new Pulumi.Config().Get(PreviousOutputsConfigKey) is { } configured)
        {
            return StackConfigReader.Parse(configured) as JsonObject;
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

        return result.Count == 0 ? null : result;
    }
}
