using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Config;
using SkyRay.Infra.Ports;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Naming;
using SkyRay.Orchestration.Standby;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra;

/// <summary>
/// The Pulumi program: reads the <c>skyray:*</c> config, validates it like the CLI does (<see cref="FleetLoading"/>), plans (placement, then the
/// standby clock), and declares the plan through the Pulumi adapter. Every decision is the core's; this only wires
/// it to Pulumi.
/// </summary>
internal static class FleetProgram
{
    /// <summary>Name of the stack reference the program reads its own previous outputs through.</summary>
    public const string PreviousRunReference = "skyray-previous-run";

    /// <summary>Runs inside <c>Deployment.RunAsync</c> (or <c>Deployment.TestAsync</c>).</summary>
    /// <returns>The stack outputs.</returns>
    /// <exception cref="RunException">The config is invalid; the message lists every located problem.</exception>
    public static async Task<IDictionary<string, object?>> RunAsync()
    {
        var deployment = Deployment.Instance;
        var config = new Pulumi.Config(StackConfigReader.Namespace);

        var values = StackConfigReader.Read(config.Get);
        var projectRoot = ProjectRoot(() => deployment.RootDirectory, Directory.GetCurrentDirectory());
        var spec = ConfigErrors.Require(FleetLoading.FromValues(deployment.StackName, values, projectRoot), Warn);

        var previousOutputs = await ReadPreviousOutputsAsync(deployment).ConfigureAwait(false);
        var previous = PreviousRun.From(deployment.StackName, previousOutputs, out var problems);
        foreach (var problem in problems)
        {
            Warn(problem);
        }

        var before = UpgradeJson.Complete(previous.Outputs, previousOutputs);
        // The planner and the standby clock know clusters by their configured names; an upgraded cluster runs under its clone's.
        var placed = FleetPlanner.Plan(spec, UpgradePolicy.ConfiguredView(previous.Plan, before?.Upgrades ?? ImmutableSortedDictionary<string, UpgradeState>.Empty));
        var standby = StandbyPolicy.Decide(spec, placed, UpgradePolicy.ConfiguredView(before), DateTimeOffset.UtcNow);
        var upgrade = UpgradePolicy.Decide(spec, standby.Plan, before);
        var plan = upgrade.Plan;
        foreach (var step in upgrade.PreviewLines())
        {
            Log.Info(step);
        }

        ConfigErrors.Warn(plan.Diagnostics, Warn);
        foreach (var unplaced in plan.Unplaced)
        {
            Warn($"workload '{unplaced.Workload}' is not deployed: {unplaced.UnplacedReason ?? "no cluster fits it"}");
        }

        // FleetLoading already reports shared names as config errors; checked again right before declaring (on the
        // spec with any upgrade clone added), because a duplicate URN would fail the update halfway.
        if (ResourceNames.Find(upgrade.Spec) is { Count: > 0 } clashes)
        {
            throw new RunException(ConfigErrors.Describe(clashes));
        }

        var adapter = new PulumiFleetPorts(spec.Catalog, ReadSecret);
        FleetOrchestrator.Run(
            upgrade.Spec,
            plan,
            adapter.Ports,
            idleSince: standby.IdleSinceText,
            traffic: upgrade.Traffic,
            upgrades: upgrade.States,
            previousStates: NodeAutoscaling.PreviousStates(previous.Outputs));
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
    /// The previous outputs: config <c>&lt;project&gt;:previousOutputs</c> when set, else this stack's own last outputs
    /// through a stack reference (empty for a stack that was never deployed).
    /// </summary>
    private static async Task<JsonObject?> ReadPreviousOutputsAsync(DeploymentInstance deployment)
    {
        if (new Pulumi.Config().Get(PreviousRun.ConfigKey) is { } configured)
        {
            return StackConfigReader.Parse(configured) as JsonObject;
        }

        var self = PreviousRun.SelfReference(deployment.OrganizationName, deployment.ProjectName, deployment.StackName);
        var reference = new StackReference(PreviousRunReference, new StackReferenceArgs { Name = self });
        var result = new JsonObject();
        foreach (var name in new[] { PreviousRun.PlacementsOutput, PreviousRun.ClustersOutput, UpgradeJson.Output, UpgradeJson.TrafficOutput })
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
