using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Kueue;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Releases;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Queues;

/// <summary>What a run does with Kueue on one cluster whose settings enable it.</summary>
public enum KueueAction
{
    /// <summary>The cluster has a node for Kueue's controller: its release (awaited) and queue objects are declared.</summary>
    Declared,

    /// <summary>
    /// No node this run (standby, or idle at zero nodes), but the previous run declared Kueue here: the release and the queue objects
    /// stay declared as they were (the release not awaited), so nothing is uninstalled while the cluster sleeps and admission resumes
    /// on wake.
    /// </summary>
    Kept,

    /// <summary>
    /// No node this run and Kueue never declared here: Kueue's admission webhooks fail closed and answer only while its controller
    /// runs, so creating the ClusterQueue and flavors now would fail the run. Kueue comes with the cluster's first node.
    /// </summary>
    Deferred,
}

/// <summary>The Kueue decision of one cluster.</summary>
/// <param name="Cluster">Cluster name (as declared this run).</param>
/// <param name="Action">What the run does.</param>
/// <param name="Reason">Plain words.</param>
/// <param name="Fingerprint">A fingerprint of the cluster's ResourceFlavors and ClusterQueue as this run declares them (the objects
/// Kueue's webhooks validate on every change), written to the <c>queues</c> output; empty when deferred.</param>
public sealed record KueueDecision(string Cluster, KueueAction Action, string Reason, string Fingerprint = "");

/// <summary>The stack to declare after the Kueue decisions, and the decisions.</summary>
/// <param name="Spec">The stack as declared: a cluster whose Kueue is deferred appears with Kueue off this run.</param>
/// <param name="Decisions">One decision per live cluster whose settings enable Kueue, by name.</param>
public sealed record KueueRollout(FleetSpec Spec, ImmutableSortedDictionary<string, KueueDecision> Decisions)
{
    /// <summary>Warnings of the rollout: a sleeping cluster whose queue objects change this run (Kueue's webhooks cannot validate the
    /// change without a node, so the update fails on them).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>The <c>queues</c> output this run writes: every cluster whose Kueue objects are declared, with the fingerprint of its
    /// flavors and ClusterQueue.</summary>
    public ImmutableSortedDictionary<string, string> Queues =>
        Decisions.Values
            .Where(d => d.Action != KueueAction.Deferred)
            .ToImmutableSortedDictionary(d => d.Cluster, d => d.Fingerprint, StringComparer.Ordinal);

    /// <summary>The run's Kueue steps worth a line: deferrals (<c>~ kueue gpu: …</c>).</summary>
    /// <returns>The lines, by cluster.</returns>
    public IEnumerable<string> StepLines() =>
        Decisions.Values.Where(d => d.Action == KueueAction.Deferred).Select(d => $"~ kueue {d.Cluster}: {d.Reason}");

    /// <summary>
    /// Decides, per live cluster that enables Kueue, whether this run declares it. Declared where a node can run Kueue's controller
    /// (<see cref="ClusterReleases.CanSchedule"/>); kept where the previous run declared it (its <c>queues</c> output); deferred
    /// otherwise. When the previous <c>queues</c> output could not be read, a cluster that was live last run counts as declared: keeping
    /// objects that turn out not to exist fails a create, while dropping ones that do would uninstall Kueue from a sleeping cluster.
    /// </summary>
    /// <param name="spec">The stack as declared this run.</param>
    /// <param name="plan">The plan to declare.</param>
    /// <param name="previous">The previous run's outputs, or null for a first run.</param>
    /// <returns>The rollout.</returns>
    public static KueueRollout Decide(FleetSpec spec, FleetPlan plan, FleetOutputs? previous)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var decisions = ImmutableSortedDictionary.CreateBuilder<string, KueueDecision>(StringComparer.Ordinal);
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var clusters = spec.Clusters.ToBuilder();
        foreach (var cluster in spec.Clusters.Values)
        {
            if (!cluster.Kueue.Enabled || !plan.Clusters.TryGetValue(cluster.Name, out var clusterPlan) || clusterPlan.State == ClusterState.Absent)
            {
                continue;
            }

            var fingerprint = Fingerprint(spec, cluster, clusterPlan);
            if (ClusterReleases.CanSchedule(cluster, clusterPlan))
            {
                decisions[cluster.Name] = new KueueDecision(cluster.Name, KueueAction.Declared, "a node can run Kueue's controller; the run waits for it", fingerprint);
            }
            else if (DeclaredBefore(cluster.Name, previous))
            {
                decisions[cluster.Name] = new KueueDecision(cluster.Name, KueueAction.Kept, "no node this run; Kueue and its queues stay as declared, admission resumes on wake", fingerprint);
                if (previous?.Queues?.GetValueOrDefault(cluster.Name) is { } before && IsFingerprint(before) && before != fingerprint)
                {
                    diagnostics.Add(new Diagnostic(
                        Severity.Warning,
                        $"skyray:clusters.{cluster.Name}.kueue",
                        $"the Kueue flavors or ClusterQueue of '{cluster.Name}' change (its node pools or Kueue settings changed) while it has no node for Kueue's controller; Kueue's admission webhooks validate such a change and cannot answer, so this run fails on those objects",
                        "apply the change when the cluster has work again (it then wakes), or leave its pools and kueue settings as they were until then"));
                }
            }
            else
            {
                decisions[cluster.Name] = new KueueDecision(
                    cluster.Name,
                    KueueAction.Deferred,
                    "Kueue and its queues wait until the cluster has a node (its admission webhooks answer only while its controller runs)");
                clusters[cluster.Name] = cluster with { Kueue = cluster.Kueue with { Enabled = false } };
            }
        }

        return new KueueRollout(spec with { Clusters = clusters.ToImmutable() }, decisions.ToImmutable()) { Diagnostics = diagnostics.ToImmutable() };
    }

    /// <summary>
    /// The fingerprint of a cluster's ResourceFlavors and ClusterQueue: 16 hex digits of the SHA-256 of their YAML. Only these objects
    /// go through Kueue's webhooks on update (WorkloadPriorityClasses and LocalQueues do not), and they depend only on the stack.
    /// </summary>
    /// <param name="spec">The stack.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="plan">Its plan.</param>
    /// <returns>The fingerprint.</returns>
    public static string Fingerprint(FleetSpec spec, ClusterSpec cluster, ClusterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(plan);
        var validated = KueueObjects.For(spec, cluster, plan).Where(o => o.Kind is "ResourceFlavor" or "ClusterQueue").Select(o => (JsonNode)o.Manifest);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ManifestYaml.Write(validated)));
        return Convert.ToHexStringLower(hash)[..16];
    }

    private static bool IsFingerprint(string text) => text.Length == 16 && text.All(char.IsAsciiHexDigitLower);

    private static bool DeclaredBefore(string cluster, FleetOutputs? previous) =>
        previous?.Queues is { } queues
            ? queues.ContainsKey(cluster)
            : previous?.Clusters.GetValueOrDefault(cluster)?.State is "active" or "standby";
}
