using System.Globalization;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;

namespace SkyRay.Fleet.Tests.Catalog;

/// <summary>The built-in version calendar: its dates are the clouds' published ones, each with its source.</summary>
public sealed class KubernetesCalendarTests
{
    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    // Amazon EKS Kubernetes release calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
    [InlineData("aws", 31, "2025-11-26", "2026-11-26")]
    [InlineData("aws", 34, "2026-12-02", "2027-12-02")]
    // AKS release calendar and LTS table (learn.microsoft.com/azure/aks/supported-kubernetes-versions): "Nov 2026" is 30 Nov.
    [InlineData("azure", 34, "2026-11-30", "2027-11-30")]
    [InlineData("azure", 35, "2027-03-31", "2028-03-31")]
    // GKE release schedule, end of standard support (cloud.google.com/kubernetes-engine/docs/release-schedule).
    [InlineData("gcp", 35, "2027-04-11", "2028-02-11")]
    public void Built_in_dates_are_the_ones_the_clouds_publish(string provider, int minor, string endOfStandard, string endOfExtended)
    {
        var cloud = provider switch { "aws" => CloudProvider.Aws, "azure" => CloudProvider.Azure, _ => CloudProvider.Gcp };

        var entry = KubernetesCalendar.BuiltIn().Find(cloud, minor);

        Assert.NotNull(entry);
        Assert.Equal(Day(endOfStandard), entry.EndOfStandardSupport);
        Assert.Equal(Day(endOfExtended), entry.EndOfExtendedSupport);
    }

    [Fact]
    public void Every_entry_names_its_source_and_every_cloud_its_document()
    {
        var calendar = KubernetesCalendar.BuiltIn();

        Assert.All(calendar.Versions, v => Assert.False(string.IsNullOrWhiteSpace(v.Source), $"{v.Provider} {v.Version} has no source"));
        Assert.Equal([CloudProvider.Aws, CloudProvider.Azure, CloudProvider.Gcp], calendar.Sources.Keys);
        Assert.Contains("docs.aws.amazon.com/eks", calendar.Sources[CloudProvider.Aws], StringComparison.Ordinal);
        Assert.Contains("learn.microsoft.com/azure/aks", calendar.Sources[CloudProvider.Azure], StringComparison.Ordinal);
        Assert.Contains("cloud.google.com/kubernetes-engine", calendar.Sources[CloudProvider.Gcp], StringComparison.Ordinal);
    }

    [Fact]
    public void Current_versions_are_those_released_and_in_standard_support_on_the_day()
    {
        var calendar = KubernetesCalendar.BuiltIn();
        var today = Day("2026-12-04");

        // EKS 1.34's standard support ended on 2026-12-02; AKS 1.34's community support on 2026-11-30; GKE 1.34's on 2026-10-01.
        Assert.Equal("1.35", calendar.CurrentText(CloudProvider.Aws, today));
        Assert.Equal("1.35, 1.36, 1.37", calendar.CurrentText(CloudProvider.Azure, today));
        Assert.Equal("1.35", calendar.CurrentText(CloudProvider.Gcp, today));
    }
}
