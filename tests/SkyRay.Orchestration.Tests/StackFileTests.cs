using Moq;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Manifests;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Runs;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;
using SkyRay.Testing;

namespace SkyRay.Orchestration.Tests;

/// <summary>
/// Every stack file of the repository, loaded → decided (<see cref="RunPlanner"/>, a first run) → orchestrated with Moq'd ports
/// and the real renderer, keeps the walk's invariants.
/// </summary>
public sealed class StackFileTests
{
    private const string NoStacks = "(no stack files)";

    public static TheoryData<string> StackFiles()
    {
        var root = SharedMaterial.RepositoryRoot;
        var files = new List<string>();
        if (File.Exists(Path.Combine(root, "Pulumi.dev.yaml")))
        {
            files.Add("Pulumi.dev.yaml");
        }

        var stacks = Path.Combine(root, "stacks");
        if (Directory.Exists(stacks))
        {
            files.AddRange(Directory.GetFiles(stacks, "Pulumi.*.yaml").Select(f => "stacks/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
        }

        var data = new TheoryData<string>();
        foreach (var file in files.DefaultIfEmpty(NoStacks))
        {
            data.Add(file);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public void Stack_file_orchestrates_with_the_walk_invariants(string stackFile)
    {
        var decided = Decide(stackFile);
        var (spec, plan) = (decided.Spec, decided.Plan);
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(decided, ports.Ports);

        foreach (var cluster in spec.Clusters.Values)
        {
            var state = plan.Clusters[cluster.Name].State;
            var calls = ports.Calls.Where(c => c.EndsWith(" " + cluster.Name, StringComparison.Ordinal) || c.EndsWith("@" + cluster.Name, StringComparison.Ordinal)).ToList();
            if (cluster.Provider == CloudProvider.Existing)
            {
                Assert.DoesNotContain("provision " + cluster.Name, calls);
            }

            if (state == ClusterState.Absent)
            {
                Assert.Empty(calls);
                continue;
            }

            var expected = cluster.Provider == CloudProvider.Existing
                ? new[] { "connect " + cluster.Name, "release kuberay@" + cluster.Name }
                : ["provision " + cluster.Name, "connect " + cluster.Name, "release kuberay@" + cluster.Name];
            // The cluster's workload namespaces come between connect and the operator (its chart puts Roles in them).
            Assert.Equal(expected, calls.Where(c => !c.StartsWith("namespace ", StringComparison.Ordinal)).Take(expected.Length));
            var operatorAt = IndexOf(ports.Calls, "release kuberay@" + cluster.Name);
            Assert.All(
                ports.Calls.Select((c, i) => (c, i)).Where(x => x.c.EndsWith("@" + cluster.Name, StringComparison.Ordinal) && x.i != operatorAt && !x.c.StartsWith("namespace ", StringComparison.Ordinal)),
                x => Assert.True(x.i > operatorAt, $"{x.c} comes before the operator of {cluster.Name}"));
        }

        foreach (var cluster in spec.Clusters.Values.Where(c => c.Lifecycle == ClusterLifecycle.Dynamic))
        {
            // A fresh plan (no previous state) never creates a dynamic cluster without work.
            if (!plan.Placements.Values.Any(p => p.Copies.Any(c => c.Cluster == cluster.Name)))
            {
                Assert.Equal(ClusterState.Absent, plan.Clusters[cluster.Name].State);
            }
        }

        var copies = plan.Placements.Values.SelectMany(p => p.Copies).ToList();
        Assert.Equal(copies.Count, ports.Applied.Count);
        Assert.All(ports.Applied, a =>
        {
            Assert.Equal(new TestHandle(a.Connection.Cluster, "connection"), a.Connection);
            Assert.Equal(new TestHandle(a.Connection.Cluster, "release/kuberay"), a.After[0]);
        });
        Assert.Equal(
            copies.Select(c => c.Workload + "@" + c.Cluster).Order(StringComparer.Ordinal),
            ports.Applied.Select(a => a.Workload.Name + "@" + a.Connection.Cluster).Order(StringComparer.Ordinal));
        ports.Outputs.Verify(o => o.Export(It.IsAny<FleetOutputs>()), Times.Once);
        Assert.Equal(spec.Clusters.Keys, run.Outputs.Clusters.Keys);
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public void Stack_file_renders_the_same_folder_twice(string stackFile)
    {
        var run = Decide(stackFile);
        var plan = run.Plan;

        var first = RenderAdapter.Render(run);
        var second = RenderAdapter.Render(Decide(stackFile));

        Assert.Equal(first.Files.ToArray(), second.Files.ToArray());
        Assert.Equal(
            plan.Clusters.Values.Where(c => c.State != ClusterState.Absent).Select(c => c.Cluster).Order(StringComparer.Ordinal),
            first.Clusters.Keys);
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public void Stack_file_renders_the_same_folder_with_objects_written_as_applied_as_from_the_whole_trees(string stackFile)
    {
        // The default YAML writer is handed each object as it is applied; another writer (here the same one behind a
        // lambda, which is not the default delegate) gets every tree of a cluster at the end, as before.
        var run = Decide(stackFile);
        var whole = FleetRendering.Default with { Yaml = documents => KubeRay.Rendering.ManifestYaml.Write(documents) };

        var asApplied = RenderAdapter.Render(run);
        var fromTrees = RenderAdapter.Render(run, whole);

        Assert.Equal(fromTrees.Files.ToArray(), asApplied.Files.ToArray());
        Assert.Contains(asApplied.Files, f => f.Path.EndsWith("/" + RenderAdapter.WorkloadsFile, StringComparison.Ordinal) && f.Content.Contains("\n---\n", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public void Every_yaml_file_of_a_rendered_cluster_folder_is_a_kubernetes_object_and_every_ray_object_passes_the_crds(string stackFile)
    {
        var bag = new Fleet.Diagnostics.DiagnosticBag();
        var schemas = KubeRay.Validation.CrdSchemaSet.LoadDirectory(SharedMaterial.Require(SharedMaterial.KubeRayCrds), bag);
        var folder = Path.Combine(Path.GetTempPath(), "skyray-render-" + Guid.NewGuid().ToString("N"));
        try
        {
            RenderAdapter.Render(Decide(stackFile)).WriteTo(folder);

            // kubectl apply -f <cluster folder> reads the folder's *.yaml (not subfolders without -R): objects only.
            foreach (var cluster in Directory.GetDirectories(folder))
            {
                Assert.True(File.Exists(Path.Combine(cluster, RenderAdapter.OperatorFile)), $"{cluster} has no {RenderAdapter.OperatorFile}");
                foreach (var file in Directory.GetFiles(cluster, "*.yaml"))
                {
                    var docs = Fleet.Yaml.YamlJson.ParseDocuments(File.ReadAllText(file), file, bag);
                    Assert.NotEmpty(docs);
                    foreach (var doc in docs)
                    {
                        var o = Assert.IsType<System.Text.Json.Nodes.JsonObject>(doc);
                        Assert.False(string.IsNullOrEmpty((string?)o["apiVersion"]), $"{file}: a document without apiVersion");
                        Assert.False(string.IsNullOrEmpty((string?)o["kind"]), $"{file}: a document without kind");
                        Assert.False(string.IsNullOrEmpty((string?)o["metadata"]?["name"]), $"{file}: a document without metadata.name");
                        if ((string?)o["apiVersion"] == "ray.io/v1")
                        {
                            var result = schemas.Validate(o, $"{Path.GetFileName(cluster)}/{o["metadata"]!["name"]}");
                            Assert.True(result.Accepted, string.Join("\n", result.Diagnostics));
                        }
                    }
                }
            }

            Assert.DoesNotContain(bag.Items, d => d.Severity == Fleet.Diagnostics.Severity.Error);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public void Stack_file_outputs_carry_the_plan_as_json_that_reads_back_to_the_same_placements(string stackFile)
    {
        var run = Decide(stackFile);
        var plan = run.Plan;

        var outputs = Recording.RecordingPorts.Record(run).Exported.Single();

        // Everything but the verdicts (explanations, which the next run never reads) comes back.
        var readBack = PlanJson.Read(outputs.Placements);
        var noPlacements = System.Collections.Immutable.ImmutableSortedDictionary.Create<string, WorkloadPlacement>(StringComparer.Ordinal);
        Assert.Equal(PlanJson.Write(plan with { Placements = noPlacements }), PlanJson.Write(readBack with { Placements = noPlacements }));
        Assert.All(readBack.Placements.Values, p => Assert.Empty(p.Verdicts));
        Assert.Equal(
            plan.Placements.Values.Select(p => (p.Workload, p.Policy, p.UnplacedReason, p.Copies.Length)),
            readBack.Placements.Values.Select(p => (p.Workload, p.Policy, p.UnplacedReason, p.Copies.Length)));
        Assert.Equal(
            plan.Placements.Values.SelectMany(p => p.Copies).Select(c => c.Workload + "@" + c.Cluster),
            readBack.Placements.Values.SelectMany(p => p.Copies).Select(c => c.Workload + "@" + c.Cluster));
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public void The_fingerprint_is_the_digest_of_what_a_kept_walk_declares(string stackFile)
    {
        // The reference reads everything back from Run's result after the walk, as the fingerprint was first computed; the
        // fingerprint now writes each declaration as its port gets it and keeps nothing.
        var run = Decide(stackFile);

        Assert.Equal(KeptWalkDigest(run), RunFingerprint.Of(run));
    }

    /// <summary>The fingerprint as first computed: everything read back from <see cref="FleetOrchestrator.Run"/>'s result.</summary>
    internal static string KeptWalkDigest(RunPlan run)
    {
        var recorder = new Recording.RecordingPorts();
        var declared = FleetOrchestrator.Run(run, recorder.Ports);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var call in recorder.Calls.Where(c => c.Kind != Recording.RecordedKind.Outputs))
        {
            Add($"{call.Kind}|{call.Id}|{call.Cluster}|{call.Name}|{string.Join(",", call.DependsOn)}|{call.Detail}");
        }

        foreach (var (name, cluster) in declared.Clusters)
        {
            foreach (var r in cluster.Releases.Select(d => d.Release))
            {
                Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"release|{name}|{r.Key}|{r.ReleaseName}|{r.Chart}|{r.Version}|{r.Repository}|{r.Namespace}|{string.Join(",", r.After)}|{r.Wait}|{r.TimeoutSeconds}|{r.Values.ToJsonString()}"));
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

    private static RunPlan Decide(string stackFile)
    {
        Skip.If(stackFile == NoStacks, "no Pulumi.dev.yaml or stacks/Pulumi.*.yaml in the repository yet");
        var loaded = FleetLoading.LoadFile(Path.Combine(SharedMaterial.RepositoryRoot, stackFile));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
        return RunPlanner.Plan(new RunRequest(loaded.Value!, PreviousRun.None, new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero)));
    }

    private static int IndexOf(IReadOnlyList<string> calls, string call)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            if (calls[i] == call)
            {
                return i;
            }
        }

        return -1;
    }
}
