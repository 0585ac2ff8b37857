using System.CommandLine;
using System.Globalization;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Observations.Kubernetes;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Upgrades;
using Spectre.Console;

using static SkyRay.Cli.TableText;

namespace SkyRay.Cli.Commands;

/// <summary>
/// <c>skyray status --stack dev [--kubeconfigs FILE] [--observed FILE] [--previous-outputs FILE] [--timeout 10s] [--output table|json]</c>:
/// one live table across the fleet: per cluster whether its API answers, its node pools and ready nodes, its workloads and their
/// Ray status, since when it is idle, and what its running nodes cost per hour. Clusters are asked in parallel, each within the
/// timeout, with a progress line per answer on stderr; an unreachable cluster is a row, not a failure. <c>--output json</c> writes the
/// observation snapshot (<see cref="ObservationJson"/>) that <c>--observed</c> reads, with a <c>summary</c> per cluster.
/// </summary>
public sealed class StatusCommand : ISkyRayCommand
{
    /// <inheritdoc />
    public Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new StackSource();
        var runSource = new RunSource();
        var kubeconfigs = new Option<string?>("--kubeconfigs")
        {
            Description = "The stack's kubeconfigs (pulumi stack output kubeconfigs --show-secrets --json > kubeconfigs.json); existing clusters with existing.context use the ambient kubeconfig. Never printed.",
            HelpName = "KUBECONFIGS.json",
        };
        var timeout = new Option<string>("--timeout")
        {
            Description = "How long each cluster may take to answer (e.g. 10s, 1m).",
            DefaultValueFactory = _ => "10s",
            HelpName = "DURATION",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: table (text) or json (an observation snapshot, usable as --observed).",
            DefaultValueFactory = _ => "table",
            HelpName = "table|json",
        };
        output.AcceptOnlyFromAmong("table", "text", "json");
        var command = new Command("status", "Show what runs on every cluster of the stack now: reachability, nodes per pool, workloads and their Ray status, idle since, cost per hour.");
        source.AddTo(command);
        command.Add(kubeconfigs);
        command.Add(runSource.Observed);
        command.Add(runSource.PreviousOutputs);
        command.Add(timeout);
        command.Add(output);
        command.SetAction(async (parsed, cancellation) =>
        {
            var json = parsed.GetValue(output) == "json";
            var loaded = source.Load(parsed, context);
            var bag = new DiagnosticBag();
            bag.AddRange(loaded.Diagnostics);
            if (!loaded.Ok)
            {
                return Fail(context, bag);
            }

            var spec = loaded.Value!;
            var previous = runSource.ReadPrevious(parsed, context, bag);
            if (!Durations.TryParse(parsed.GetValue(timeout) ?? "10s", out var limit, out var problem))
            {
                bag.Error("--timeout", $"'{parsed.GetValue(timeout)}' {problem}", "write e.g. 10s or 1m");
            }

            FleetObservation? observation = null;
            if (parsed.GetValue(runSource.Observed) is { } observedPath)
            {
                observation = RunSource.ReadObservation(context.ResolvePath(observedPath), "--observed", bag);
            }

            var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
            if (observation is null && parsed.GetValue(kubeconfigs) is { } kubeconfigPath)
            {
                var path = context.ResolvePath(kubeconfigPath);
                if (!File.Exists(path))
                {
                    bag.Error("--kubeconfigs", $"no file {path}", "write it with: pulumi stack output kubeconfigs --show-secrets --json > kubeconfigs.json");
                }
                else
                {
                    var read = Kubeconfigs.Read(File.ReadAllText(path), "--kubeconfigs");
                    bag.AddRange(read.Diagnostics);
                    foreach (var (name, text) in read.Value ?? ImmutableSortedDictionary<string, string>.Empty)
                    {
                        credentials[name] = text;
                    }
                }
            }

            if (bag.HasErrors)
            {
                return Fail(context, bag);
            }

            var clusters = FleetObserving.Targets(spec, previous.Outputs);
            if (observation is null)
            {
                var observer = new KubernetesObserver(Kubeconfigs.Credentials(credentials, Kubeconfigs.AmbientPath()), () => DateTimeOffset.UtcNow);
                context.Error.WriteLine($"observing {clusters.Count} cluster(s), at most {limit.TotalSeconds:0.#}s each ...");
                observation = await FleetObserving.ObserveAsync(
                    observer,
                    clusters,
                    limit,
                    () => DateTimeOffset.UtcNow,
                    (done, total, name) => context.Error.WriteLine($"[{done}/{total}] {name}"),
                    cancellation).ConfigureAwait(false);
            }

            DiagnosticsOutput.WriteText(context.Error, bag.Sorted());
            var rows = clusters.Select(c => Row(spec, c, observation.Clusters.GetValueOrDefault(c.Name), previous)).ToList();
            if (json)
            {
                var snapshot = ObservationJson.Write(observation);
                foreach (var row in rows.Where(r => snapshot["clusters"]![r.Cluster] is not null))
                {
                    snapshot["clusters"]![row.Cluster]!["summary"] = row.Summary();
                }

                DiagnosticsOutput.WriteJson(context.Out, snapshot);
            }
            else
            {
                Write(context.Console(), spec, rows, observation);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static StatusRow Row(FleetSpec spec, ClusterSpec cluster, ClusterObservation? seen, PreviousRun previous)
    {
        var planned = previous.Outputs?.Clusters.GetValueOrDefault(cluster.Name)?.State;
        if (seen is null)
        {
            return new StatusRow(cluster.Name, planned, "not observed", [], [], null, null);
        }

        if (seen.Reachability != Reachability.Reachable)
        {
            return new StatusRow(cluster.Name, planned, "unreachable", [], [], previous.Outputs?.Clusters.GetValueOrDefault(cluster.Name)?.IdleSince, null)
            {
                Problem = "unreachable: " + (seen.Problem ?? "no answer"),
            };
        }

        var provider = cluster.CatalogProvider ?? string.Empty;
        var pools = new List<string>();
        var cost = 0m;
        foreach (var (pool, nodes) in seen.Nodes)
        {
            var configured = cluster.NodePools.FirstOrDefault(p => p.Name == pool);
            pools.Add(configured is null ? $"{pool} {nodes}" : $"{pool} {nodes}/{configured.MaxNodes}");
            if (configured is not null && spec.Catalog.TryGet(provider, configured.InstanceType, out var type))
            {
                cost += type.HourlyUsd * nodes;
            }
        }

        var workloads = seen.RayObjects
            .Where(o => o.OriginatedFrom is null)
            .Select(o => $"{o.Workload ?? o.Name} ({o.Kind}): {Describe(o)}")
            .ToList();
        if (seen.QueueWorkloads.Length > 0)
        {
            workloads.Add($"Kueue: {seen.QueueWorkloads.Count(q => q.State == QueueState.Pending)} pending, {seen.QueueWorkloads.Count(q => q.State == QueueState.Admitted)} admitted");
        }

        var view = FleetView.Of(spec, new FleetObservation(seen.ObservedAt, new Dictionary<string, ClusterObservation> { [cluster.Name] = seen }.ToImmutableSortedDictionary(StringComparer.Ordinal)), seen.ObservedAt).Cluster(cluster.Name);
        var busy = view.Work is not null || view.Unknown is not null
            || seen.RayObjects.Any(o => o.OriginatedFrom is null && RayActivity.Of(o, out _) is Activity.Starting or Activity.Running or Activity.Unknown);
        var idle = busy ? null : previous.Outputs?.Clusters.GetValueOrDefault(cluster.Name)?.IdleSince ?? (view.LastEnd is { } end ? ObservationJson.Time(end) : "no work seen");
        var state = seen.Unread.Count == 0 ? "reachable" : $"reachable; unread: {string.Join(", ", seen.Unread)}";
        return new StatusRow(cluster.Name, planned, state, pools, workloads, idle, cost);
    }

    private static string Describe(ObservedRayObject o)
    {
        var activity = RayActivity.Of(o, out _);
        return o.Kind switch
        {
            RayKind.RayJob => $"{(string.IsNullOrEmpty(o.DeploymentStatus) ? "New" : o.DeploymentStatus)}{(o.JobStatus is null ? string.Empty : "/" + o.JobStatus)}" +
                (o.EndTime is { } e ? $" at {ObservationJson.Time(e)}" : string.Empty),
            RayKind.RayService => RayActivity.Serving(o)
                ? $"Ready, {o.ServeEndpoints ?? 0} endpoint(s){(o.ServeAddresses.IsDefaultOrEmpty ? ", no address yet" : ", " + string.Join(" ", o.ServeAddresses))}{(o.OngoingRequests is { } r ? $", {r} in flight" : string.Empty)}"
                : $"not Ready ({o.ReadyCondition ?? "no condition yet"})",
            _ => string.IsNullOrEmpty(o.State) ? "starting" : o.State,
        } + (activity == Activity.Unknown ? " (unknown to SkyRay)" : string.Empty);
    }

    private static void Write(IAnsiConsole console, FleetSpec spec, List<StatusRow> rows, FleetObservation observation)
    {
        console.WriteLine($"Status of stack '{spec.Stack}' at {ObservationJson.Time(observation.ObservedAt)} ({observation.Source}).");
        var table = new TextTable("cluster", "state", "pools (ready nodes/max)", "workloads", "idle since", "cost/h");
        foreach (var r in rows)
        {
            table.AddRow(
                r.Cluster,
                r.Planned is null ? r.State : $"{r.Planned}; {r.State}",
                r.Pools.Count == 0 ? "-" : string.Join(", ", r.Pools),
                r.Workloads.Count == 0 ? "-" : string.Join("\n", r.Workloads),
                r.IdleSince ?? "-",
                r.CostPerHour is { } c ? string.Create(CultureInfo.InvariantCulture, $"${c:0.00##}") : "-");
        }

        table.Write(console);
        foreach (var r in rows.Where(r => r.Problem is not null))
        {
            console.WriteLine($"{r.Cluster}: {r.Problem}");
        }

        var reachable = rows.Count(r => r.State.StartsWith("reachable", StringComparison.Ordinal));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reachable} of {rows.Count} cluster(s) answered; running nodes cost ${rows.Sum(r => r.CostPerHour ?? 0m):0.00##} per hour."));
    }

    private static int Fail(CliContext context, DiagnosticBag bag)
    {
        DiagnosticsOutput.WriteText(context.Error, bag.Sorted());
        return ExitCodes.InvalidInput;
    }


    private sealed record StatusRow(string Cluster, string? Planned, string State, List<string> Pools, List<string> Workloads, string? IdleSince, decimal? CostPerHour)
    {
        public string? Problem { get; init; }

        public JsonObject Summary() => new()
        {
            ["state"] = Planned,
            ["status"] = State,
            ["problem"] = Problem,
            ["pools"] = new JsonArray([.. Pools.Select(p => (JsonNode)p)]),
            ["workloads"] = new JsonArray([.. Workloads.Select(w => (JsonNode)w)]),
            ["idleSince"] = IdleSince,
            ["costPerHour"] = CostPerHour,
        };
    }
}
