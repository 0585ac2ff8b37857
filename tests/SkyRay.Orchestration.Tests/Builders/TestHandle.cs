using SkyRay.Orchestration.Ports;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>A handle Moq'd ports return: which port made it, for which cluster.</summary>
public sealed record TestHandle(string Cluster, string Port) : IPortHandle;
