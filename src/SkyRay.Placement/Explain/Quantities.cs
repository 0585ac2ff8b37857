using System.Globalization;

namespace SkyRay.Placement.Explain;

/// <summary>Resource amounts in the words a user reads (<c>3.5 CPU</c>, <c>14.5 GiB</c>).</summary>
internal static class Quantities
{
    public static string Cpu(long millis) => string.Create(CultureInfo.InvariantCulture, $"{millis / 1000.0:0.###} CPU");

    public static string Memory(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB");

    public static string Pod(long cpu, long mem, int gpu, string? gpuType) =>
        gpu > 0 ? $"{Cpu(cpu)}, {Memory(mem)}, {gpu}×{gpuType ?? "GPU"}" : $"{Cpu(cpu)}, {Memory(mem)}";
}
