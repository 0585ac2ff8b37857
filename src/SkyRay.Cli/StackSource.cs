using System.CommandLine;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.KubeRay.Validation;
using SkyRay.Orchestration;

namespace SkyRay.Cli;

/// <summary>
/// The shared <c>--stack NAME | --config-file PATH</c> options. <c>--stack dev</c> reads <c>Pulumi.dev.yaml</c>
/// beside the nearest <c>Pulumi.yaml</c> found from the working directory upwards (like the Pulumi CLI
/// finds its project), or from that project's <c>stacks/</c> folder; <c>--config-file</c> reads the given stack file directly. <c>--kuberay-crds DIR</c> adds the
/// user's KubeRay CRD files to the checks. Every command loads through <see cref="FleetLoading"/>, the pipeline the
/// Pulumi program uses too, so all of them report the same errors.
/// </summary>
public sealed class StackSource
{
    /// <summary>The name of the Pulumi project file that marks the project folder.</summary>
    public const string ProjectFileName = "Pulumi.yaml";

    /// <summary>The folder beside <see cref="ProjectFileName"/> that holds further stack files.</summary>
    public const string StacksFolder = "stacks";

    /// <summary><c>--stack NAME</c>.</summary>
    public Option<string?> Stack { get; } = new("--stack", "-s")
    {
        Description = "Stack name: reads Pulumi.<NAME>.yaml beside the nearest Pulumi.yaml above the working directory, or in its stacks/ folder.",
        HelpName = "NAME",
    };

    /// <summary><c>--config-file PATH</c>.</summary>
    public Option<string?> ConfigFile { get; } = new("--config-file")
    {
        Description = "Path of a Pulumi stack file (Pulumi.<stack>.yaml); the stack name comes from the file name.",
        HelpName = "PATH",
    };

    /// <summary><c>--kuberay-crds DIR</c>.</summary>
    public Option<string?> KubeRayCrds { get; } = new("--kuberay-crds")
    {
        Description = "Folder of KubeRay CRD files (e.g. a release's crds/): raw specs (and rendered objects) are checked against them like the API server would.",
        HelpName = "DIR",
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Stack);
        command.Add(ConfigFile);
        command.Add(KubeRayCrds);
    }

    /// <summary>Finds the stack file the options name and loads it with every check (<see cref="FleetLoading"/>).</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="context">The CLI context (working directory).</param>
    /// <returns>The validated spec, or located errors.</returns>
    public Result<FleetSpec> Load(ParseResult parsed, CliContext context) => Load(parsed, context, out _);

    /// <summary>Finds the stack file the options name and loads it with every check (<see cref="FleetLoading"/>).</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="context">The CLI context (working directory, resolves the CRD folder).</param>
    /// <param name="schemas">The CRD schemas when <c>--kuberay-crds</c> was given and read, else null.</param>
    /// <param name="checkRawSpecsAgainstCrds">Check raw specs against the CRDs (off for <c>render</c>, which checks the
    /// rendered objects instead, so each finding is reported once).</param>
    /// <returns>The validated spec, or located errors.</returns>
    public Result<FleetSpec> Load(ParseResult parsed, CliContext context, out CrdSchemaSet? schemas, bool checkRawSpecsAgainstCrds = true)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(context);
        schemas = null;
        var file = Locate(parsed.GetValue(Stack), parsed.GetValue(ConfigFile), context, out var problem);
        if (file is null)
        {
            return new Result<FleetSpec>(null, [problem!]);
        }

        var loaded = StackLoader.LoadFile(file);
        if (!loaded.Ok || parsed.GetValue(KubeRayCrds) is not { } crdDirectory)
        {
            return FleetLoading.Complete(loaded);
        }

        var bag = new DiagnosticBag();
        schemas = CrdSchemaSet.LoadDirectory(context.ResolvePath(crdDirectory), bag);
        var complete = FleetLoading.Complete(loaded, checkRawSpecsAgainstCrds ? schemas : null);
        bag.AddRange(complete.Diagnostics);
        return new Result<FleetSpec>(bag.HasErrors ? null : complete.Value, bag.Sorted());
    }

    private static string? Locate(string? stack, string? configFile, CliContext context, out Diagnostic? problem)
    {
        problem = null;
        if (stack is not null && configFile is not null)
        {
            problem = new Diagnostic(Severity.Error, "--stack", "--stack and --config-file both name a stack", "give only one of them");
            return null;
        }

        if (configFile is not null)
        {
            if (configFile.Trim().Length == 0)
            {
                problem = new Diagnostic(Severity.Error, "--config-file", "the path is empty", "give the path of a Pulumi.<stack>.yaml file");
                return null;
            }

            return context.ResolvePath(configFile);
        }

        if (stack is null)
        {
            problem = new Diagnostic(Severity.Error, "--stack", "no stack given", "add --stack NAME (reads Pulumi.NAME.yaml) or --config-file PATH");
            return null;
        }

        if (stack.Length == 0 || stack.IndexOfAny(['/', '\\', ':']) >= 0 || stack.Contains("..", StringComparison.Ordinal))
        {
            problem = new Diagnostic(Severity.Error, "--stack", $"'{stack}' is not a stack name", "use the bare name, e.g. --stack dev; for a path use --config-file");
            return null;
        }

        var project = FindProjectDirectory(context.WorkingDirectory);
        if (project is null)
        {
            problem = new Diagnostic(
                Severity.Error,
                "--stack",
                $"no {ProjectFileName} found in {context.WorkingDirectory} or any folder above it",
                "run skyray inside the project, or use --config-file PATH");
            return null;
        }

        // The project's own stacks sit beside Pulumi.yaml (what `pulumi up` reads); scenario and environment stacks
        // are kept in stacks/ (docs/deploy.md), and the CLI finds those by name too.
        string[] folders = [project, Path.Combine(project, StacksFolder)];
        var path = folders.Select(f => Path.Combine(f, $"Pulumi.{stack}.yaml")).FirstOrDefault(File.Exists);
        if (path is null)
        {
            var known = folders.Where(Directory.Exists)
                .SelectMany(f => Directory.EnumerateFiles(f, "Pulumi.*.yaml"))
                .Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length])
                .Where(n => !n.EndsWith(".deploy", StringComparison.Ordinal)) // Pulumi Deployments settings, not stacks
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            problem = new Diagnostic(
                Severity.Error,
                "--stack",
                $"stack '{stack}' has no file Pulumi.{stack}.yaml in {project} or its {StacksFolder}/ folder",
                known.Count == 0 ? "create it with 'pulumi stack init'" : $"known stacks: {string.Join(", ", known)}");
            return null;
        }

        return path;
    }

    private static string? FindProjectDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ProjectFileName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
