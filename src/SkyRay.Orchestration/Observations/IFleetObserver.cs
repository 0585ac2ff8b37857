using System.Collections.Immutable;
using SkyRay.Fleet.Config;

namespace SkyRay.Orchestration.Observations;

/// <summary>
/// Reads what runs on one cluster: the port behind every observation. The KubernetesClient adapter
/// (<see cref="Kubernetes.KubernetesObserver"/>) asks the API server; tests and offline runs use a snapshot
/// (<see cref="ObservationJson"/>) instead of an observer.
/// </summary>
public interface IFleetObserver
{
    /// <summary>Observes one cluster. Failures to reach it are an <see cref="Reachability.Unreachable"/> answer, not an exception;
    /// parts that cannot be read are listed in <see cref="ClusterObservation.Unread"/>.</summary>
    /// <param name="cluster">The cluster as declared (its physical name: a clone is asked under its own name).</param>
    /// <param name="cancellation">Cancelled when the per-cluster timeout has passed.</param>
    /// <returns>The cluster's observation.</returns>
    Task<ClusterObservation> ObserveAsync(ClusterSpec cluster, CancellationToken cancellation);
}

/// <summary>Asks many clusters at once, each within its own timeout: one slow or dead cluster is one unreachable row.</summary>
public static class FleetObserving
{
    /// <summary>The clusters to ask: every configured one, plus both clusters of a clone-and-swap upgrade under way (each under its
    /// own name, at its own version).</summary>
    /// <param name="spec">The configured stack.</param>
    /// <param name="previous">The previous outputs (their upgrades), or null.</param>
    /// <returns>The clusters, by name.</returns>
    public static IReadOnlyList<ClusterSpec> Targets(FleetSpec spec, Ports.FleetOutputs? previous)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = spec.Clusters.Values.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var (configured, state) in previous?.Upgrades ?? ImmutableSortedDictionary<string, Upgrades.UpgradeState>.Empty)
        {
            if (spec.Clusters.TryGetValue(configured, out var cluster))
            {
                foreach (var name in state.LiveClusters)
                {
                    result.TryAdd(name, cluster with { Name = name, KubernetesVersion = name == state.CloneCluster ? state.ToVersion : state.FromVersion });
                }
            }
        }

        return [.. result.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>Observes clusters in parallel.</summary>
    /// <param name="observer">The observer.</param>
    /// <param name="clusters">The clusters to ask.</param>
    /// <param name="timeout">How long each cluster may take.</param>
    /// <param name="clock">The clock (the time an unreachable answer is stamped with).</param>
    /// <param name="progress">Told <c>(done, total, cluster)</c> as each cluster answers, or null.</param>
    /// <param name="cancellation">Stops everything.</param>
    /// <returns>The fleet's observation, one entry per cluster asked.</returns>
    public static async Task<FleetObservation> ObserveAsync(
        IFleetObserver observer,
        IEnumerable<ClusterSpec> clusters,
        TimeSpan timeout,
        Func<DateTimeOffset> clock,
        Action<int, int, string>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(clock);
        var list = clusters.ToList();
        var done = 0;
        var gate = new object();
        var tasks = list.Select(async cluster =>
        {
            var result = await ObserveOneAsync(observer, cluster, timeout, clock, cancellation).ConfigureAwait(false);
            lock (gate)
            {
                done++;
                progress?.Invoke(done, list.Count, cluster.Name);
            }

            return result;
        });
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        var byName = results.ToImmutableSortedDictionary(r => r.Cluster, r => r, StringComparer.Ordinal);
        return new FleetObservation(results.Length == 0 ? clock() : results.Max(r => r.ObservedAt), byName);
    }

    private static async Task<ClusterObservation> ObserveOneAsync(
        IFleetObserver observer, ClusterSpec cluster, TimeSpan timeout, Func<DateTimeOffset> clock, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        var work = Task.Run(() => observer.ObserveAsync(cluster, limit.Token), CancellationToken.None);
        try
        {
            // WaitAsync also bounds an observer that ignores its token.
            return await work.WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            cancellation.ThrowIfCancellationRequested();
            return new ClusterObservation(cluster.Name, Reachability.Unreachable, clock())
            {
                Problem = $"no answer within {timeout.TotalSeconds:0.#}s",
            };
        }
#pragma warning disable CA1031 // An observer bug must cost one row, not the whole status table.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new ClusterObservation(cluster.Name, Reachability.Unreachable, clock())
            {
                Problem = $"the observer failed ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})",
            };
        }
    }
}
