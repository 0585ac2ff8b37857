namespace SkyRay.Cli.Tests;

/// <summary>
/// A throw-away Pulumi project folder (a <c>Pulumi.yaml</c> and the stack files a test writes) for running the CLI
/// with <c>--stack NAME</c> the way a user does. Deleted on dispose.
/// </summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(string prefix)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        File.WriteAllText(Path.Combine(Directory, "Pulumi.yaml"), "name: skyray-test\nruntime: dotnet\n");
    }

    /// <summary>The project folder.</summary>
    public string Directory { get; }

    /// <summary>Writes <c>Pulumi.&lt;stack&gt;.yaml</c> into the project.</summary>
    public void WriteStack(string stack, string text) => File.WriteAllText(Path.Combine(Directory, $"Pulumi.{stack}.yaml"), text);

    /// <summary>Runs the CLI in the project folder.</summary>
    public CliRun Run(params string[] args) => CliRun.Of(Directory, args);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
