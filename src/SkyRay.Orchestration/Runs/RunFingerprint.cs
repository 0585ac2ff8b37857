using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
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
        var capture = new Capture(recorder);
        // Declared, not walked with Run: each rendered object is written to its section's bytes as its port gets it and
        // kept no longer (at 20,000 workloads the kept objects were ~400 MB). The sections are hashed in the same order
        // and with the same bytes as when they were read back from Run's result.
        FleetOrchestrator.Declare(run, recorder.Ports with { Releases = capture, Namespaces = capture, Objects = capture, Workloads = capture }, rendering);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var call in recorder.Calls.Where(c => c.Kind != RecordedKind.Outputs))
        {
            Add($"{call.Kind}|{call.Id}|{call.Cluster}|{call.Name}|{string.Join(",", call.DependsOn)}|{call.Detail}");
        }

        foreach (var (name, releases) in capture.Releases)
        {
            foreach (var r in releases)
            {
                Add(string.Create(CultureInfo.InvariantCulture, $"release|{name}|{r.Key}|{r.ReleaseName}|{r.Chart}|{r.Version}|{r.Repository}|{r.Namespace}|{string.Join(",", r.After)}|{r.Wait}|{r.TimeoutSeconds}|{r.Values.ToJsonString()}"));
            }
        }

        hash.AppendData(capture.Namespaces.WrittenSpan);
        hash.AppendData(capture.Objects.WrittenSpan);
        hash.AppendData(capture.Workloads.WrittenSpan);
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

    /// <summary>
    /// Passes the declarations on to the recorder and keeps, per section, the lines the digest reads: each cluster's releases
    /// (clusters by name, releases in install order) and, as UTF-8 in declaration order, every namespace, object and workload.
    /// </summary>
    private sealed class Capture(RecordingPorts recorder) : IReleaseInstaller, INamespaceApplier, IObjectApplier, IWorkloadApplier
    {
        public SortedDictionary<string, List<HelmRelease>> Releases { get; } = new(StringComparer.Ordinal);

        public ArrayBufferWriter<byte> Namespaces { get; } = new();

        public ArrayBufferWriter<byte> Objects { get; } = new();

        public ArrayBufferWriter<byte> Workloads { get; } = new();

        public IPortHandle Install(IPortHandle connection, HelmRelease release, IReadOnlyList<IPortHandle> after)
        {
            if (!Releases.TryGetValue(connection.Cluster, out var list))
            {
                Releases[connection.Cluster] = list = [];
            }

            list.Add(release);
            return recorder.Install(connection, release, after);
        }

        public IPortHandle Apply(IPortHandle connection, KubeObject workloadNamespace)
        {
            Write(Namespaces, $"namespace|{connection.Cluster}|{workloadNamespace.Manifest.ToJsonString()}");
            return ((INamespaceApplier)recorder).Apply(connection, workloadNamespace);
        }

        IPortHandle IObjectApplier.Apply(IPortHandle connection, KubeObject kubeObject, IReadOnlyList<IPortHandle> after)
        {
            Write(Objects, $"object|{connection.Cluster}|{kubeObject.Manifest.ToJsonString()}");
            return ((IObjectApplier)recorder).Apply(connection, kubeObject, after);
        }

        IPortHandle IWorkloadApplier.Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after) =>
            ((IWorkloadApplier)this).Apply(connection, workload, after, WorkloadDeclaration.Default);

        IPortHandle IWorkloadApplier.Apply(IPortHandle connection, KubeObject workload, IReadOnlyList<IPortHandle> after, WorkloadDeclaration declaration)
        {
            Write(Workloads, $"workload|{connection.Cluster}|{declaration.Retain}|{workload.Manifest.ToJsonString()}");
            return ((IWorkloadApplier)recorder).Apply(connection, workload, after, declaration);
        }

        private static void Write(ArrayBufferWriter<byte> section, string line)
        {
            var bytes = Encoding.UTF8.GetByteCount(line) + 1;
            var span = section.GetSpan(bytes);
            var written = Encoding.UTF8.GetBytes(line, span);
            span[written] = (byte)'\n';
            section.Advance(written + 1);
        }
    }
}
