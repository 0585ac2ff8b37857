using SkyRay.Testing;

namespace SkyRay.Cli.Tests;

/// <summary>stacks/environments.txt, the list of stacks the workflow deploys: every name in it is a stack the CLI finds and validates.</summary>
public sealed class EnvironmentsListTests
{
    private static IEnumerable<string> Environments() =>
        File.ReadAllLines(Path.Combine(SharedMaterial.RepositoryRoot, "stacks", "environments.txt"))
            .Select(l => (l.IndexOf('#', StringComparison.Ordinal) is var i and >= 0 ? l[..i] : l).Trim())
            .Where(l => l.Length > 0);

    [Fact]
    public void Every_listed_environment_is_a_valid_stack_and_the_scenario_stacks_are_not_listed()
    {
        var environments = Environments().ToList();

        Assert.Equal(["dev"], environments);
        foreach (var name in environments)
        {
            var run = CliRun.Of(SharedMaterial.RepositoryRoot, "validate", "--stack", name);
            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        }
    }
}
