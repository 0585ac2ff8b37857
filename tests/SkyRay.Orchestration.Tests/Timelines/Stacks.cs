using SkyRay.Fleet.Config;

namespace SkyRay.Orchestration.Tests.Timelines;

/// <summary>Loads a stack file's text the way <c>skyray</c> does (every check).</summary>
internal static class Stacks
{
    public static FleetSpec Load(string text)
    {
        var dir = Directory.CreateTempSubdirectory("skyray-timeline-");
        try
        {
            var path = Path.Combine(dir.FullName, "Pulumi.timeline.yaml");
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
}
