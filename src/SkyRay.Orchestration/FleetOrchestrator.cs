using System.Collections.Immutable;
using SkyRay.Fleet.Collections;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Namespaces;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Releases;
using SkyRay.Orchestration.Runs;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration;

/// <summary>
/// Walks a decided run (<see cref="RunPlan"/>, from <see cref="RunPlanner.Plan"/>) and declares it through ports. Every decision
/// is already made; the walk only maps it onto port calls, in a fixed order: clusters by name (provision → connect → the
/// workload namespaces of an active cluster → releases in their order → the cluster's other objects), then workloads by name (per
/// copy, by cluster: the objects that go with it, then the Ray object, after the KubeRay operator and its namespace), then
/// the traffic records, then the outputs, exported once.
/// </summary>
/// <remarks>
/// Cluster states map onto ports like this:
/// <list type="bullet">
/// <item><see cref="ClusterState.Active"/>: provisioned (unless existing), connected, releases installed, workload
/// namespaces declared (<see cref="WorkloadNamespaces"/>, when the ports have a namespace applier), objects and workloads applied.</item>
/// <item><see cref="ClusterState.Standby"/> (suspend): provisioned with the plan's pools, which are at zero; connected and
/// the releases kept (not awaited: nothing can schedule), so a suspend/wake cycle changes node counts only and never
/// uninstalls the operator or its CRDs. No workloads (the plan places none there).</item>
/// <item><see cref="ClusterState.Absent"/> (dynamic with no work, or delete-recreate standby): no port call at all.</item>
/// </list>
/// Existing clusters are never provisioned, whatever their state; they are connected through their kubeconfig.
/// </remarks>
public static class FleetOrchestrator
{
    /// <summary>Declares a run through ports.</summary>
    /// <param name="run">The decided run.</param>
    /// <param name="ports">The adapter's ports.</param>
    /// <param name="rendering">Rendering functions; null for <see cref="FleetRendering.Default"/>.</param>
    /// <returns>What was declared.</returns>
    /// <exception cref="ArgumentException">The run is inconsistent (a copy targets a cluster that is not active, a traffic record
    /// targets a cluster without a copy of its RayService, a release comes after one the cluster does not have) or it carries
    /// errors. This is a programming error, not a user mistake: <see cref="RunPlanner"/> never makes such a run.</exception>
    public static FleetRun Run(RunPlan run, FleetPorts ports, FleetRendering? rendering = null) =>
        Walk(run, ports, rendering, keepRendered: true)!;

    /// <summary>
    /// Declares a run through ports like <see cref="Run"/>, making the same calls in the same order, but keeps nothing it
    /// declared: for callers that discard <see cref="Run"/>'s result (the recording adapter, a Pulumi program), so each rendered
    /// object can be collected once its port has it instead of living until the walk ends (at 33,506 resources the kept
    /// objects were most of the walk's peak working set).
    /// </summary>
    /// <param name="run">The decided run.</param>
    /// <param name="ports">The adapter's ports.</param>
    /// <param name="rendering">Rendering functions; null for <see cref="FleetRendering.Default"/>.</param>
    /// <exception cref="ArgumentException">As <see cref="Run"/>.</exception>
    public static void Declare(RunPlan run, FleetPorts ports, FleetRendering? rendering = null) =>
        Walk(run, ports, rendering, keepRendered: false);

    private static FleetRun? Walk(RunPlan run, FleetPorts ports, FleetRendering? rendering, bool keepRendered)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(ports);
        if (!run.Ok)
        {
            throw new ArgumentException($"The run has errors and cannot be declared: {string.Join("; ", run.Diagnostics.Where(d => d.Severity == Fleet.Diagnostics.Severity.Error))}", nameof(run));
        }

        rendering ??= FleetRendering.Default;
        var (spec, plan) = (run.Spec, run.Plan);
        var placed = CheckConsistent(spec, plan);
        CheckTraffic(plan, run.Traffic);
        // Finished jobs seen finished this run: declared once more on a live cluster, unless the plan places them there anyway.
        var retained = run.Jobs.Retained
            .Where(c => spec.Workloads.ContainsKey(c.Workload) && plan.Clusters.GetValueOrDefault(c.Cluster)?.State is ClusterState.Active or ClusterState.Standby)
            .Where(c => !(plan.Placements.GetValueOrDefault(c.Workload)?.Copies.Any(p => p.Cluster == c.Cluster) ?? false))
            .OrderBy(c => c.Workload, StringComparer.Ordinal).ThenBy(c => c.Cluster, StringComparer.Ordinal)
            .ToList();
        // The namespace of every copy, by cluster: the workload looked up once per placement, not once per copy.
        var namespacesByCluster = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (placement, workloadSpec) in placed)
        {
            var workloadNamespace = workloadSpec.Namespace;
            foreach (var copy in placement.Copies)
            {
                if (!namespacesByCluster.TryGetValue(copy.Cluster, out var list))
                {
                    namespacesByCluster[copy.Cluster] = list = [];
                }

                list.Add(workloadNamespace);
            }
        }

        var podSecurity = WorkloadNamespaces.Levels(placed);

        var clusters = ImmutableSortedDictionary.CreateBuilder<string, DeployedCluster>(StringComparer.Ordinal);
        var namespaces = ImmutableArray.CreateBuilder<DeployedNamespace>();
        var objects = ImmutableArray.CreateBuilder<DeployedObject>();
        var namespaceHandles = new Dictionary<(string Cluster, string Namespace), IPortHandle>();
        var namespaceObjects = new Dictionary<(string Cluster, string Namespace), List<IPortHandle>>();
        foreach (var cluster in spec.Clusters.Values)
        {
            var clusterPlan = plan.Clusters[cluster.Name];
            if (clusterPlan.State == ClusterState.Absent)
            {
                continue;
            }

            var provisioned = cluster.Provider == CloudProvider.Existing
                ? null
                : ports.Provisioner.Provision(new ClusterProvisionSpec(cluster, clusterPlan, run.Autoscaling.GetValueOrDefault(cluster.Name)));
            // The plain call unless the connection needs options, so adapters that predate them see no difference.
            var options = run.ConnectionFor(cluster.Name);
            var connection = options == ConnectionOptions.Reachable
                ? ports.Connector.Connect(cluster, provisioned)
                : ports.Connector.Connect(cluster, provisioned, options);
            var clusterReleases = rendering.Releases(spec, cluster, clusterPlan);
            var operatorNamespace = clusterReleases.FirstOrDefault(r => r.Key == OperatorReleaseBuilder.Key)?.Namespace ?? spec.KubeRay.Namespace;
            var clusterNamespaces = new List<IPortHandle>();
            if (ports.Namespaces is { } namespaceApplier && clusterPlan.State == ClusterState.Active)
            {
                // Declared before the cluster's releases: a namespaced KubeRay operator's chart puts a Role in each namespace it
                // watches, and every object and workload in them comes later still.
                var names = (namespacesByCluster.GetValueOrDefault(cluster.Name) ?? [])
                    .Concat(retained.Where(c => c.Cluster == cluster.Name).Select(c => spec.Workloads[c.Workload].Namespace))
                    .Where(ns => WorkloadNamespaces.IsCreated(ns, operatorNamespace))
                    .ToImmutableSortedSet(StringComparer.Ordinal);
                foreach (var name in names)
                {
                    var rendered = WorkloadNamespaces.Manifest(name, podSecurity.GetValueOrDefault((cluster.Name, name), PodSecurityLevel.Restricted));
                    var handle = namespaceApplier.Apply(connection, rendered);
                    namespaceHandles[(cluster.Name, name)] = handle;
                    if (keepRendered)
                    {
                        namespaces.Add(new DeployedNamespace(name, cluster.Name, rendered, handle));
                    }

                    clusterNamespaces.Add(handle);
                }
            }

            var releases = InstallReleases(ports.Releases, connection, cluster, clusterReleases, clusterNamespaces);
            var kubeRay = releases.FirstOrDefault(r => r.Release.Key == OperatorReleaseBuilder.Key)
                ?? throw new ArgumentException($"The releases of cluster '{cluster.Name}' have no KubeRay operator (key '{OperatorReleaseBuilder.Key}').", nameof(rendering));
            clusters[cluster.Name] = new DeployedCluster(cluster.Name, clusterPlan.State, provisioned, connection, kubeRay.Handle, kubeRay.Release) { Releases = releases };

            IReadOnlyList<IPortHandle> afterReleases = [.. releases.Select(r => r.Handle)];

            foreach (var kubeObject in rendering.ClusterObjects(spec, cluster, clusterPlan))
            {
                var after = After(afterReleases, namespaceHandles.GetValueOrDefault((cluster.Name, kubeObject.Namespace)));
                var handle = ports.Objects.Apply(connection, kubeObject, after);
                if (keepRendered)
                {
                    objects.Add(new DeployedObject(cluster.Name, null, kubeObject, handle));
                }

                if (kubeObject.Namespace.Length > 0)
                {
                    // A namespaced cluster object (a LocalQueue) is there for the workloads of its namespace: they come after it.
                    Add(namespaceObjects, (cluster.Name, kubeObject.Namespace), handle);
                }
            }
        }

        var workloads = ImmutableArray.CreateBuilder<DeployedWorkload>();
        // The handles the traffic records point at: serving copies, not retained records.
        var byCopy = ports.Traffic is null ? null : new Dictionary<(string Workload, string Cluster), IPortHandle>();
        // What every copy on a cluster shares, looked up once per cluster instead of once per copy.
        var copyClusters = new Dictionary<string, CopyCluster>(StringComparer.Ordinal);
        foreach (var (placement, workload) in placed)
        {
            foreach (var copy in placement.Copies.Length <= 1 ? placement.Copies.AsEnumerable() : placement.Copies.OrderBy(c => c.Cluster, StringComparer.Ordinal))
            {
                if (!copyClusters.TryGetValue(copy.Cluster, out var on))
                {
                    var deployedCluster = clusters[copy.Cluster];
                    var clusterSpec = spec.Clusters[copy.Cluster];
                    copyClusters[copy.Cluster] = on = new CopyCluster(
                        deployedCluster,
                        clusterSpec,
                        ClusterReleases.CanSchedule(clusterSpec, plan.Clusters[copy.Cluster]) && !run.ConnectionFor(copy.Cluster).SkipUnreachableUpdates,
                        [.. ReleasesOperatorFirst(deployedCluster)]);
                }

                var deployed = on.Deployed;
                var target = new WorkloadTarget(workload, on.Spec, copy, placement.Policy) { Fleet = spec, Await = on.Await };
                var namespaceHandle = namespaceHandles.GetValueOrDefault((copy.Cluster, workload.Namespace));
                var rendered = rendering.Workload(target);
                var companions = new List<IPortHandle>();
                foreach (var companion in rendering.Companions(target, rendered))
                {
                    var handle = ports.Objects.Apply(deployed.Connection, companion, After([deployed.Operator], namespaceHandle));
                    if (keepRendered)
                    {
                        objects.Add(new DeployedObject(copy.Cluster, workload.Name, companion, handle));
                    }

                    companions.Add(handle);
                }

                // After every release of the cluster (the operator first; an admission webhook such as Kueue's must answer the
                // create), its namespace, the cluster's objects in that namespace (its LocalQueue) and its own objects.
                var applied = ports.Workloads.Apply(
                    deployed.Connection,
                    rendered,
                    [.. After(on.ReleasesOperatorFirst, namespaceHandle), .. namespaceObjects.GetValueOrDefault((copy.Cluster, workload.Namespace)) ?? [], .. companions]);
                byCopy?.Add((workload.Name, copy.Cluster), applied);
                if (keepRendered)
                {
                    workloads.Add(new DeployedWorkload(workload.Name, copy.Cluster, rendered, applied));
                }
            }
        }

        foreach (var copy in retained)
        {
            var workload = spec.Workloads[copy.Workload];
            var deployed = clusters[copy.Cluster];
            var target = new WorkloadTarget(workload, spec.Clusters[copy.Cluster], copy, plan.Placements.GetValueOrDefault(copy.Workload)?.Policy ?? workload.Policy) { Fleet = spec, Await = false };
            var namespaceHandle = namespaceHandles.GetValueOrDefault((copy.Cluster, workload.Namespace));
            var rendered = rendering.Workload(target);
            var applied = ports.Workloads.Apply(deployed.Connection, rendered, After([deployed.Operator], namespaceHandle), new WorkloadDeclaration(Retain: true));
            if (keepRendered)
            {
                workloads.Add(new DeployedWorkload(workload.Name, copy.Cluster, rendered, applied) { Retained = true });
            }
        }

        // Records last: each points at serving workloads declared above, after the RayService it depends on is Ready.
        var switched = ImmutableArray.CreateBuilder<DeployedTraffic>();
        if (ports.Traffic is { } trafficSwitch && byCopy is not null)
        {
            foreach (var record in run.Traffic.OrderBy(r => r.Traffic.Name, StringComparer.Ordinal))
            {
                var serving = record.Targets.Select(t => byCopy.GetValueOrDefault((record.Traffic.Workload, t))).OfType<IPortHandle>().ToList();
                switched.Add(new DeployedTraffic(record, trafficSwitch.Point(record, serving)));
            }
        }

        ports.Outputs.Export(run.Outputs);
        return !keepRendered ? null : new FleetRun(clusters.ToImmutable(), workloads.ToImmutable(), run.Outputs)
        {
            Namespaces = namespaces.ToImmutable(),
            Objects = objects.ToImmutable(),
            Traffic = switched.ToImmutable(),
        };
    }

    private static ImmutableArray<DeployedRelease> InstallReleases(
        IReleaseInstaller installer, IPortHandle connection, ClusterSpec cluster, ImmutableArray<HelmRelease> releases, IReadOnlyList<IPortHandle> namespaces)
    {
        var installed = new Dictionary<string, IPortHandle>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<DeployedRelease>(releases.Length);
        foreach (var release in releases)
        {
            var after = new List<IPortHandle>(namespaces);
            foreach (var key in release.After)
            {
                after.Add(installed.GetValueOrDefault(key)
                    ?? throw new ArgumentException($"Release '{release.Key}' of cluster '{cluster.Name}' comes after '{key}', which is not installed before it.", nameof(releases)));
            }

            if (installed.ContainsKey(release.Key))
            {
                throw new ArgumentException($"Cluster '{cluster.Name}' has two releases with the key '{release.Key}'.", nameof(releases));
            }

            var handle = installer.Install(connection, release, after);
            installed[release.Key] = handle;
            result.Add(new DeployedRelease(release, handle));
        }

        return result.MoveToImmutable();
    }

    /// <summary>A live cluster as its workload copies see it.</summary>
    private sealed record CopyCluster(DeployedCluster Deployed, ClusterSpec Spec, bool Await, IReadOnlyList<IPortHandle> ReleasesOperatorFirst);

    private static IEnumerable<IPortHandle> ReleasesOperatorFirst(DeployedCluster deployed) =>
        [deployed.Operator, .. deployed.Releases.Select(r => r.Handle).Where(h => !ReferenceEquals(h, deployed.Operator))];

    private static void Add<TKey>(Dictionary<TKey, List<IPortHandle>> map, TKey key, IPortHandle handle)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(handle);
    }

    private static IReadOnlyList<IPortHandle> After(IEnumerable<IPortHandle> first, IPortHandle? then) =>
        then is null ? [.. first] : [.. first, then];

    private static void CheckTraffic(FleetPlan plan, IReadOnlyList<TrafficRecordSpec> traffic)
    {
        foreach (var record in traffic.Where(r => !r.Held))
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

    /// <summary>
    /// Throws when the plan and the spec come from different stacks; returns each placement with its workload's spec, in name
    /// order. Both maps are sorted by ordinal name, so they are walked side by side: a sorted-dictionary lookup per
    /// placement is O(log n) string comparisons (20,000 workloads: about 15, on the walk's path twice per placement).
    /// </summary>
    private static List<(WorkloadPlacement Placement, WorkloadSpec Workload)> CheckConsistent(FleetSpec spec, FleetPlan plan)
    {
        foreach (var name in spec.Clusters.Keys)
        {
            if (!plan.Clusters.ContainsKey(name))
            {
                throw new ArgumentException($"The plan has no entry for cluster '{name}'; plan and spec come from different stacks.", nameof(plan));
            }
        }

        var placed = new List<(WorkloadPlacement, WorkloadSpec)>(plan.Placements.Count);
        // A placement under its own workload's name is found walking the declared workloads beside the placements.
        using var declared = new InOrderLookup<WorkloadSpec>(spec.Workloads, ReferenceEquals(plan.Placements.KeyComparer, StringComparer.Ordinal));
        foreach (var (name, placement) in plan.Placements)
        {
            var workload = string.Equals(placement.Workload, name, StringComparison.Ordinal)
                ? declared.Find(name)
                : spec.Workloads.GetValueOrDefault(placement.Workload);
            if (workload is null)
            {
                throw new ArgumentException($"The plan places workload '{placement.Workload}', which the spec does not declare.", nameof(plan));
            }

            placed.Add((placement, workload));

            foreach (var copy in placement.Copies)
            {
                if (!spec.Clusters.ContainsKey(copy.Cluster) || plan.Clusters[copy.Cluster].State != ClusterState.Active)
                {
                    throw new ArgumentException(
                        $"The plan puts a copy of '{placement.Workload}' on '{copy.Cluster}', which is not an active cluster of the plan.", nameof(plan));
                }
            }
        }

        return placed;
    }
}
