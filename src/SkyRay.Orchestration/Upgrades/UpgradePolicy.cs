using System.Collections.Immutable;
using System.Text.Json;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Traffic;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Upgrades;

/// <summary>What the upgrade policy did with one configured cluster on this run.</summary>
/// <param name="Cluster">The configured cluster name.</param>
/// <param name="Outcome">The step's outcome (<see cref="UpgradeOutcome.Done"/> once the clone stands for the cluster).</param>
/// <param name="State">The upgrade's state after this run.</param>
/// <param name="Reason">Plain words.</param>
public sealed record UpgradeDecision(string Cluster, UpgradeOutcome Outcome, UpgradeState State, string Reason);

/// <summary>The stack and plan to declare after upgrade decisions, with the decisions and the traffic records.</summary>
/// <param name="Spec">The stack as declared this run: an upgrading cluster appears as its old cluster (at the version it
/// runs) and its clone; a finished one under its clone's name.</param>
/// <param name="Plan">The plan to match: clone copies of the serving workloads added, names mapped.</param>
/// <param name="Decisions">One decision per cluster with an upgrade record, by configured name.</param>
/// <param name="States">The upgrade states to export (<see cref="FleetOutputs.Upgrades"/>), by configured name.</param>
/// <param name="Traffic">The traffic records with their targets for this run.</param>
public sealed record UpgradePlan(
    FleetSpec Spec,
    FleetPlan Plan,
    ImmutableSortedDictionary<string, UpgradeDecision> Decisions,
    ImmutableSortedDictionary<string, UpgradeState> States,
    ImmutableArray<TrafficRecordSpec> Traffic)
{
    /// <summary>Warnings about the upgrades (a configured version older than the one an upgrade is taking the cluster to: a downgrade).</summary>
    public ImmutableArray<Diagnostic> Warnings { get; init; } = [];

    /// <summary>
    /// One preview line per step taken or awaited: <c>~ upgrade main 1.31 → 1.32 (cloned, step 1 of 3): cloned main as main-1-32 …</c>.
    /// A finished upgrade logs nothing (the retire step said "upgrade done" once), so "run until no step is logged" ends.
    /// </summary>
    /// <returns>The lines, by cluster.</returns>
    public ImmutableArray<string> PreviewLines() =>
        [.. Decisions.Values.Where(d => d.Outcome != UpgradeOutcome.Done).Select(d =>
            $"~ upgrade {d.Cluster} {d.State.FromVersion} → {d.State.ToVersion} ({Word(d)}): {d.Reason}")];

    private static string Word(UpgradeDecision d) => d.Outcome switch
    {
        UpgradeOutcome.Advanced => d.State.Phase.ToString().ToLowerInvariant() + ", step " + (int)d.State.Phase + " of 3",
        UpgradeOutcome.Waiting => "waiting",
        UpgradeOutcome.Refused => "refused",
        _ => "done",
    };
}

/// <summary>
/// Drives clone-and-swap upgrades from config and the previous run's outputs, as a transformation of the plan (like
/// <c>StandbyPolicy</c>; the planner is untouched). When a clone-and-swap cluster's configured <c>kubernetesVersion</c>
/// differs from the version it runs (previous outputs <c>clusters.&lt;name&gt;.kubernetesVersion</c>), each run takes one step
/// of <see cref="CloneAndSwap"/>: run 1 clones (the clone at the new version, same pools and labels plus
/// <see cref="UpgradeOfLabel"/>, the cluster's RayServices duplicated onto it), run 2 swaps the traffic records to the clone,
/// run 3 retires the old cluster. Pure: everything comes from the arguments.
/// </summary>
/// <remarks>
/// Readiness: a RayService copy is Ready when the previous run declared it on a cluster that was active. The Pulumi adapter
/// declares every RayService with <c>pulumi.com/waitFor: condition=Ready</c>, so a run that succeeded (and so recorded its
/// outputs) has seen each one Ready. A run that failed while waiting records no new outputs: the next run sees the same
/// previous state and waits again. Readiness is not re-observed between runs; a RayService that lost readiness since is
/// only noticed by the next declaration.
/// </remarks>
public static class UpgradePolicy
{
    /// <summary>The label the clone carries: the name of the cluster it replaces.</summary>
    public const string UpgradeOfLabel = "skyray.io/upgrade-of";

    /// <summary>Applies the upgrade step of this run to a plan.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">The plan for this run (after the standby policy).</param>
    /// <param name="previous">The previous run's outputs (with <see cref="FleetOutputs.Upgrades"/>), or null on a first run.</param>
    /// <returns>What to declare.</returns>
    public static UpgradePlan Decide(FleetSpec spec, FleetPlan plan, FleetOutputs? previous) => Decide(spec, plan, previous, FleetView.None, null);

    /// <summary>Applies the upgrade step of this run to a plan, with what is observed.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">The plan for this run (after the standby policy).</param>
    /// <param name="previous">The previous run's outputs (with <see cref="FleetOutputs.Upgrades"/>), or null on a first run.</param>
    /// <param name="view">What is observed: RayServices Ready and serving on the clone (the swap waits for it) and the old cluster's
    /// Serve traffic (the retire step waits until it has drained). <see cref="FleetView.None"/> falls back to the previous run's
    /// declarations and says so.</param>
    /// <param name="now">The run's clock: the retire step waits the traffic record's TTL plus the retire margin after the swap; null
    /// skips that wait (callers that step upgrades without time).</param>
    /// <param name="draining">Clusters that take no new work (cordoned, lost): traffic records leave them as soon as another target
    /// serves; null for none.</param>
    /// <returns>What to declare.</returns>
    public static UpgradePlan Decide(FleetSpec spec, FleetPlan plan, FleetOutputs? previous, FleetView view, DateTimeOffset? now, IReadOnlySet<string>? draining = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(view);
        var prior = previous?.Upgrades ?? ImmutableSortedDictionary.Create<string, UpgradeState>(StringComparer.Ordinal);
        // Both looked up only when a cluster needs them (an upgrade under way or starting; a traffic record): most runs have neither.
        ServingStatus? readyKnown = null;
        ServingStatus Ready() => readyKnown ??= view.Observed ? ServingFromView(spec, view) : ReadyFromPrevious(spec, previous);
        var warnings = ImmutableArray.CreateBuilder<Diagnostic>();
        var work = new Working(spec.Clusters.ToBuilder(), plan.Clusters.ToBuilder(), plan.Placements.ToBuilder());
        var decisions = ImmutableSortedDictionary.CreateBuilder<string, UpgradeDecision>(StringComparer.Ordinal);
        var states = ImmutableSortedDictionary.CreateBuilder<string, UpgradeState>(StringComparer.Ordinal);
        Dictionary<string, ImmutableArray<string>>? servingByCluster = null;

        foreach (var cluster in spec.Clusters.Values)
        {
            if (!plan.Clusters.TryGetValue(cluster.Name, out var clusterPlan))
            {
                continue;
            }

            var before = prior.GetValueOrDefault(cluster.Name);
            ImmutableArray<string> Serving() => (servingByCluster ??= ServingByCluster(spec, plan)).GetValueOrDefault(cluster.Name, []);
            if (before is { Phase: not UpgradePhase.Retired })
            {
                var current = before with { ServingWorkloads = Serving() };
                var step = current.Phase == UpgradePhase.Swapped && RetireWait(spec, current, view, now) is { } wait
                    ? new UpgradeStep(UpgradeOutcome.Waiting, current, wait)
                    : CloneAndSwap.Advance(current, Ready());
                if (step.Outcome == UpgradeOutcome.Advanced && step.State.Phase == UpgradePhase.Swapped)
                {
                    step = step with { State = step.State with { SwappedAt = now } };
                }

                if (step.Outcome == UpgradeOutcome.Advanced && step.State.Phase == UpgradePhase.Retired)
                {
                    step = step with { Reason = step.Reason + "; upgrade done" };
                }

                if (step.Outcome == UpgradeOutcome.Waiting && current.Phase == UpgradePhase.Cloned && !view.Observed)
                {
                    step = step with { Reason = step.Reason + " (no observation: Ready is inferred from the previous run's declarations)" };
                }

                if (Versions.Older(cluster.KubernetesVersion, step.State.ToVersion))
                {
                    warnings.Add(Downgrade(cluster, step.State.ToVersion, $"an upgrade from {step.State.FromVersion} to {step.State.ToVersion} is under way: it finishes first, then a second clone and swap takes the cluster back to {cluster.KubernetesVersion}"));
                }

                var reason = cluster.KubernetesVersion == step.State.ToVersion
                    ? step.Reason
                    : $"{step.Reason} (kubernetesVersion is now {cluster.KubernetesVersion}; it applies once this upgrade to {step.State.ToVersion} is done)";
                Declare(work, cluster, clusterPlan, step.State, step.State.ToVersion);
                decisions[cluster.Name] = new UpgradeDecision(cluster.Name, step.Outcome, step.State, reason);
                states[cluster.Name] = step.State;
                continue;
            }

            var physical = before?.CloneCluster ?? cluster.Name;
            var running = previous?.Clusters.GetValueOrDefault(physical) is { State: "active" } o && o.KubernetesVersion.Length > 0 ? o.KubernetesVersion : null;
            var strategy = cluster.Upgrade ?? (spec.Traffic.Values.Any(t => Serving().Contains(t.Workload)) ? UpgradeStrategy.CloneAndSwap : UpgradeStrategy.InPlace);
            var starts = strategy == UpgradeStrategy.CloneAndSwap
                && cluster.Provider != CloudProvider.Existing
                && clusterPlan.State == ClusterState.Active
                && running is not null
                && running != cluster.KubernetesVersion;
            if (starts)
            {
                if (Versions.Older(cluster.KubernetesVersion, running!))
                {
                    warnings.Add(Downgrade(cluster, running!, $"{physical} runs {running}: this run starts a clone and swap to the older version"));
                }

                var start = CloneAndSwap.Start(cluster with { Name = physical, KubernetesVersion = running! }, cluster.KubernetesVersion, Serving());
                if (CloneProblem(start.CloneCluster, cluster, spec) is { } problem)
                {
                    // Never fall back to an in-place upgrade of a cluster configured for clone and swap: it keeps its version.
                    Rename(work, cluster, clusterPlan, physical, running!);
                    decisions[cluster.Name] = new UpgradeDecision(cluster.Name, UpgradeOutcome.Refused, start, $"refused: the clone cannot be named {start.CloneCluster}: {problem}; {physical} stays at {running}");
                    if (before is not null)
                    {
                        states[cluster.Name] = before;
                    }

                    continue;
                }

                var step = CloneAndSwap.Advance(start, Ready());
                Declare(work, cluster, clusterPlan, step.State, step.State.ToVersion);
                decisions[cluster.Name] = new UpgradeDecision(cluster.Name, step.Outcome, step.State, step.Reason);
                states[cluster.Name] = step.State;
                continue;
            }

            if (before is not null)
            {
                // Finished earlier: the clone stands for the configured cluster from now on.
                Rename(work, cluster, clusterPlan, before.CloneCluster, cluster.KubernetesVersion);
                states[cluster.Name] = before;
                if (before.ToVersion == cluster.KubernetesVersion)
                {
                    decisions[cluster.Name] = new UpgradeDecision(cluster.Name, UpgradeOutcome.Done, before, $"{before.CloneCluster} serves as {cluster.Name} at {before.ToVersion}");
                }
            }
        }

        var newSpec = spec with { Clusters = work.Clusters.ToImmutable() };
        var newPlan = plan with
        {
            Clusters = work.Plans.ToImmutable(),
            Placements = work.Placements.ToImmutable(),
        };
        var finalStates = states.ToImmutable();
        return new UpgradePlan(newSpec, newPlan, decisions.ToImmutable(), finalStates, TrafficRouting.Decide(newSpec, newPlan, previous, finalStates, view, draining))
        {
            Warnings = warnings.ToImmutable(),
        };
    }

    /// <summary>Which RayService copies serve where, as observed: Ready, with serve endpoints and a load balancer address.</summary>
    /// <param name="spec">The stack (which workloads are RayServices).</param>
    /// <param name="view">The observation.</param>
    /// <returns>The status by physical cluster.</returns>
    public static ServingStatus ServingFromView(FleetSpec spec, FleetView view)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(view);
        var ready = ImmutableSortedDictionary.CreateBuilder<string, ImmutableSortedSet<string>>(StringComparer.Ordinal);
        foreach (var cluster in view.Observation?.Clusters.Keys ?? [])
        {
            var serving = spec.Workloads.Values.Where(w => w.Kind == RayKind.RayService && view.Copy(w, cluster).Serving).Select(w => w.Name).ToImmutableSortedSet(StringComparer.Ordinal);
            if (!serving.IsEmpty)
            {
                ready[cluster] = serving;
            }
        }

        return new ServingStatus(ready.ToImmutable());
    }

    /// <summary>Why the retire step must wait, or null when it may go: the record has pointed at the clone for its TTL plus the retire
    /// margin, and the old cluster's Serve traffic is observed drained (without an observation, drained is assumed and said).</summary>
    private static string? RetireWait(FleetSpec spec, UpgradeState state, FleetView view, DateTimeOffset? now)
    {
        if (now is not { } clock)
        {
            return null;
        }

        var ttl = TimeSpan.FromSeconds(spec.Traffic.Values.Where(t => state.ServingWorkloads.Contains(t.Workload)).Select(t => t.Dns.Ttl).DefaultIfEmpty(0).Max());
        var swapped = state.SwappedAt ?? clock;
        var until = swapped + ttl + spec.Operations.RetireMargin;
        if (clock < until)
        {
            return $"retire waits until {Observations.ObservationJson.Time(until)}: the traffic record has pointed at {state.CloneCluster} since {Observations.ObservationJson.Time(swapped)}" +
                $"{(state.SwappedAt is null ? " (the swap time was not recorded; counted from now)" : string.Empty)}, and clients may keep the old address for its TTL ({ttl.TotalSeconds:0}s) plus the retire margin ({spec.Operations.RetireMargin})";
        }

        if (!view.Observed)
        {
            return null;
        }

        var busy = new List<string>();
        foreach (var name in state.ServingWorkloads)
        {
            if (!spec.Workloads.TryGetValue(name, out var workload))
            {
                continue;
            }

            var copy = view.Copy(workload, state.Cluster);
            if (copy.State == CopyState.Absent)
            {
                continue;
            }

            if (copy.Seen?.OngoingRequests is not { } ongoing)
            {
                busy.Add($"{name} (its Serve traffic on {state.Cluster} cannot be observed: the identity needs 'get' on pods/proxy)");
            }
            else if (ongoing > 0)
            {
                busy.Add($"{name} ({ongoing} request(s) in flight on {state.Cluster})");
            }
        }

        return busy.Count == 0 ? null : $"retire waits for {state.Cluster}'s Serve traffic to drain: {string.Join("; ", busy)}";
    }

    private static Diagnostic Downgrade(ClusterSpec cluster, string newer, string what) => new(
        Severity.Warning,
        $"skyray:clusters.{cluster.Name}.kubernetesVersion",
        $"\"{cluster.KubernetesVersion}\" is older than {newer}: a downgrade. {what}. Kubernetes cannot downgrade a cluster in place, so a downgrade is a new cluster at " +
        $"{cluster.KubernetesVersion} that takes over the workloads and the traffic record, and workloads that rely on APIs of {newer} break there",
        $"to stay on {newer}, set kubernetesVersion back to \"{newer}\"");

    /// <summary>Which RayService copies are Ready where: the copies the previous run declared on clusters that were active.</summary>
    /// <param name="spec">The stack (which workloads are RayServices).</param>
    /// <param name="previous">The previous outputs, or null.</param>
    /// <returns>The status; empty on a first run or when the previous placements cannot be read.</returns>
    public static ServingStatus ReadyFromPrevious(FleetSpec spec, FleetOutputs? previous)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var ready = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var before = previous?.PlacementsPlanOrRead();
        foreach (var placement in before?.Placements?.Values ?? [])
        {
            if (!spec.Workloads.TryGetValue(placement.Workload, out var workload) || workload.Kind != RayKind.RayService || placement.Copies.IsDefault)
            {
                continue;
            }

            foreach (var copy in placement.Copies.Where(c => previous!.Clusters.GetValueOrDefault(c.Cluster)?.State == "active"))
            {
                if (!ready.TryGetValue(copy.Cluster, out var names))
                {
                    names = new SortedSet<string>(StringComparer.Ordinal);
                    ready[copy.Cluster] = names;
                }

                names.Add(placement.Workload);
            }
        }

        return new ServingStatus(ready.ToImmutableSortedDictionary(p => p.Key, p => p.Value.ToImmutableSortedSet(StringComparer.Ordinal), StringComparer.Ordinal));
    }

    /// <summary>
    /// The previous outputs under configured cluster names, for the planner's stickiness and the standby clock, which
    /// know clusters by their configured names: a cluster's entry is taken from the cluster that stood for it (its clone
    /// once retired, its old cluster while upgrading) when the configured name itself has none.
    /// </summary>
    /// <param name="previous">The previous outputs (physical names), or null.</param>
    /// <returns>The outputs with cluster entries and placements under configured names.</returns>
    public static FleetOutputs? ConfiguredView(FleetOutputs? previous)
    {
        if (previous is null || previous.Upgrades.IsEmpty)
        {
            return previous;
        }

        var clusters = previous.Clusters.ToBuilder();
        foreach (var (configured, state) in previous.Upgrades)
        {
            var physical = state.Phase == UpgradePhase.Retired ? state.CloneCluster : state.Cluster;
            if (physical != configured && previous.Clusters.TryGetValue(physical, out var output))
            {
                clusters[configured] = output;
            }
        }

        if (previous.PlacementsPlan is { } kept)
        {
            // Kept as a plan (outputs read back in this process): mapped as the text would be. A mapped plan whose text would not
            // read back as the same data is kept as that text instead, so the readers see what they would have parsed.
            var view = ConfiguredView(kept, previous.Upgrades) is { Clusters: not null } keptMapped ? keptMapped : kept;
            var viewed = PlanJson.ReadsBackTheSame(view)
                ? previous with { PlacementsPlan = view }
                : previous with { PlacementsPlan = null, Placements = PlanJson.Write(view) };
            return viewed with { Clusters = clusters.ToImmutable() };
        }

        var placements = previous.Placements;
        if (!string.IsNullOrWhiteSpace(placements))
        {
            try
            {
                if (ConfiguredView(PlanJson.ReadShared(placements), previous.Upgrades) is { Clusters: not null } mapped)
                {
                    placements = PlanJson.Write(mapped);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
            {
                // Not a whole plan (an older, simpler shape): left as it is.
            }
        }

        return previous with { Clusters = clusters.ToImmutable(), Placements = placements };
    }

    /// <summary>A previous plan with every cluster of an upgrade (old, clone) renamed to its configured name, copies deduplicated.</summary>
    /// <param name="plan">The previous plan, or null.</param>
    /// <param name="upgrades">The previous upgrade states.</param>
    /// <returns>The plan under configured names.</returns>
    public static FleetPlan? ConfiguredView(FleetPlan? plan, IReadOnlyDictionary<string, UpgradeState> upgrades)
    {
        ArgumentNullException.ThrowIfNull(upgrades);
        if (plan?.Placements is null || upgrades.Count == 0)
        {
            return plan;
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (configured, state) in upgrades)
        {
            names[state.Cluster] = configured;
            names[state.CloneCluster] = configured;
        }

        string Configured(string cluster) => names.GetValueOrDefault(cluster, cluster);
        var placements = plan.Placements.ToImmutableSortedDictionary(
            p => p.Key,
            p => p.Value.Copies.IsDefault ? p.Value : p.Value with
            {
                Copies = [.. p.Value.Copies.Select(c => c with { Cluster = Configured(c.Cluster) }).DistinctBy(c => c.Cluster, StringComparer.Ordinal).OrderBy(c => c.Cluster, StringComparer.Ordinal)],
            },
            StringComparer.Ordinal);
        var clusters = plan.Clusters is null ? plan.Clusters : plan.Clusters.Values
            .GroupBy(c => Configured(c.Cluster), StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.First() with { Cluster = g.Key }, StringComparer.Ordinal);
        return plan with { Placements = placements, Clusters = clusters! };
    }

    private sealed record Working(
        ImmutableSortedDictionary<string, ClusterSpec>.Builder Clusters,
        ImmutableSortedDictionary<string, ClusterPlan>.Builder Plans,
        ImmutableSortedDictionary<string, WorkloadPlacement>.Builder Placements);

    /// <summary>Per cluster, the RayServices with a copy there, sorted; one pass over the placements.</summary>
    private static Dictionary<string, ImmutableArray<string>> ServingByCluster(FleetSpec spec, FleetPlan plan) =>
        plan.Placements.Values
            .Where(p => spec.Workloads.TryGetValue(p.Workload, out var w) && w.Kind == RayKind.RayService)
            .SelectMany(p => p.Copies.Select(c => (c.Cluster, p.Workload)))
            .GroupBy(c => c.Cluster, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Workload).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal);

    private static string? CloneProblem(string clone, ClusterSpec cluster, FleetSpec spec)
    {
        if (KubernetesNames.CheckDnsLabel(clone) is { } problem)
        {
            return problem;
        }

        if (cluster.Provider == CloudProvider.Gcp && clone.Length > 40)
        {
            return "GKE cluster names have at most 40 characters; shorten the cluster's name";
        }

        return spec.Clusters.ContainsKey(clone) ? "a cluster of that name is declared in skyray:clusters; rename one of them" : null;
    }

    /// <summary>Declares an upgrade in its phase: old and clone while both live, the clone alone once retired.</summary>
    private static void Declare(Working work, ClusterSpec cluster, ClusterPlan clusterPlan, UpgradeState state, string toVersion)
    {
        if (state.Phase == UpgradePhase.Retired)
        {
            Rename(work, cluster, clusterPlan, state.CloneCluster, toVersion);
            return;
        }

        var old = cluster with
        {
            Name = state.Cluster,
            KubernetesVersion = state.FromVersion,
            Labels = cluster.Labels.SetItem(CloneAndSwap.UpgradeLabel, state.ToVersion),
        };
        var clone = cluster with
        {
            Name = state.CloneCluster,
            KubernetesVersion = state.ToVersion,
            Labels = cluster.Labels.SetItem(UpgradeOfLabel, state.Cluster),
        };
        work.Clusters.Remove(cluster.Name);
        work.Clusters[old.Name] = old;
        work.Clusters[clone.Name] = clone;
        work.Plans.Remove(cluster.Name);
        work.Plans[old.Name] = PlanFor(clusterPlan, old, clusterPlan.Workloads, clusterPlan.Reason);
        work.Plans[clone.Name] = PlanFor(clusterPlan, clone, state.ServingWorkloads, $"clone of {state.Cluster} at {state.ToVersion}, serving {string.Join(", ", state.ServingWorkloads)}");
        foreach (var placement in work.Placements.Values.ToList())
        {
            var copies = placement.Copies.Select(c => c.Cluster == cluster.Name ? c with { Cluster = old.Name } : c).ToList();
            if (state.ServingWorkloads.Contains(placement.Workload))
            {
                copies.AddRange(copies.Where(c => c.Cluster == old.Name).Select(c => c with { Cluster = clone.Name }).ToList());
            }

            work.Placements[placement.Workload] = placement with { Copies = [.. copies.OrderBy(c => c.Cluster, StringComparer.Ordinal)] };
        }
    }

    /// <summary>Declares the configured cluster under another name and version (the clone that replaced it).</summary>
    private static void Rename(Working work, ClusterSpec cluster, ClusterPlan clusterPlan, string name, string version)
    {
        if (name == cluster.Name && version == cluster.KubernetesVersion)
        {
            return;
        }

        var renamed = cluster with { Name = name, KubernetesVersion = version };
        work.Clusters.Remove(cluster.Name);
        work.Clusters[name] = renamed;
        work.Plans.Remove(cluster.Name);
        work.Plans[name] = PlanFor(clusterPlan, renamed, clusterPlan.Workloads, clusterPlan.Reason);
        foreach (var placement in work.Placements.Values.ToList())
        {
            if (placement.Copies.Any(c => c.Cluster == cluster.Name))
            {
                work.Placements[placement.Workload] = placement with
                {
                    Copies = [.. placement.Copies.Select(c => c.Cluster == cluster.Name ? c with { Cluster = name } : c).OrderBy(c => c.Cluster, StringComparer.Ordinal)],
                };
            }
        }
    }

    private static ClusterPlan PlanFor(ClusterPlan plan, ClusterSpec cluster, ImmutableArray<string> workloads, string reason)
    {
        var labels = plan.Labels.SetItems(cluster.Labels)
            .SetItem(WellKnownLabels.ClusterName, cluster.Name)
            .SetItem(WellKnownLabels.KubernetesVersion, cluster.KubernetesVersion);
        return plan with { Cluster = cluster.Name, Labels = labels, Workloads = workloads, Reason = reason };
    }
}
