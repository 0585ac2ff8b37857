using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

/// <summary>A random fleet: clusters with provider, lifecycle and state; workloads with target clusters and shares.</summary>
public sealed record FleetShape(ClusterShape[] Clusters, WorkloadShape[] Workloads)
{
    public override string ToString() =>
        string.Join("; ", Clusters.Select((c, i) => $"c{i}:{c}")) + " | " + string.Join("; ", Workloads.Select((w, i) => $"w{i}:{w}"));
}

public sealed record ClusterShape(CloudProvider Provider, bool Dynamic, ClusterState State);

public sealed record WorkloadShape(int[] Targets, int Workers, string Namespace);

public static class FleetShapes
{
    public static Arbitrary<FleetShape> Shapes()
    {
        var cluster =
            from provider in Gen.Elements(CloudProvider.Aws, CloudProvider.Azure, CloudProvider.Gcp, CloudProvider.Existing)
            from dynamic in Gen.Elements(true, false)
            from state in Gen.Elements(ClusterState.Active, ClusterState.Active, ClusterState.Standby, ClusterState.Absent)
            select new ClusterShape(provider, dynamic && provider != CloudProvider.Existing, state);
        var shape =
            from clusterCount in Gen.Choose(1, 6)
            from clusters in Gen.ArrayOf(cluster, clusterCount)
            from workloadCount in Gen.Choose(0, 5)
            from workloads in Gen.ArrayOf(
                from targets in Gen.SubListOf(Enumerable.Range(0, clusterCount))
                from workers in Gen.Choose(1, 8)
                from ns in Gen.Elements("default", "serving", "batch", KubeRaySettings.DefaultNamespace)
                select new WorkloadShape([.. targets], workers, ns),
                workloadCount)
            select new FleetShape(clusters, workloads);
        return shape.ToArbitrary();
    }
}

/// <summary>The walk's invariants hold for any consistent plan, not just the hand-written ones.</summary>
public sealed class WalkInvariantProperties
{
    // Names sort in the opposite order of creation, so walking in creation order would be caught.
    private static string ClusterName(int i) => $"{(char)('z' - i)}-cluster";

    private static string WorkloadName(int i) => $"{(char)('z' - i)}-workload";

    private static (FleetSpec Spec, FleetPlan Plan) Build(FleetShape shape)
    {
        var specBuilder = new FleetSpecBuilder();
        for (var i = 0; i < shape.Clusters.Length; i++)
        {
            var c = shape.Clusters[i];
            var builder = c.Provider == CloudProvider.Existing
                ? ClusterBuilder.Existing(ClusterName(i), "ctx")
                : new ClusterBuilder(ClusterName(i)).On(c.Provider, "region").Pool("pool", "type", 1, 3);
            specBuilder.Cluster(c.Dynamic ? builder.Dynamic() : builder);
        }

        for (var i = 0; i < shape.Workloads.Length; i++)
        {
            specBuilder.Workload(new WorkloadBuilder(WorkloadName(i)).Workers(shape.Workloads[i].Workers).Namespace(shape.Workloads[i].Namespace));
        }

        var spec = specBuilder.Build();
        var planBuilder = new FleetPlanBuilder(spec);
        for (var i = 0; i < shape.Clusters.Length; i++)
        {
            planBuilder.State(ClusterName(i), shape.Clusters[i].State);
        }

        for (var i = 0; i < shape.Workloads.Length; i++)
        {
            // Copies only go to active clusters, as in any plan the orchestrator accepts.
            var targets = shape.Workloads[i].Targets.Where(t => shape.Clusters[t].State == ClusterState.Active).ToArray();
            planBuilder.PlaceShares(WorkloadName(i), null, [.. targets.Select(t => (ClusterName(t), shape.Workloads[i].Workers))]);
        }

        return (spec, planBuilder.Build());
    }

    [Property(Arbitrary = [typeof(FleetShapes)], MaxTest = 200)]
    public void Walk_provisions_connects_installs_and_applies_exactly_what_the_plan_says_in_order(FleetShape shape)
    {
        var (spec, plan) = Build(shape);
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, FakeRendering.Instance);

        var live = plan.Clusters.Values.Where(c => c.State != ClusterState.Absent).Select(c => c.Cluster).ToList();
        var cloudLive = live.Where(c => spec.Clusters[c].Provider != CloudProvider.Existing).ToList();
        // An active cluster gets one namespace per distinct namespace of its copies, sorted, minus default and the operator's.
        string[] NamespacesOf(string c) => [.. plan.Placements.Values
            .Where(p => p.Copies.Any(copy => copy.Cluster == c))
            .Select(p => spec.Workloads[p.Workload].Namespace)
            .Where(ns => ns != "default" && ns != KubeRaySettings.DefaultNamespace)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(ns => $"namespace {ns}@{c}")];
        // Namespaces before the operator release: a namespaced operator's chart puts a Role in each namespace it watches.
        var expectedClusterCalls = live.SelectMany(c => (cloudLive.Contains(c)
            ? new[] { "provision " + c, "connect " + c }
            : ["connect " + c]).Concat(NamespacesOf(c)).Append("release kuberay@" + c));
        var copies = plan.Placements.Values.SelectMany(p => p.Copies).Select(c => $"apply {c.Workload}@{c.Cluster}");

        Assert.Equal([.. expectedClusterCalls, .. copies, "export"], ports.Calls);
        Assert.All(ports.Applied, a =>
        {
            Assert.Equal(new TestHandle(a.Connection.Cluster, "connection"), a.Connection);
            var ns = a.Workload.Namespace;
            var expected = new List<SkyRay.Orchestration.Ports.IPortHandle> { new TestHandle(a.Connection.Cluster, "release/kuberay") };
            if (ns is not ("default" or KubeRaySettings.DefaultNamespace))
            {
                expected.Add(new TestHandle(a.Connection.Cluster, "namespace/" + ns));
            }

            Assert.Equal(expected, a.After);
        });
        Assert.Equal(spec.Clusters.Keys, ports.Exports.Single().Clusters.Keys);
    }
}
