using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Api;

namespace SkyRay.Orchestration.Simulation.Traces;

/// <summary>
/// The workloads a trace's arrivals are instances of, resolved against one stack: the stack's own workloads and the ones the
/// trace defines (read with the stack's reader and checks, <see cref="StackLoader.ReadWorkloads"/>). An instance is its
/// workload under the arrival's instance name, with the arrival's replicas.
/// </summary>
public sealed class TraceWorkloads
{
    private readonly FleetSpec _stack;
    private readonly ImmutableSortedDictionary<string, WorkloadSpec> _defined;

    private TraceWorkloads(FleetSpec stack, ImmutableSortedDictionary<string, WorkloadSpec> defined)
    {
        _stack = stack;
        _defined = defined;
    }

    /// <summary>Resolves a trace's workloads against a stack.</summary>
    /// <param name="stack">The validated stack.</param>
    /// <param name="header">The trace's header (its workloads).</param>
    /// <returns>The resolver, or the located errors of the trace's workloads.</returns>
    public static Result<TraceWorkloads> For(FleetSpec stack, TraceHeader header)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(header);
        var bag = new DiagnosticBag();
        foreach (var name in header.Workloads.Select(w => w.Key).Where(stack.Workloads.ContainsKey).Order(StringComparer.Ordinal))
        {
            bag.Error($"{header.WorkloadsPath}.{name}", $"the stack '{stack.Stack}' already has a workload '{name}'", "give the trace's workload another name, or use the stack's");
        }

        var read = StackLoader.ReadWorkloads(stack, header.Workloads, header.WorkloadsPath);
        bag.AddRange(read.Diagnostics);
        foreach (var (name, workload) in read.Value ?? ImmutableSortedDictionary<string, WorkloadSpec>.Empty)
        {
            if (workload.RawSpec is { } raw)
            {
                RawSpecChecks.Check(workload.Kind, raw, $"{header.WorkloadsPath}.{name}.spec", bag);
            }
        }

        return new Result<TraceWorkloads>(bag.HasErrors ? null : new TraceWorkloads(stack, read.Value!), bag.Sorted());
    }

    /// <summary>The workload an arrival names, or null.</summary>
    /// <param name="name">The workload name.</param>
    /// <returns>The stack's or the trace's workload.</returns>
    public WorkloadSpec? Find(string name) =>
        _defined.TryGetValue(name, out var defined) ? defined : _stack.Workloads.GetValueOrDefault(name);

    /// <summary>Checks that an arrival can be simulated on this stack: its workload exists, a RayJob has a duration, its
    /// replicas name worker groups of the workload, its instance name is a valid name.</summary>
    /// <param name="arrival">The arrival.</param>
    /// <param name="bag">Where problems go, at the arrival's path.</param>
    public void Check(TraceArrival arrival, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        ArgumentNullException.ThrowIfNull(bag);
        if (Find(arrival.Workload) is not { } workload)
        {
            var known = _stack.Workloads.Keys.Concat(_defined.Keys).ToList();
            bag.Error(
                $"{arrival.Path}.workload",
                $"no workload '{KubernetesNames.Shorten(arrival.Workload)}' in the stack '{_stack.Stack}' or the trace",
                known.Count == 0 ? "define it under the trace's 'workloads'" : Suggestions.Hint(arrival.Workload, known, "workloads"));
            return;
        }

        if (KubernetesNames.CheckDnsLabel(arrival.InstanceName) is { } problem)
        {
            bag.Error($"{arrival.Path}.name", $"the instance name '{KubernetesNames.Shorten(arrival.InstanceName)}' {problem}", "give the arrival a shorter name");
        }

        if (workload.Kind == RayKind.RayJob && arrival.Duration is null)
        {
            bag.Error($"{arrival.Path}.duration", $"'{workload.Name}' is a RayJob: how long it runs is missing", "add duration: 2h");
        }

        foreach (var step in arrival.Demand)
        {
            if (workload.IsRaw)
            {
                bag.Error($"{arrival.Path}.replicas", $"'{workload.Name}' is written as a raw KubeRay spec; replicas over time need the structured form", "write the workload with head and workerGroups");
                break;
            }

            foreach (var group in step.Groups.Keys.Where(g => !workload.WorkerGroups.Any(w => w.Name == g)))
            {
                bag.Error(
                    $"{arrival.Path}.replicas.{group}",
                    $"'{workload.Name}' has no worker group '{KubernetesNames.Shorten(group)}'",
                    Suggestions.Hint(group, [.. workload.WorkerGroups.Select(w => w.Name)], "worker groups"));
            }
        }
    }

    /// <summary>The instance an arrival puts in the stack: its workload, renamed, with the replicas of a demand step.</summary>
    /// <param name="arrival">The arrival (checked with <see cref="Check"/>).</param>
    /// <param name="step">The demand step in force, or null for the workload's own replicas.</param>
    /// <returns>The workload spec.</returns>
    public WorkloadSpec Instance(TraceArrival arrival, DemandStep? step)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        var workload = Find(arrival.Workload) ?? throw new ArgumentException($"no workload '{arrival.Workload}'; check arrivals first", nameof(arrival));
        var instance = workload with { Name = arrival.InstanceName };
        return step is null ? instance : WithReplicas(instance, step);
    }

    private static WorkloadSpec WithReplicas(WorkloadSpec workload, DemandStep step)
    {
        int Replicas(string group, int current) => step.Groups.TryGetValue(group, out var r) ? r : step.Replicas ?? current;

        var workers = workload.WorkerGroups
            .Select(g =>
            {
                var r = Replicas(g.Name, g.Replicas);
                return g with { Replicas = r, MinReplicas = Math.Min(g.MinReplicas, r), MaxReplicas = Math.Max(g.MaxReplicas, r) };
            })
            .ToImmutableArray();
        var names = workload.WorkerGroups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var groups = workload.Demand.Groups
            .Select(d =>
            {
                if (!names.Contains(d.Group))
                {
                    return d;
                }

                var r = Replicas(d.Group, d.Count);
                return d with { Count = r, MinCount = Math.Min(d.MinCount, r), MaxCount = Math.Max(d.MaxCount, r) };
            })
            .ToImmutableArray();
        return workload with { WorkerGroups = workers, Demand = new WorkloadDemand(groups) };
    }
}
