using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Config;
using SkyRay.Infra.Ports;
using SkyRay.Orchestration;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra;

/// <summary>
/// The Pulumi program: reads the <c>skyray:*</c> config, validates it like the CLI does, plans, and declares the plan
/// through the Pulumi adapter. Every decision is the core's; this only wires it to Pulumi.
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
        var spec = ConfigErrors.Require(StackLoader.FromValues(deployment.StackName, values, deployment.RootDirectory), Warn);

        var previousJson = config.Get(PreviousPlacements.ConfigKey) ?? await ReadOwnPlacementsAsync(deployment).ConfigureAwait(false);
        var previous = PreviousPlacements.ToPlan(deployment.StackName, previousJson, out var problem);
        if (problem is not null)
        {
            Warn(problem);
        }

        var plan = FleetPlanner.Plan(spec, previous);
        ConfigErrors.Warn(plan.Diagnostics, Warn);
        foreach (var unplaced in plan.Unplaced)
        {
            Warn($"workload '{unplaced.Workload}' is not deployed: {unplaced.UnplacedReason ?? "no cluster fits it"}");
        }

        var adapter = new PulumiFleetPorts(spec.Catalog, ReadSecret);
        FleetOrchestrator.Run(spec, plan, adapter.Ports);
        return adapter.StackOutputs();
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

    private static async Task<string?> ReadOwnPlacementsAsync(DeploymentInstance deployment)
    {
        var self = PreviousPlacements.SelfReference(deployment.OrganizationName, deployment.ProjectName, deployment.StackName);
        var reference = new StackReference(PreviousRunReference, new StackReferenceArgs { Name = self });
        var details = await reference.GetOutputDetailsAsync(PreviousPlacements.OutputName).ConfigureAwait(false);
        return (details.Value ?? details.SecretValue) as string;
    }
}
