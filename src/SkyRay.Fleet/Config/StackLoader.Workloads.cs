using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Fleet.Config;

public static partial class StackLoader
{
    private const string StackWorkloadsPath = $"{Namespace}:workloads";

    /// <summary>
    /// Reads workloads written in the <c>skyray:workloads</c> syntax outside the stack file (the workloads of a simulation
    /// trace) against a loaded stack: the same reader and the same cross-checks (the policy exists, every pod fits some node
    /// pool of the stack), so a workload means the same thing in a trace as in the stack.
    /// </summary>
    /// <param name="stack">The validated stack the workloads would run on (clusters, policies, catalog).</param>
    /// <param name="workloads">Name → workload tree.</param>
    /// <param name="path">Where the map is written, e.g. <c>trace.yaml:workloads</c>; every problem is located under it.</param>
    /// <returns>The workloads by name, or the located errors.</returns>
    public static Result<ImmutableSortedDictionary<string, WorkloadSpec>> ReadWorkloads(FleetSpec stack, JsonObject workloads, string path)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(path);
        var bag = new DiagnosticBag();
        var reader = new ConfigReader(bag);
        var gpuTypes = stack.Catalog.All.Select(t => t.GpuType).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var read = ImmutableSortedDictionary.CreateBuilder<string, WorkloadSpec>(StringComparer.Ordinal);
        foreach (var (name, node) in workloads.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (WorkloadReader.Read(name, node, ConfigReader.Child(path, name), reader, gpuTypes) is { } workload)
            {
                read[name] = workload;
            }
        }

        // The cross-checks locate their findings in the stack's own section; here they belong under the given path.
        var checks = new DiagnosticBag();
        FleetChecks.Run(stack.Clusters, read.ToImmutable(), stack.Policies, stack.Catalog, clustersClean: true, checks);
        foreach (var d in checks.Items)
        {
            bag.AddRange([d with { Path = d.Path.StartsWith(StackWorkloadsPath, StringComparison.Ordinal) ? path + d.Path[StackWorkloadsPath.Length..] : d.Path }]);
        }

        return new Result<ImmutableSortedDictionary<string, WorkloadSpec>>(bag.HasErrors ? null : read.ToImmutable(), bag.Sorted());
    }
}
