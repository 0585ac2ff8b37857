using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SkyRay.Orchestration.Recording;

namespace SkyRay.Orchestration.Runs;

/// <summary>
/// A digest of everything a run declares: every port call in walk order with what it depends on, every Helm release with its
/// values and wait, every rendered Kubernetes object, every traffic record with its addresses. Two runs with the same fingerprint
/// and the same outputs declare the same thing, so <c>skyray plan --check-changes</c> can tell whether the next <c>pulumi up</c>
/// would change anything; the program exports it as the <c>fingerprint</c> output.
/// </summary>
public static class RunFingerprint
{
    /// <summary>The fingerprint of a run's declarations (its outputs excluded).</summary>
    /// <param name="run">The decided run.</param>
    /// <param name="rendering">Rendering functions; null for the real ones.</param>
    /// <returns><c>sha256:</c> and 64 hex digits.</returns>
    public static string Of(RunPlan run, FleetRendering? rendering = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var recorder = new RecordingPorts();
        var declared = FleetOrchestrator.Run(run, recorder.Ports, rendering);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var call in recorder.Calls.Where(c => c.Kind != RecordedKind.Outputs))
        {
            Add($"{call.Kind}|{call.Id}|{call.Cluster}|{call.Name}|{string.Join(",", call.DependsOn)}|{call.Detail}");
        }

        foreach (var (name, cluster) in declared.Clusters)
        {
            foreach (var r in cluster.Releases.Select(d => d.Release))
            {
                Add(string.Create(CultureInfo.InvariantCulture, $"release|{name}|{r.Key}|{r.ReleaseName}|{r.Chart}|{r.Version}|{r.Repository}|{r.Namespace}|{string.Join(",", r.After)}|{r.Wait}|{r.TimeoutSeconds}|{r.Values.ToJsonString()}"));
            }
        }

        foreach (var n in declared.Namespaces)
        {
            Add($"namespace|{n.Cluster}|{n.Rendered.Manifest.ToJsonString()}");
        }

        foreach (var o in declared.Objects)
        {
            Add($"object|{o.Cluster}|{o.Rendered.Manifest.ToJsonString()}");
        }

        foreach (var w in declared.Workloads)
        {
            Add($"workload|{w.Cluster}|{w.Retained}|{w.Rendered.Manifest.ToJsonString()}");
        }

        foreach (var t in run.Traffic)
        {
            Add($"traffic|{t.PreviewLine()}|{string.Join(",", t.Addresses.Select(a => a.Key + "=" + string.Join(" ", a.Value)))}");
        }

        foreach (var (name, scaling) in run.Autoscaling)
        {
            Add($"autoscaling|{name}|{scaling.Autoscaler}|{scaling.PlanSetsNodeCount}|{scaling.Release?.Values.ToJsonString()}|{scaling.ReleaseWaits}|{string.Join(";", scaling.ScaleFromZero.Select(h => h.Pool + ":" + string.Join(",", h.Tags.Select(t => t.Key + "=" + t.Value))))}");
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
