using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Tests.Support;

namespace SkyRay.Infra.Tests.Program;

/// <summary>
/// Relative <c>skyray:policyFiles</c> resolve from the Pulumi project folder, in the program as in the <c>skyray</c> CLI,
/// so a stack file kept in <c>stacks/</c> means the same policies to both.
/// </summary>
public sealed class PolicyFileTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("skyray-infra-project-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public async Task Policy_files_resolve_from_the_project_root_the_engine_reports()
    {
        File.WriteAllText(Path.Combine(_project, StackLoader.ProjectFileName), "name: skyray-infra\nruntime: dotnet\n");
        Directory.CreateDirectory(Path.Combine(_project, "policies"));
        File.WriteAllText(Path.Combine(_project, "policies", "pin.yaml"), """
            apiVersion: policy.elotl.co/v1alpha1
            kind: SchedulePolicy
            metadata:
              name: pin-lab2
            spec:
              clusterSelector:
                matchLabels:
                  kubernetes.io/metadata.name: lab2
            """);
        var config = StackConfig.FromTrees("pinned", new Dictionary<string, JsonNode>
        {
            ["clusters"] = new JsonObject { ["lab"] = Existing("lab"), ["lab2"] = Existing("lab2") },
            ["workloads"] = new JsonObject
            {
                ["batch"] = new JsonObject
                {
                    ["kind"] = "RayCluster",
                    ["policy"] = "pin-lab2",
                    ["head"] = new JsonObject { ["cpu"] = 1, ["memory"] = "2Gi" },
                    ["workerGroups"] = new JsonArray { new JsonObject { ["name"] = "workers", ["cpu"] = 1, ["memory"] = "2Gi", ["replicas"] = 1 } },
                },
            },
            ["policyFiles"] = new JsonArray { "policies/pin.yaml" },
        });

        var result = await PulumiRun.RunAsync(config, rootDirectory: _project);

        var workloads = await result.OutputAsync<ImmutableSortedDictionary<string, object?>>("workloads");
        Assert.Equal<string>(["lab2"], (IEnumerable<string>)workloads["batch"]!);
        Assert.Equal("lab2-batch", Assert.Single(result.Mocks.Resources, r => r.Type == "kubernetes:ray.io/v1:RayCluster").Name);
    }

    [Fact]
    public void Without_a_root_from_the_engine_the_project_folder_is_found_above_the_working_directory()
    {
        File.WriteAllText(Path.Combine(_project, StackLoader.ProjectFileName), "name: skyray-infra\nruntime: dotnet\n");
        var programFolder = Directory.CreateDirectory(Path.Combine(_project, "src", "SkyRay.Infra")).FullName;

        // What DeploymentInstance.RootDirectory does when the engine reports no root (inline programs, old CLIs).
        var root = FleetProgram.ProjectRoot(() => throw new InvalidOperationException("no root directory"), programFolder);

        Assert.Equal(_project, root);
    }

    [Fact]
    public void The_engines_project_root_wins_over_the_working_directory()
    {
        var root = FleetProgram.ProjectRoot(() => _project, Path.GetTempPath());

        Assert.Equal(_project, root);
    }

    private static JsonObject Existing(string name) => new()
    {
        ["provider"] = "existing",
        ["kubernetesVersion"] = "1.30",
        ["existing"] = new JsonObject { ["context"] = "kind-" + name, ["cloud"] = "aws" },
        ["nodePools"] = new JsonArray
        {
            new JsonObject { ["name"] = "workers", ["instanceType"] = "m6i.xlarge", ["minNodes"] = 2, ["maxNodes"] = 2 },
        },
    };
}
