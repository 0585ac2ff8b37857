using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Orchestration.Simulation.Traces;

/// <summary>Opens a trace file by its extension: <c>.csv</c> streams (<see cref="CsvTrace"/>), <c>.yaml</c>/<c>.yml</c> is read whole (<see cref="TraceYamlReader"/>).</summary>
public static class TraceFiles
{
    /// <summary>Largest YAML trace read (like a stack file); longer traces are CSV.</summary>
    public const long MaxYamlBytes = 8L * 1024 * 1024;

    /// <summary>Opens a trace.</summary>
    /// <param name="path">The file.</param>
    /// <param name="start">A start that overrides the trace's (<c>--start</c>), or null.</param>
    /// <param name="bag">Where problems go (located at the file name).</param>
    /// <returns>The trace, or null with errors in <paramref name="bag"/>.</returns>
    public static TraceSource? Open(string path, DateTimeOffset? start, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(bag);
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            bag.Error("--trace", $"no file {path}", "give a trace file (.yaml or .csv); docs/simulate.md describes the format");
            return null;
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".csv")
        {
            return CsvTrace.Open(path, name, start, bag);
        }

        if (extension is not (".yaml" or ".yml"))
        {
            bag.Error("--trace", $"{name}: unknown trace format '{extension}'", "name the file .yaml, .yml or .csv");
            return null;
        }

        if (new FileInfo(path).Length > MaxYamlBytes)
        {
            bag.Error(name, $"a YAML trace of more than {MaxYamlBytes / (1024 * 1024)} MB", "write long traces as CSV, which is read as it streams");
            return null;
        }

        return TraceYamlReader.Read(File.ReadAllText(path), name, start, bag);
    }
}
