using Moq;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>
/// Strict Moq ports that return a <see cref="TestHandle"/> per call and log every call as
/// <c>"provision a"</c>, <c>"connect a"</c>, <c>"operator a"</c>, <c>"namespace ns@a"</c>, <c>"apply w@a"</c>, <c>"export"</c>,
/// in call order. The orchestrator calls the four-argument <see cref="IWorkloadApplier.Apply(IPortHandle, IPortHandle, KubeObject, IPortHandle?)"/>;
/// only that one is set up, so a call to the old overload fails the strict mock.
/// </summary>
public sealed class MockPorts
{
    private readonly List<string> _log = [];
    private readonly List<FleetOutputs> _exports = [];
    private readonly List<(IPortHandle Connection, IPortHandle Operator, KubeObject Workload, IPortHandle? Namespace)> _applied = [];

    public MockPorts()
    {
        Provisioner.Setup(p => p.Provision(It.IsAny<ClusterProvisionSpec>()))
            .Returns((ClusterProvisionSpec s) => Log($"provision {s.Cluster.Name}", new TestHandle(s.Cluster.Name, "cluster")));
        Connector.Setup(c => c.Connect(It.IsAny<ClusterSpec>(), It.IsAny<IPortHandle?>()))
            .Returns((ClusterSpec c, IPortHandle? _) => Log($"connect {c.Name}", new TestHandle(c.Name, "connection")));
        Operator.Setup(o => o.Install(It.IsAny<IPortHandle>(), It.IsAny<OperatorRelease>()))
            .Returns((IPortHandle c, OperatorRelease _) => Log($"operator {c.Cluster}", new TestHandle(c.Cluster, "operator")));
        Namespaces.Setup(n => n.Apply(It.IsAny<IPortHandle>(), It.IsAny<KubeObject>()))
            .Returns((IPortHandle c, KubeObject ns) => Log($"namespace {ns.Name}@{c.Cluster}", new TestHandle(c.Cluster, "namespace/" + ns.Name)));
        Workloads.Setup(w => w.Apply(It.IsAny<IPortHandle>(), It.IsAny<IPortHandle>(), It.IsAny<KubeObject>(), It.IsAny<IPortHandle?>()))
            .Returns((IPortHandle c, IPortHandle op, KubeObject o, IPortHandle? ns) =>
            {
                _applied.Add((c, op, o, ns));
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

    public Mock<IOperatorInstaller> Operator { get; } = new(MockBehavior.Strict);

    public Mock<INamespaceApplier> Namespaces { get; } = new(MockBehavior.Strict);

    public Mock<IWorkloadApplier> Workloads { get; } = new(MockBehavior.Strict);

    public Mock<IOutputExporter> Outputs { get; } = new(MockBehavior.Strict);

    public FleetPorts Ports => new(Provisioner.Object, Connector.Object, Operator.Object, Workloads.Object, Outputs.Object, Namespaces.Object);

    /// <summary>Every call in order.</summary>
    public IReadOnlyList<string> Calls => _log;

    /// <summary>Arguments of every apply, in order.</summary>
    public IReadOnlyList<(IPortHandle Connection, IPortHandle Operator, KubeObject Workload, IPortHandle? Namespace)> Applied => _applied;

    /// <summary>Every export.</summary>
    public IReadOnlyList<FleetOutputs> Exports => _exports;

    private TestHandle Log(string entry, TestHandle handle)
    {
        _log.Add(entry);
        return handle;
    }
}
