using SkyRay.Fleet.Diagnostics;
using Xunit;

namespace SkyRay.Fleet.Tests.Diagnostics;

public class DiagnosticBagTests
{
    [Fact]
    public void ErrorCount_counts_errors_reported_and_added_but_not_warnings()
    {
        var bag = new DiagnosticBag();
        Assert.Equal(0, bag.ErrorCount);
        Assert.False(bag.HasErrors);

        bag.Warning("skyray:a", "suspicious");
        Assert.Equal(0, bag.ErrorCount);
        Assert.False(bag.HasErrors);

        bag.Error("skyray:b", "wrong");
        bag.AddRange(
        [
            new Diagnostic(Severity.Warning, "skyray:c", "odd", null),
            new Diagnostic(Severity.Error, "skyray:d", "wrong", null),
            new Diagnostic(Severity.Error, "skyray:e", "wrong", "fix it"),
        ]);

        // By hand: b, d and e are errors; a and c are warnings.
        Assert.Equal(3, bag.ErrorCount);
        Assert.True(bag.HasErrors);
        Assert.Equal(5, bag.Items.Count);
    }

    [Fact]
    public void AddRange_of_a_lazy_sequence_counts_each_error_once()
    {
        var bag = new DiagnosticBag();
        bag.Error("skyray:x", "wrong");
        var enumerated = 0;
        IEnumerable<Diagnostic> Lazy()
        {
            enumerated++;
            yield return new Diagnostic(Severity.Error, "skyray:y", "wrong", null);
            yield return new Diagnostic(Severity.Warning, "skyray:z", "odd", null);
        }

        bag.AddRange(Lazy());
        Assert.Equal(1, enumerated);
        Assert.Equal(2, bag.ErrorCount);
    }
}
