using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

public sealed class ValidateKubeRayTests : IDisposable
{
    private const string Stack = """
        config:
          skyray:clusters:
            aws-1:
              provider: aws
              region: us-east-1
              kubernetesVersion: "1.35"
              lifecycle: static
              nodePools:
                - name: cpu
                  instanceType: m6i.2xlarge
                  minNodes: 1
                  maxNodes: 6
          skyray:workloads:
            pasted:
              kind: RayCluster
              namespace: ml
              spec:
                rayVersion: "2.52.0"
                headGroupSpec:
                  rayStartParams: {}
                  template:
                    spec:
                      containers:
                      - name: ray-head
                        image: rayproject/ray:2.52.0
                        resources:
                          requests: {cpu: "1", memory: 2Gi}
                workerGroupSpecs:
                - groupName: small
                  replicas: 1
                  minReplicas: 1
                  maxReplica: 2
                  template:
                    spec:
                      containers:
                      - name: ray-worker
                        image: rayproject/ray:2.52.0
        """;

    private readonly TempProject _project = new("skyray-validate-");

    public ValidateKubeRayTests() => _project.WriteStack("test", Stack);

    public void Dispose() => _project.Dispose();

    private (int Code, string Out, string Error) Run(params string[] args)
    {
        var run = _project.Run(["validate", "--stack", "test", .. args]);
        return (run.ExitCode, run.Out, run.Error);
    }

    [Fact]
    public void Typo_in_a_raw_spec_is_a_warning_from_the_built_in_model()
    {
        var run = Run();
        Assert.Equal(ExitCodes.Ok, run.Code);
        Assert.Contains("warning: skyray:workloads.pasted.spec.workerGroupSpecs[0].maxReplica", run.Out, StringComparison.Ordinal);
        Assert.Contains("did you mean 'maxReplicas'", run.Out, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Crd_files_add_the_api_servers_view_of_the_raw_spec()
    {
        var run = Run("--kuberay-crds", SharedMaterial.Require(SharedMaterial.KubeRayCrds));
        Assert.Equal(ExitCodes.Ok, run.Code);
        Assert.Contains("the API server would silently drop it", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("plan")]
    [InlineData("simulate")]
    [InlineData("render")]
    public void Every_command_rejects_a_raw_spec_the_built_in_model_rejects(string command)
    {
        // A wrongly typed enum only the KubeRay model knows about: the Fleet loader alone would accept it.
        _project.WriteStack("test", Stack.Replace("        workerGroupSpecs:", "        upgradeStrategy: {type: Sometimes}\n        workerGroupSpecs:", StringComparison.Ordinal));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] extra = command == "render" ? ["--out", Path.Combine(_project.Directory, "out")] : [];
        var code = SkyRayCli.Run([command, "--stack", "test", .. extra], stdout, stderr, _project.Directory);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("error: skyray:workloads.pasted.spec.upgradeStrategy.type", stdout.ToString() + stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_project.Directory, "out")));
    }

    [Fact]
    public void Missing_crd_folder_is_invalid_input()
    {
        var run = Run("--kuberay-crds", "no-such-folder");
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("the CRD folder does not exist", run.Error, StringComparison.Ordinal);
    }
}
