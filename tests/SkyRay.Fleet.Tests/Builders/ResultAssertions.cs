using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Tests.Builders;

/// <summary>Assertions on load results that print every diagnostic when they fail.</summary>
internal static class ResultAssertions
{
    public static Diagnostic HasError(this Result<FleetSpec> result, string path, string messagePart) =>
        Has(result, Severity.Error, path, messagePart);

    public static Diagnostic HasWarning(this Result<FleetSpec> result, string path, string messagePart) =>
        Has(result, Severity.Warning, path, messagePart);

    public static FleetSpec IsValid(this Result<FleetSpec> result)
    {
        Assert.True(result.Ok, "expected a valid stack, got:\n" + string.Join("\n", result.Diagnostics));
        return result.Value!;
    }

    public static void HasNoErrorAt(this Result<FleetSpec> result, string pathPrefix) =>
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error && d.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    private static Diagnostic Has(Result<FleetSpec> result, Severity severity, string path, string messagePart)
    {
        var match = result.Diagnostics.FirstOrDefault(d =>
            d.Severity == severity && d.Path == path && d.Message.Contains(messagePart, StringComparison.Ordinal));
        Assert.True(
            match is not null,
            $"expected {severity} at '{path}' containing '{messagePart}', got:\n" + string.Join("\n", result.Diagnostics));
        if (severity == Severity.Error)
        {
            Assert.Null(result.Value);
        }

        return match!;
    }
}
