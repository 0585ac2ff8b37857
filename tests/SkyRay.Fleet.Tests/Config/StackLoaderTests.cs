using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

public sealed class StackLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Both_readers_give_the_same_fleet_spec_for_the_same_config()
    {
        var builder = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/standby", "{mode: suspend, idleAfter: 45m}")
            .SetYaml("workloads/job/runtimeEnv", "{pip: [torch]}")
            .SetYaml("kuberay", "{chartVersion: 1.7.0, values: {replicas: 2}}");

        var fromFile = builder.LoadFile(_dir).IsValid();
        var fromValues = builder.Load(_dir).IsValid();

        Assert.Equal(Canonical(fromFile), Canonical(fromValues));
        Assert.Equal("test", fromFile.Stack);
    }

    [Fact]
    public void Stack_name_comes_from_the_file_name()
    {
        var spec = StackConfigBuilder.Valid().LoadFile(_dir, "staging-eu").IsValid();

        Assert.Equal("staging-eu", spec.Stack);
    }

    [Fact]
    public void A_stack_file_over_8_MiB_is_refused_with_how_to_split_a_larger_fleet()
    {
        var path = Path.Combine(_dir, "Pulumi.huge.yaml");
        File.WriteAllText(path, "config:\n" + new string('#', (8 * 1024 * 1024) + 1));

        var result = StackLoader.LoadFile(path, StackConfigBuilder.Valid().Options());

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("Pulumi.huge.yaml", error.Path);
        Assert.Equal("the stack file is 8,388,617 bytes (8.0 MiB); SkyRay reads stack files of at most 8 MiB", error.Message);
        Assert.Contains("split it into several stacks", error.Hint, StringComparison.Ordinal);
        Assert.Contains("skyray:policyFiles", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_skyray_key_in_the_stack_file_names_the_key_and_suggests()
    {
        var path = Path.Combine(_dir, "Pulumi.dev.yaml");
        File.WriteAllText(path, StackConfigBuilder.Valid().ToStackFile("  skyray:workload: {}\n"));

        var result = StackLoader.LoadFile(path, StackConfigBuilder.Valid().Options());

        var error = result.HasError("skyray:workload", "unknown config key 'skyray:workload'");
        Assert.Equal("did you mean 'workloads'?", error.Hint);
    }

    [Fact]
    public void Unknown_key_given_to_the_values_reader_is_an_error_too()
    {
        var builder = StackConfigBuilder.Valid().Set("polices", new JsonObject());

        var result = builder.Load();

        var error = result.HasError("skyray:polices", "unknown config key 'skyray:polices'");
        Assert.Equal("did you mean 'policies'?", error.Hint);
    }

    [Fact]
    public void Keys_of_other_namespaces_are_ignored()
    {
        var path = Path.Combine(_dir, "Pulumi.dev.yaml");
        File.WriteAllText(path, StackConfigBuilder.Valid().ToStackFile("  gcp:project: x\n  kubernetes:context: y\n  plainKey: z\n"));

        StackLoader.LoadFile(path, StackConfigBuilder.Valid().Options()).IsValid();
    }

    [Fact]
    public void Near_miss_namespace_warns_that_the_key_is_ignored()
    {
        var path = Path.Combine(_dir, "Pulumi.dev.yaml");
        File.WriteAllText(path, StackConfigBuilder.Valid().ToStackFile("  skyrya:kuberay: {}\n"));

        var result = StackLoader.LoadFile(path, StackConfigBuilder.Valid().Options());

        var warning = result.HasWarning("skyrya:kuberay", "SkyRay ignores it");
        Assert.Equal("did you mean 'skyray:kuberay'?", warning.Hint);
    }

    [Fact]
    public void Secret_value_for_a_skyray_key_is_an_error_that_does_not_print_it()
    {
        var path = Path.Combine(_dir, "Pulumi.dev.yaml");
        File.WriteAllText(path, "config:\n  skyray:kuberay:\n    secure: v1:TOPSECRETCIPHERTEXT\n");

        var result = StackLoader.LoadFile(path, StackConfigBuilder.Valid().Options());

        result.HasError("skyray:kuberay", "is a secret (secure:) value");
        Assert.DoesNotContain(result.Diagnostics, d => d.ToString().Contains("TOPSECRET", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_keys_in_the_stack_file_are_located_errors()
    {
        var path = Path.Combine(_dir, "Pulumi.dev.yaml");
        File.WriteAllText(path, "config:\n  skyray:kuberay: {}\n  skyray:kuberay: {}\n");

        var result = StackLoader.LoadFile(path, StackConfigBuilder.Valid().Options());

        result.HasError("Pulumi.dev.yaml:3:3", "Duplicate key skyray:kuberay");
    }

    [Fact]
    public void Yaml_syntax_error_is_reported_with_line_and_column()
    {
        var path = Path.Combine(_dir, "Pulumi.dev.yaml");
        File.WriteAllText(path, "config:\n  skyray:clusters: {a: [1, 2}\n");

        var result = StackLoader.LoadFile(path, StackConfigBuilder.Valid().Options());

        Assert.False(result.Ok);
        Assert.Contains(result.Diagnostics, d => d.Path.StartsWith("Pulumi.dev.yaml:2:", StringComparison.Ordinal) && d.Message.StartsWith("the YAML cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_stack_file_is_an_error_not_an_exception()
    {
        var result = StackLoader.LoadFile(Path.Combine(_dir, "Pulumi.nope.yaml"), StackConfigBuilder.Valid().Options());

        result.HasError("Pulumi.nope.yaml", "does not exist");
    }

    [Fact]
    public void Empty_stack_warns_that_there_is_nothing_to_deploy()
    {
        var result = StackConfigBuilder.Empty().Load();

        result.HasWarning("skyray:clusters", "nothing to deploy");
        Assert.True(result.Ok);
    }

    [Fact]
    public void Kuberay_settings_default_and_are_validated()
    {
        var spec = StackConfigBuilder.Valid().Load().IsValid();
        Assert.Equal(("1.7.0", "kuberay-system", 0), (spec.KubeRay.ChartVersion, spec.KubeRay.Namespace, spec.KubeRay.Values.Count));

        var bad = StackConfigBuilder.Valid().SetYaml("kuberay", "{chartVersion: latest, namespce: x}").Load();
        bad.HasError("skyray:kuberay.chartVersion", "'latest' is not a chart version");
        var unknown = bad.HasError("skyray:kuberay.namespce", "unknown key 'namespce'");
        Assert.Equal("did you mean 'namespace'?", unknown.Hint);
    }

    [Fact]
    public void Values_reader_accepts_string_values_made_from_other_dotnet_types()
    {
        var builder = StackConfigBuilder.Valid();
        var values = builder.Values();
        values["clusters"]!["aws-west"]!["region"] = JsonValue.Create(new Guid("00000000-0000-0000-0000-000000000001"));

        var result = StackLoader.FromValues("test", values, _dir, builder.Options());

        result.HasError("skyray:clusters.aws-west.region", "'00000000-0000-0000-0000-000000000001' is not a region name for aws");
    }

    [Fact]
    public void Section_of_the_wrong_type_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("clusters", JsonValue.Create("aws-west")).Load();

        result.HasError("skyray:clusters", "expected clusters by name (a map), found a string");
    }

    [Fact]
    public void Missing_policy_file_is_an_error_at_its_list_entry()
    {
        var result = StackConfigBuilder.Valid().SetYaml("policyFiles", "[policies/none.yaml]").Load(_dir);

        result.HasError("skyray:policyFiles[0]", "policy file 'policies/none.yaml' does not exist");
    }

    [Fact]
    public void Policy_files_of_a_stack_in_a_subfolder_resolve_from_the_pulumi_project_folder()
    {
        File.WriteAllText(Path.Combine(_dir, StackLoader.ProjectFileName), "name: skyray-infra\nruntime: dotnet\n");
        WritePinPolicy(Path.Combine(_dir, "policies"));
        var stacks = Directory.CreateDirectory(Path.Combine(_dir, "stacks")).FullName;

        var spec = StackConfigBuilder.Valid()
            .SetYaml("policyFiles", "[policies/pin.yaml]")
            .SetYaml("workloads/job/policy", "pin")
            .LoadFile(stacks)
            .IsValid();

        Assert.Equal("aws-west", spec.Policies["pin"].ClusterSelector!.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(_dir, StackLoader.ProjectDirectory(stacks));
    }

    [SkippableFact]
    public void Without_a_project_file_policy_files_resolve_from_the_stack_files_folder()
    {
        var stacks = Directory.CreateDirectory(Path.Combine(_dir, "stacks")).FullName;
        // A Pulumi.yaml above the temp folder would make this machine's layout, not the rule, decide.
        Skip.If(StackLoader.ProjectDirectory(stacks) != stacks, $"a {StackLoader.ProjectFileName} exists above {stacks}");
        WritePinPolicy(Path.Combine(stacks, "policies"));

        var result = StackConfigBuilder.Valid().SetYaml("policyFiles", "[policies/pin.yaml]").LoadFile(stacks);

        Assert.Contains("pin", result.IsValid().Policies.Keys);
    }

    [Fact]
    public void A_policy_file_next_to_a_subfolder_stack_but_not_in_the_project_folder_is_reported_missing_there()
    {
        File.WriteAllText(Path.Combine(_dir, StackLoader.ProjectFileName), "name: skyray-infra\nruntime: dotnet\n");
        var stacks = Directory.CreateDirectory(Path.Combine(_dir, "stacks")).FullName;
        WritePinPolicy(Path.Combine(stacks, "policies"));

        var result = StackConfigBuilder.Valid().SetYaml("policyFiles", "[policies/pin.yaml]").LoadFile(stacks);

        var error = result.HasError("skyray:policyFiles[0]", $"policy file 'policies/pin.yaml' does not exist (looked in {_dir})");
        Assert.Contains("Pulumi project folder", error.Hint, StringComparison.Ordinal);
    }

    private static void WritePinPolicy(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pin.yaml"), """
            apiVersion: policy.elotl.co/v1alpha1
            kind: SchedulePolicy
            metadata:
              name: pin
            spec:
              clusterSelector:
                matchLabels:
                  kubernetes.io/metadata.name: aws-west
            """);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Canonical(FleetSpec spec) => JsonSerializer.Serialize(spec, Indented);
}
