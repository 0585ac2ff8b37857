using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Jobs;

/// <summary>The finished RayJobs of a run: which are out of placement, which are declared one last time, what the outputs record.</summary>
/// <param name="Records">The records to export, by workload.</param>
/// <param name="Retained">Copies of jobs seen finished this run: declared once more, unchanged and kept on the cluster when they leave
/// the program (the Pulumi adapter: <c>retainOnDelete</c>, changes ignored).</param>
/// <param name="Lines">One line per job that finished this run.</param>
public sealed record JobsOutcome(
    ImmutableSortedDictionary<string, JobRecord> Records,
    ImmutableArray<WorkloadCopy> Retained,
    ImmutableArray<string> Lines)
{
    /// <summary>The workloads that are finished: not placed, not created, not run again.</summary>
    public ImmutableSortedSet<string> Finished => [.. Records.Keys];
}

/// <summary>
/// A finished RayJob is never created or run again by a later run. A job counts as finished when every copy the previous run
/// placed is observed Complete or Failed; from then on it is recorded in the <c>jobs</c> output and left out of placement, so
/// it keeps no cluster awake. On the run that sees it finish its RayJob is declared once more, unchanged, with the instruction to
/// keep it on the cluster when it leaves the program; from the next run on it is no longer declared and the object stays on its
/// cluster as the job's record (status, message, dashboard URL) until the cluster goes or someone deletes it. The record is
/// dropped when the workload leaves the config: to run a job again, give it a new name (or remove it for one run).
/// </summary>
public static class FinishedJobs
{
    /// <summary>Decides the finished jobs of a run.</summary>
    /// <param name="spec">The configured stack.</param>
    /// <param name="previous">The previous outputs (their <c>jobs</c>), or null.</param>
    /// <param name="previousPlan">The previous plan, physical cluster names (where each job's copies were).</param>
    /// <param name="view">What is observed now.</param>
    /// <param name="now">The run's clock.</param>
    /// <returns>The outcome.</returns>
    public static JobsOutcome Decide(FleetSpec spec, FleetOutputs? previous, FleetPlan? previousPlan, FleetView view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(view);
        var records = ImmutableSortedDictionary.CreateBuilder<string, JobRecord>(StringComparer.Ordinal);
        var retained = ImmutableArray.CreateBuilder<WorkloadCopy>();
        var lines = ImmutableArray.CreateBuilder<string>();
        if (!view.Observed)
        {
            // Without an observation no copy is seen finished (every copy's state is unknown): only the records of earlier
            // runs carry over, for the jobs still declared. Most runs have none, and a large stack has thousands of jobs.
            foreach (var (name, record) in previous?.Jobs ?? ImmutableSortedDictionary<string, JobRecord>.Empty)
            {
                if (spec.Workloads.GetValueOrDefault(name) is { Kind: RayKind.RayJob })
                {
                    records[name] = record with { Released = true };
                }
            }

            return new JobsOutcome(records.ToImmutable(), retained.ToImmutable(), lines.ToImmutable());
        }

        foreach (var workload in spec.Workloads.Values.Where(w => w.Kind == RayKind.RayJob))
        {
            if (previous?.Jobs.GetValueOrDefault(workload.Name) is { } record)
            {
                records[workload.Name] = record with { Released = true };
                continue;
            }

            var copies = previousPlan?.Placements?.GetValueOrDefault(workload.Name)?.Copies ?? [];
            if (copies.IsDefaultOrEmpty)
            {
                continue;
            }

            var seen = copies.Select(c => view.Copy(workload, c.Cluster)).ToList();
            if (!seen.All(s => s.State == CopyState.Finished))
            {
                continue;
            }

            var objects = seen.Select(s => s.Seen!).ToList();
            var status = objects.FirstOrDefault(o => o.DeploymentStatus != "Complete")?.DeploymentStatus ?? "Complete";
            var jobStatus = objects.Select(o => o.JobStatus).FirstOrDefault(j => j is not null and not "SUCCEEDED") ?? objects.Select(o => o.JobStatus).FirstOrDefault();
            DateTimeOffset? end = objects.Select(o => o.EndTime).OfType<DateTimeOffset>().Select(t => t > now ? now : t).DefaultIfEmpty().Max();
            end = end == default(DateTimeOffset) ? null : end;
            var clusters = copies.Select(c => c.Cluster).Order(StringComparer.Ordinal).ToImmutableArray();
            records[workload.Name] = new JobRecord(clusters, status, jobStatus, end is { } e ? ObservationJson.Time(e) : null, Released: false);
            retained.AddRange(copies);
            lines.Add($"✓ job {workload.Name} finished on {string.Join(", ", clusters)} ({status}{(jobStatus is null ? string.Empty : ", " + jobStatus)}" +
                $"{(end is { } t ? " at " + ObservationJson.Time(t) : string.Empty)}): not run again; its RayJob stays on the cluster as its record");
        }

        return new JobsOutcome(records.ToImmutable(), retained.ToImmutable(), lines.ToImmutable());
    }
}
