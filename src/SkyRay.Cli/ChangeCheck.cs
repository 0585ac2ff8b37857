using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Runs;

namespace SkyRay.Cli;

/// <summary>
/// Whether the next <c>pulumi up</c> would change anything: it would when the outputs it writes (placements, cluster states and
/// idle clocks, upgrades, traffic, finished jobs, unreachable counts) or the fingerprint of what it declares
/// (<see cref="RunFingerprint"/>) differ from the stack's current outputs. A schedule runs <c>pulumi up</c> only then.
/// </summary>
public static class ChangeCheck
{
    /// <summary>What would change, one line per output that differs; empty when nothing would.</summary>
    /// <param name="run">The next run, decided with the stack's outputs (and the observation).</param>
    /// <param name="previous">The stack's current outputs.</param>
    /// <returns>The lines.</returns>
    public static IReadOnlyList<string> Changes(RunPlan run, PreviousRun previous)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(previous);
        var next = StackOutputs.Write(run.Outputs with { Fingerprint = RunFingerprint.Of(run) });
        if (previous.Outputs is null)
        {
            return ["the stack has no outputs yet: the first pulumi up creates everything"];
        }

        var now = StackOutputs.Write(previous.Outputs);
        var lines = new List<string>();
        foreach (var name in StackOutputs.Names)
        {
            var a = now[name]?.ToJsonString();
            var b = next[name]?.ToJsonString();
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                lines.Add(name == StackOutputs.FingerprintOutput
                    ? "changes: what the stack declares (resources or their settings)"
                    : $"changes: output {name}");
            }
        }

        if (lines.Count > 0)
        {
            lines.AddRange(run.StepLines());
        }

        return lines;
    }
}
