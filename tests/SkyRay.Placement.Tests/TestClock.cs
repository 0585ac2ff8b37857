using System.Runtime.CompilerServices;

namespace SkyRay.Placement.Tests;

/// <summary>
/// Pins the day Kubernetes versions are checked on (SKYRAY_TODAY), so stack files and configs validate the same way
/// whenever the tests run: the day the version calendar was last checked against the clouds' documents.
/// </summary>
internal static class TestClock
{
    public const string Today = "2026-12-04";

    [ModuleInitializer]
    internal static void Pin() => Environment.SetEnvironmentVariable("SKYRAY_TODAY", Today);
}
