using System.Text;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;

namespace SkyRay.Fleet.Tests.Policies;

/// <summary>Builds Nova SchedulePolicy YAML documents for tests and reads them.</summary>
internal sealed class PolicyDocument
{
    private readonly List<string> _documents = [];

    public static PolicyDocument With(string name, string spec, string extraHeader = "") => new PolicyDocument().And(name, spec, extraHeader);

    public PolicyDocument And(string name, string spec, string extraHeader = "")
    {
        var text = new StringBuilder()
            .Append("apiVersion: policy.elotl.co/v1alpha1\n")
            .Append("kind: SchedulePolicy\n")
            .Append("metadata:\n  name: ").Append(name).Append('\n')
            .Append(extraHeader)
            .Append("spec:\n");
        foreach (var line in spec.ReplaceLineEndings("\n").Split('\n'))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        _documents.Add(text.ToString());
        return this;
    }

    public string Text => string.Join("---\n", _documents);

    public (IReadOnlyList<SchedulePolicy> Policies, DiagnosticBag Diagnostics) Read(IReadOnlyDictionary<string, string>? variables = null)
    {
        var diagnostics = new DiagnosticBag();
        var policies = NovaPolicyReader.ReadFile(Text, "policies.yaml", n => variables is not null && variables.TryGetValue(n, out var v) ? v : null, diagnostics);
        return (policies, diagnostics);
    }
}
