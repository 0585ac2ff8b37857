using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Namespaces;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Traffic;
using SkyRay.Orchestration.Upgrades;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration;

/// <summary>
/// Walks a <see cref="FleetPlan"/> and declares it through ports. Every decision is already in the plan;
/// the walk only maps it onto port calls, in a fixed order:
/// clusters by name (provision → connect → operator → the workload namespaces of an active cluster), then workloads by
/// name (one apply per copy, copies by cluster, each depending on its namespace), then the outputs, exported once.
/// </summary>
/// <remarks>
/// Cluster states map onto ports like this:
/// <list type="bullet">
/// <item><see cref="ClusterState.Active"/>: provisioned (unless existing), connected, operator installed, workload
/// namespaces declared (<see cref="WorkloadNamespaces"/>, when the ports have a namespace applier), workloads applied.</item>
/// <item><see cref="ClusterState.Standby"/> (suspend): provisioned with the plan's pools, which are at zero; connected and
/// the operator kept, so a suspend/wake cycle changes node counts only and never uninstalls the operator or its CRDs.
/// No workloads (the plan places none there).</item>
/// <item><see cref="ClusterState.Absent"/> (dynamic with no work, or delete-recreate standby): no port call at all.</item>
/// </list>
/// Existing clusters are never provisioned, whatever their state; they are connected through their kubeconfig.
/// </remarks>
public static class FleetOrchestrator
{
    /// <summary>Declares a plan through ports.</summary>
    /// <param name="spec">The validated stack the plan was made from.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="ports">The adapter's ports.</param>
    /// <param name="rendering">Rendering functions; null for <see cref="FleetRendering.Default"/>.</param>
    /// <param name="idleSince">Per idle cluster, since when (from <c>StandbyOutcome.IdleSinceText</c>), exported so the next
    /// run's standby policy can read it back; null when standby is not tracked.</param>
    /// <param name="traffic">The traffic records with their targets (from <c>UpgradePlan.Traffic</c>); null to point every
    /// record at all clusters serving its RayService (<see cref="TrafficRouting.Decide"/> with no upgrade under way).</param>
    /// <param name="upgrades">Upgrade states to export (<c>UpgradePlan.States</c>) so the next run can read them back; null for none.</param>
    /// <param name="previousStates">Each cluster's state on the previous run (as exported: <c>active</c>, <c>standby</c>,
    /// <c>absent</c>; see <see cref="NodeAutoscaling.PreviousStates"/>), so node counts are left to the autoscaler while a
    /// cluster stays active; null when unknown (the plan's counts are declared).</param>
    /// <returns>What was declared.</returns>
    /// <exception cref="ArgumentException">The plan does not belong to the spec (a cluster or workload is missing,
    /// or a copy targets a cluster that is not active), or a traffic record targets a cluster without a copy of its
    /// RayService. This is a programming error, not a user mistake.</exception>
    public static FleetRun Run(
        FleetSpec spec,
        FleetPlan plan,
        FleetPorts ports,
        FleetRendering? rendering = null,
        IReadOnlyDictionary<string, string>? idleSince = null,
        IReadOnlyList<TrafficRecordSpec>? traffic = null,
        IReadOnlyDictionary<string, UpgradeState>? upgrades = null,
        IReadOnlyDictionary<string, string>? previousStates = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(ports);
        rendering ??= FleetRendering.Default;
        CheckConsistent(spec, plan);
        var records = traffic ?? TrafficRouting.Decide(spec, plan, null, upgrades);
        CheckTraffic(plan, records);
        var autoscaling = NodeAutoscaling.Decide(spec, plan, previousStates);

        var clusters = ImmutableSortedDictionary.CreateBuilder<string, DeployedCluster>(StringComparer.Ordinal);
        var namespaces = ImmutableArray.CreateBuilder<DeployedNamespace>();
        var namespaceHandles = new Dictionary<(string Cluster, string Namespace), IPortHandle>();
        foreach (var cluster in spec.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var clusterPlan = plan.Clusters[cluster.Name];
            if (clusterPlan.State == ClusterState.Absent)
            {
                continue;
            }

            var provisioned = cluster.Provider == CloudProvider.Existing
                ? null
                : ports.Provisioner.Provision(new ClusterProvisionSpec(cluster, clusterPlan, autoscaling[cluster.Name]));
            var connection = ports.Connector.Connect(cluster, provisioned);
            var release = rendering.OperatorRelease(spec.KubeRay, cluster);
            var kubeRayOperator = ports.Operator.Install(connection, release);
            clusters[cluster.Name] = new DeployedCluster(cluster.Name, clusterPlan.State, provisioned, connection, kubeRayOperator, release);
            if (ports.Namespaces is { } namespaceApplier)
            {
                // Declared right after the cluster's operator, so every namespace exists before any workload is applied.
                foreach (var name in WorkloadNamespaces.Names(spec, plan, cluster.Name, release.Namespace))
                {
                    var rendered = WorkloadNamespaces.Manifest(name);
                    var handle = namespaceApplier.Apply(connection, rendered);
                    namespaceHandles[(cluster.Name, name)] = handle;
                    namespaces.Add(new DeployedNamespace(name, cluster.Name, rendered, handle));
                }
            }
        }

        var workloads = ImmutableArray.CreateBuilder<DeployedWorkload>();
        foreach (var placement in plan.Placements.Values.OrderBy(p => p.Workload, StringComparer.Ordinal))
        {
            var workload = spec.Workloads[placement.Workload];
            foreach (var copy in placement.Copies.OrderBy(c => c.Cluster, StringComparer.Ordinal))
            {
                var target = clusters[copy.Cluster];
                var rendered = rendering.Workload(workload, spec.Clusters[copy.Cluster], copy, placement.Policy);
                if (ServeExposure.IsExposed(spec, workload.Name))
                {
                    rendered = ServeExposure.Expose(rendered);
                }

                var handle = ports.Workloads.Apply(
                    target.Connection, target.Operator, rendered, namespaceHandles.GetValueOrDefault((copy.Cluster, rendered.Namespace)));
                workloads.Add(new DeployedWorkload(workload.Name, copy.Cluster, rendered, handle));
            }
        }

        // Records last: each points at serving workloads declared above, after the RayService it depends on is Ready.
        var switched = ImmutableArray.CreateBuilder<DeployedTraffic>();
        if (ports.Traffic is { } trafficSwitch)
        {
            foreach (var record in records.OrderBy(r => r.Traffic.Name, StringComparer.Ordinal))
            {
                var serving = record.Targets
                    .Select(t => workloads.First(w => w.Workload == record.Traffic.Workload && w.Cluster == t).Handle)
                    .ToList();
                switched.Add(new DeployedTraffic(record, trafficSwitch.Point(record, serving)));
            }
        }

        var outputs = FleetOutputsBuilder.Build(spec, plan, rendering, idleSince) with
        {
            Upgrades = upgrades?.ToImmutableSortedDictionary(StringComparer.Ordinal) ?? ImmutableSortedDictionary.Create<string, UpgradeState>(StringComparer.Ordinal),
            Traffic = records.ToImmutableSortedDictionary(r => r.Traffic.Name, r => r.Targets, StringComparer.Ordinal),
        };
        ports.Outputs.Export(outputs);
        return new FleetRun(clusters.ToImmutable(), workloads.ToImmutable(), outputs) { Namespaces = namespaces.ToImmutable(), Traffic = switched.ToImmutable() };
    }

    private static void CheckTraffic(FleetPlan plan, IReadOnlyList<TrafficRecordSpec> traffic)
    {
        foreach (var record in traffic)
        {
            foreach (var target in record.Targets)
            {
                var copy = plan.Placements.GetValueOrDefault(record.Traffic.Workload)?.Copies.Any(c => c.Cluster == target) ?? false;
                if (!copy)
                {
                    throw new ArgumentException(
                        $"Traffic record '{record.Traffic.Name}' points at '{target}', where the plan puts no copy of '{record.Traffic.Workload}'.", nameof(traffic));
                }
            }
        }
    }

    private static void CheckConsistent(FleetSpec spec, FleetPlan plan)
    {
        foreach (var name in spec.Clusters.Keys)
        {
            if (!plan.Clusters.ContainsKey(name))
            {
                throw new ArgumentException($"The plan has no entry for cluster '{name}'; plan and spec come from different stacks.", nameof(plan));
            }
        }

        foreach (var placement in plan.Placements.Values)
        {
            if (!spec.Workloads.ContainsKey(placement.Workload))
            {
                throw new ArgumentException($"The plan places workload '{placement.Workload}', which the spec does not declare.", nameof(plan));
            }

            foreach (var copy in placement.Copies)
            {
                if (!spec.Clusters.ContainsKey(copy.Cluster) || plan.Clusters[copy.Cluster].State != ClusterState.Active)
                {
                    throw new ArgumentException(
                        $"The plan puts a copy of '{placement.Workload}' on '{copy.Cluster}', which is not an active cluster of the plan.", nameof(plan));
                }
            }
        }
    }
}
