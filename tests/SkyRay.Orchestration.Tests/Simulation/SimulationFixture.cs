using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Simulation.Traces;

namespace SkyRay.Orchestration.Tests.Simulation;

/// <summary>Stacks and traces written as text, loaded the way the CLI loads them.</summary>
internal static class SimulationFixture
{
    /// <summary>The hand-computed case's stack (<see cref="SkyRay.Testing.HandTrace.Stack"/>).</summary>
    public const string HandStack = SkyRay.Testing.HandTrace.Stack;

    public static FleetSpec Stack(string text, string name = "hand")
    {
        var dir = Directory.CreateTempSubdirectory("skyray-sim-");
        try
        {
            var path = Path.Combine(dir.FullName, $"Pulumi.{name}.yaml");
            File.WriteAllText(path, text);
            var loaded = FleetLoading.LoadFile(path);
            Assert.True(loaded.Ok, string.Join("\n", loaded.Diagnostics));
            return loaded.Value!;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public static TraceSource Trace(string yaml, string name = "trace.yaml")
    {
        var bag = new DiagnosticBag();
        var trace = TraceYamlReader.Read(yaml, name, null, bag);
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        return trace!;
    }
}
