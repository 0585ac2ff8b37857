using Moq;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>
/// Strict Moq ports that return a <see cref="TestHandle"/> per call and log every call as
/// <c>"provision a"</c>, <c>"connect a"</c>, <c>"release kuberay@a"</c>, <c>"namespace ns@a"</c>, <c>"object Kind/name@a"</c>,
/// <c>"apply w@a"</c>, <c>"export"</c>, in call order.
/// </summary>
public sealed class MockPorts
{
    private readonly List<string> _log = [];
    private readonly List<FleetOutputs> _exports = [];
    private readonly List<(IPortHandle Connection, KubeObject Workload, IReadOnlyList<IPortHandle> After)> _applied = [];
    private readonly List<(IPortHandle Connection, HelmRelease Release, IReadOnlyList<IPortHandle> After)> _installed = [];

    public MockPorts()
    {
        Provisioner.Setup(p => p.Provision(It.IsAny<ClusterProvisionSpec>()))
            .Returns((ClusterProvisionSpec s) => Log($"provision {s.Cluster.Name}", new TestHandle(s.Cluster.Name, "cluster")));
        Connector.Setup(c => c.Connect(It.IsAny<ClusterSpec>(), It.IsAny<IPortHandle?>()))
            .Returns((ClusterSpec c, IPortHandle? _) => Log($"connect {c.Name}", new TestHandle(c.Name, "connection")));
        Releases.Setup(o => o.Install(It.IsAny<IPortHandle>(), It.IsAny<HelmRelease>(), It.IsAny<IReadOnlyList<IPortHandle>>()))
            .Returns((IPortHandle c, HelmRelease r, IReadOnlyList<IPortHandle> after) =>
            {
                _installed.Add((c, r, after));
                return Log($"release {r.Key}@{c.Cluster}", new TestHandle(c.Cluster, "release/" + r.Key));
            });
        Namespaces.Setup(n => n.Apply(It.IsAny<IPortHandle>(), It.IsAny<KubeObject>()))
            .Returns((IPortHandle c, KubeObject ns) => Log($"namespace {ns.Name}@{c.Cluster}", new TestHandle(c.Cluster, "namespace/" + ns.Name)));
        Objects.Setup(n => n.Apply(It.IsAny<IPortHandle>(), It.IsAny<KubeObject>(), It.IsAny<IReadOnlyList<IPortHandle>>()))
            .Returns((IPortHandle c, KubeObject o, IReadOnlyList<IPortHandle> _) => Log($"object {o.Kind}/{o.Name}@{c.Cluster}", new TestHandle(c.Cluster, $"object/{o.Kind}/{o.Name}")));
        Workloads.Setup(w => w.Apply(It.IsAny<IPortHandle>(), It.IsAny<KubeObject>(), It.IsAny<IReadOnlyList<IPortHandle>>()))
            .Returns((IPortHandle c, KubeObject o, IReadOnlyList<IPortHandle> after) =>
            {
                _applied.Add((c, o, after));
                return Log($"apply {o.Name}@{c.Cluster}", new TestHandle(c.Cluster, "workload"));
            });
        Outputs.Setup(o => o.Export(It.IsAny<FleetOutputs>()))
            .Callback((FleetOutputs o) =>
            {
                _log.Add("export");
                _exports.Add(o);
            });
    }

    public Mock<IClusterProvisioner> Provisioner { get; } = new(MockBehavior.Strict);

    public Mock<IClusterConnector> Connector { get; } = new(MockBehavior.Strict);

    public Mock<IReleaseInstaller> Releases { get; } = new(MockBehavior.Strict);

    public Mock<INamespaceApplier> Namespaces { get; } = new(MockBehavior.Strict);

    public Mock<IObjectApplier> Objects { get; } = new(MockBehavior.Strict);

    public Mock<IWorkloadApplier> Workloads { get; } = new(MockBehavior.Strict);

    public Mock<IOutputExporter> Outputs { get; } = new(MockBehavior.Strict);

    public FleetPorts Ports => new(Provisioner.Object, Connector.Object, Releases.Object, Workloads.Object, Objects.Object, Outputs.Object, Namespaces.Object);

    /// <summary>Every call in order.</summary>
    public IReadOnlyList<string> Calls => _log;

    /// <summary>Arguments of every workload apply, in order.</summary>
    public IReadOnlyList<(IPortHandle Connection, KubeObject Workload, IReadOnlyList<IPortHandle> After)> Applied => _applied;

    /// <summary>Arguments of every release install, in order.</summary>
    public IReadOnlyList<(IPortHandle Connection, HelmRelease Release, IReadOnlyList<IPortHandle> After)> Installed => _installed;

    /// <summary>Every export.</summary>
    public IReadOnlyList<FleetOutputs> Exports => _exports;

    private TestHandle Log(string entry, TestHandle handle)
    {
        _log.Add(entry);
        return handle;
    }
}
