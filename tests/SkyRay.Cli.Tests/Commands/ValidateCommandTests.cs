using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DevStack => File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, "Pulumi.dev.yaml"));

    [Fact]
    public void Dev_stack_validates_with_exit_0_and_a_summary()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "validate", "--stack", "dev");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Stack 'dev' is valid: 3 cluster(s), 2 workload(s), 2 policy(ies).", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Stack_is_found_beside_the_nearest_pulumi_yaml_above_the_working_directory()
    {
        var run = CliRun.Of(Path.Combine(SharedMaterial.RepositoryRoot, "src", "SkyRay.Cli"), "validate", "--stack", "dev");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
    }

    [Fact]
    public void Policy_files_of_a_stack_in_a_subfolder_resolve_from_the_folder_of_pulumi_yaml()
    {
        // The layout of this repository's stacks/ folder: the Pulumi program resolves policyFiles from its project root,
        // so the CLI must too, wherever the stack file lives and wherever it runs.
        File.WriteAllText(Path.Combine(_dir, "Pulumi.yaml"), "name: skyray-infra\nruntime: dotnet\n");
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        File.WriteAllText(Path.Combine(_dir, "policies", "pin.yaml"), """
            apiVersion: policy.elotl.co/v1alpha1
            kind: SchedulePolicy
            metadata:
              name: pin-west
            spec:
              clusterSelector:
                matchLabels:
                  kubernetes.io/metadata.name: aws-west
            """);
        var stacks = Directory.CreateDirectory(Path.Combine(_dir, "stacks")).FullName;
        File.WriteAllText(Path.Combine(stacks, "Pulumi.sub.yaml"), DevStack + "\n  skyray:policyFiles: [policies/pin.yaml]\n");

        var fromRoot = CliRun.Of(_dir, "validate", "--config-file", "stacks/Pulumi.sub.yaml");
        var fromStacks = CliRun.Of(stacks, "validate", "--config-file", "Pulumi.sub.yaml");

        Assert.True(fromRoot.ExitCode == ExitCodes.Ok, fromRoot.ToString());
        Assert.Contains("Stack 'sub' is valid: 3 cluster(s), 2 workload(s), 3 policy(ies).", fromRoot.Out, StringComparison.Ordinal);
        Assert.Equal(fromRoot.ToString(), fromStacks.ToString());
    }

    [Fact]
    public void Policy_file_missing_from_the_project_folder_names_the_folder_it_looked_in()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.yaml"), "name: skyray-infra\nruntime: dotnet\n");
        var stacks = Directory.CreateDirectory(Path.Combine(_dir, "stacks")).FullName;
        File.WriteAllText(Path.Combine(stacks, "Pulumi.sub.yaml"), DevStack + "\n  skyray:policyFiles: [policies/pin.yaml]\n");

        var run = CliRun.Of(_dir, "validate", "--config-file", "stacks/Pulumi.sub.yaml");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"policy file 'policies/pin.yaml' does not exist (looked in {_dir})", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_key_exits_2_naming_the_path_and_the_suggestion()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.dev.yaml"), DevStack.Replace("      region: us-west-2", "      regoin: us-west-2", StringComparison.Ordinal));

        var run = CliRun.Of(_dir, "validate", "--config-file", "Pulumi.dev.yaml");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("error: skyray:clusters.aws-west.regoin: unknown key 'regoin' (did you mean 'region'?)", run.Error, StringComparison.Ordinal);
        Assert.Contains("error: skyray:clusters.aws-west.region: 'region' is required", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_lists_severity_path_message_and_hint()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.dev.yaml"), DevStack.Replace("kind: RayService", "kind: RaySevice", StringComparison.Ordinal));

        var run = CliRun.Of(_dir, "validate", "--config-file", "Pulumi.dev.yaml", "--output", "json");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        var error = Assert.Single(run.Json(), d => d!["path"]!.GetValue<string>() == "skyray:workloads.llm-serve.kind")!;
        Assert.Equal("error", error["severity"]!.GetValue<string>());
        Assert.Equal("'RaySevice' is not a valid kind", error["message"]!.GetValue<string>());
        Assert.Equal("did you mean 'RayService'?", error["hint"]!.GetValue<string>());
    }

    [Fact]
    public void Json_output_of_a_valid_stack_lists_its_warnings_only()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "validate", "--stack", "dev", "-o", "json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        // The dev stack's one warning: its EKS API endpoint keeps EKS's default, open to every address.
        var warning = Assert.Single(run.Json());
        Assert.Equal(("warning", "skyray:clusters.aws-west.aws.publicAccessCidrs"), (warning!["severity"]!.GetValue<string>(), warning["path"]!.GetValue<string>()));
    }

    [Fact]
    public void Raw_spec_fields_unknown_to_the_kuberay_model_are_warnings()
    {
        const string raw = """
            raw:
              kind: RayCluster
              namespace: lab
              spec:
                rayVersion: "2.52.0"
                headGroupSpec:
                  rayStartParams: {}
                  serviceTipe: ClusterIP
                  template:
                    spec:
                      containers:
                        - name: ray-head
                          image: rayproject/ray:2.52.0
                          resources:
                            requests: {cpu: "1", memory: 2Gi}
                workerGroupSpecs:
                  - groupName: small
                    replicas: 2
                    rayStartParams: {}
                    template:
                      spec:
                        containers:
                          - name: ray-worker
                            image: rayproject/ray:2.52.0
                            resources:
                              requests: {cpu: "1", memory: 2Gi}
            """;
        var indented = string.Concat(raw.Split('\n').Select(line => "    " + line + "\n"));
        File.WriteAllText(Path.Combine(_dir, "Pulumi.dev.yaml"), DevStack.Replace("  skyray:policies:", indented + "\n  skyray:policies:", StringComparison.Ordinal));

        var run = CliRun.Of(_dir, "validate", "--config-file", "Pulumi.dev.yaml", "-o", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var warning = Assert.Single(run.Json(), w => w!["path"]!.GetValue<string>().StartsWith("skyray:workloads.", StringComparison.Ordinal))!;
        Assert.Equal("warning", warning["severity"]!.GetValue<string>());
        Assert.Equal("skyray:workloads.raw.spec.headGroupSpec.serviceTipe", warning["path"]!.GetValue<string>());
    }

    [Fact]
    public void Stack_and_config_file_together_are_invalid_input()
    {
        var run = CliRun.Of(_dir, "validate", "--stack", "dev", "--config-file", "x.yaml");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("--stack: --stack and --config-file both name a stack", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_stack_option_is_invalid_input_with_a_hint()
    {
        var run = CliRun.Of(_dir, "validate");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("no stack given (add --stack NAME", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_stack_lists_the_known_stacks()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "validate", "--stack", "prod");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("stack 'prod' has no file Pulumi.prod.yaml", run.Error, StringComparison.Ordinal);
        Assert.Contains("known stacks: compound-ai, dev, experiments, priority, queues, serving, standby, training, upgrade", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stack_name_finds_a_stack_file_in_the_stacks_folder()
    {
        var fromRoot = CliRun.Of(SharedMaterial.RepositoryRoot, "validate", "--stack", "training");
        var fromStacks = CliRun.Of(Path.Combine(SharedMaterial.RepositoryRoot, "stacks"), "validate", "--stack", "training");

        Assert.Equal(ExitCodes.Ok, fromRoot.ExitCode);
        Assert.Equal(ExitCodes.Ok, fromStacks.ExitCode);
        Assert.Equal(fromRoot.Out, fromStacks.Out);
    }

    [Fact]
    public void Stack_name_with_a_path_is_rejected()
    {
        var run = CliRun.Of(_dir, "validate", "--stack", "../dev");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("'../dev' is not a stack name", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stack_without_a_pulumi_project_above_is_invalid_input()
    {
        var run = CliRun.Of(Path.GetPathRoot(_dir)!, "validate", "--stack", "dev");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("no Pulumi.yaml found", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_config_file_is_invalid_input_not_a_crash()
    {
        var run = CliRun.Of(_dir, "validate", "--config-file", "Pulumi.none.yaml");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("error: Pulumi.none.yaml: the stack file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_output_format_is_invalid_input()
    {
        var run = CliRun.Of(_dir, "validate", "--config-file", "x.yaml", "--output", "xml");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("'xml'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_command_is_invalid_input()
    {
        var run = CliRun.Of(_dir);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("Required command was not provided", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_exits_0_and_lists_validate()
    {
        var run = CliRun.Of(_dir, "--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("validate", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Unexpected_failure_becomes_one_line_and_exit_1()
    {
        using var stderr = new StringWriter();

        var code = SkyRayCli.Run(["validate", "--stack", "dev"], new FailingWriter(), stderr, SharedMaterial.RepositoryRoot);

        Assert.Equal(ExitCodes.Unexpected, code);
        Assert.Equal("skyray: unexpected error (IOException): disk full", stderr.ToString().TrimEnd());
    }

    /// <summary>A stdout that fails like a full disk, to reach the top-level guard.</summary>
    private sealed class FailingWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("disk full");
    }
}
