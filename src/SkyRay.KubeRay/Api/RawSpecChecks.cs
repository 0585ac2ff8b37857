using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Api;

/// <summary>
/// Checks a raw KubeRay spec against SkyRay's built-in <c>ray.io/v1</c> model before planning: types
/// (<c>replicas: "2"</c> is an error), required fields (<c>headGroupSpec</c>), string maps (<c>rayStartParams</c>),
/// enum values (<c>submissionMode</c>, <c>upgradeStrategy.type</c>), KubeRay's own validation rules, and unknown
/// fields (warnings: the API server would drop them silently). Works without any CRD files.
/// </summary>
public static class RawSpecChecks
{
    /// <summary>Checks one raw spec; reports each problem at its config path.</summary>
    /// <param name="kind">The workload's kind.</param>
    /// <param name="spec">The raw spec.</param>
    /// <param name="path">Config path of the spec (<c>skyray:workloads.llm.spec</c>).</param>
    /// <param name="diagnostics">Where problems are reported. A location that already holds an error (e.g. from
    /// <see cref="RawSpecDemand.Compute"/>) is not reported twice.</param>
    /// <returns>True when the spec has no errors.</returns>
    public static bool Check(RayKind kind, JsonObject spec, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var found = new DiagnosticBag();
        object? model = kind switch
        {
            RayKind.RayCluster => RayClusterSpec.Read(spec, path, found),
            RayKind.RayJob => RayJobSpec.Read(spec, path, found),
            RayKind.RayService => RayServiceSpec.Read(spec, path, found),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown Ray kind"),
        };

        var errorsAt = diagnostics.Items.Where(d => d.Severity == Severity.Error).Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        var seen = diagnostics.Items.ToHashSet();
        foreach (var d in found.Items)
        {
            if ((d.Severity == Severity.Error && errorsAt.Contains(d.Path)) || !seen.Add(d))
            {
                continue;
            }

            diagnostics.AddRange([d]);
        }

        return model is not null && !found.HasErrors;
    }

    /// <summary>Checks every raw-form workload of a loaded fleet (for callers after <c>StackLoader</c>).</summary>
    /// <param name="fleet">The loaded fleet.</param>
    /// <param name="diagnostics">Where problems are reported, at <c>skyray:workloads.&lt;name&gt;.spec…</c>.</param>
    public static void CheckFleet(FleetSpec fleet, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        foreach (var (name, workload) in fleet.Workloads)
        {
            if (workload.RawSpec is { } spec)
            {
                Check(workload.Kind, spec, $"skyray:workloads.{name}.spec", diagnostics);
            }
        }
    }
}
