using System.Globalization;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>
/// kubernetesVersion against the clouds' support calendar on a given day: errors for versions a cloud no longer creates
/// (with the cluster's support settings), warnings near an end date, and every message names the current versions.
/// </summary>
public sealed class VersionSupportTests
{
    private const string Path = "skyray:clusters.aws-west.kubernetesVersion";

    // A calendar written for these tests: each cloud has 1.36 (old) and 1.37 (current).
    private static readonly KubernetesCalendar Calendar = new(
        Day("2030-01-01"),
        [
            new(CloudProvider.Aws, 36, Day("2028-01-01"), Day("2029-03-01"), Day("2030-03-01"), "test"),
            new(CloudProvider.Aws, 37, Day("2029-01-01"), Day("2030-06-01"), Day("2031-06-01"), "test"),
            new(CloudProvider.Azure, 36, Day("2028-01-01"), Day("2029-03-31"), Day("2030-03-31"), "test"),
            new(CloudProvider.Azure, 37, Day("2029-01-01"), Day("2030-06-30"), Day("2031-06-30"), "test"),
            new(CloudProvider.Gcp, 36, Day("2028-01-01"), Day("2029-03-01"), Day("2030-01-01"), "test"),
            new(CloudProvider.Gcp, 37, Day("2029-01-01"), Day("2030-06-01"), Day("2031-01-01"), "test"),
        ],
        new Dictionary<CloudProvider, string>());

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static StackConfigBuilder Aws(string version, string today) =>
        StackConfigBuilder.Valid().Set("clusters/aws-west/kubernetesVersion", version).On(Day(today), Calendar);

    private static StackConfigBuilder Azure(string version, string today, string? settings = null) =>
        StackConfigBuilder.Valid()
            .SetYaml("clusters", $"{{aks: {{provider: azure, region: westeurope, kubernetesVersion: '{version}', {(settings is null ? "" : $"azure: {settings}, ")}nodePools: [{{name: cpu, instanceType: Standard_D4s_v5, maxNodes: 2}}]}}}}")
            .On(Day(today), Calendar);

    private static StackConfigBuilder Gcp(string version, string today, string? settings = null) =>
        StackConfigBuilder.Valid()
            .SetYaml("clusters", $"{{gke: {{provider: gcp, region: us-central1, kubernetesVersion: '{version}', {(settings is null ? "" : $"gcp: {settings}, ")}nodePools: [{{name: cpu, instanceType: e2-standard-4, maxNodes: 2}}]}}}}")
            .On(Day(today), Calendar);

    [Fact]
    public void Version_past_the_end_of_extended_support_is_an_error_that_names_the_current_versions()
    {
        var error = Aws("1.36", "2030-04-01").Load().HasError(Path, "EKS support for Kubernetes 1.36 ended on 2030-03-01; EKS no longer creates clusters on it");

        Assert.Contains("current EKS versions: 1.37", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Eks_version_in_extended_support_is_valid_with_a_warning_about_the_extra_cost()
    {
        var result = Aws("1.36", "2029-06-01").Load();

        var warning = result.HasWarning(Path, "is in EKS extended support since 2029-03-01, which EKS charges extra per cluster hour, until 2030-03-01");
        Assert.Contains("1.37", warning.Hint, StringComparison.Ordinal);
        result.IsValid();
    }

    [Fact]
    public void End_of_support_within_sixty_days_is_a_warning_with_the_days_left()
    {
        // 2030-06-01 is 61 days after 2030-04-01 and 60 days after 2030-04-02.
        var outside = Aws("1.37", "2030-04-01").Load();
        var inside = Aws("1.37", "2030-04-02").Load();

        Assert.DoesNotContain(outside.Diagnostics, d => d.Path == Path);
        inside.HasWarning(Path, "EKS standard support for Kubernetes 1.37 ends on 2030-06-01, in 60 day(s)");
        inside.IsValid();
    }

    [Fact]
    public void Aks_version_past_community_support_needs_long_term_support_on_the_premium_tier()
    {
        var error = Azure("1.36", "2029-06-01").Load().HasError(
            "skyray:clusters.aks.kubernetesVersion",
            "AKS community support for Kubernetes 1.36 ended on 2029-03-31; AKS creates it only with AKS long-term support (LTS) (until 2030-03-31)");
        Assert.Contains("azure.supportPlan: AKSLongTermSupport with azure.skuTier: Premium", error.Hint, StringComparison.Ordinal);

        var lts = Azure("1.36", "2029-06-01", "{supportPlan: AKSLongTermSupport, skuTier: Premium}").Load().IsValid();
        Assert.True(lts.Clusters["aks"].Azure!.LongTermSupport);
    }

    [Fact]
    public void Long_term_support_without_the_premium_tier_is_an_error_at_the_support_plan()
    {
        Azure("1.37", "2029-06-01", "{supportPlan: AKSLongTermSupport}").Load()
            .HasError("skyray:clusters.aks.azure.supportPlan", "AKS long-term support needs the Premium tier; this cluster's skuTier is Standard");
    }

    [Fact]
    public void Gke_version_past_standard_support_is_created_only_in_the_extended_channel()
    {
        var error = Gcp("1.36", "2029-06-01").Load().HasError(
            "skyray:clusters.gke.kubernetesVersion",
            "GKE standard support for Kubernetes 1.36 ended on 2029-03-01; GKE creates it only with the GKE Extended channel (until 2030-01-01)");
        Assert.Contains("gcp.releaseChannel: EXTENDED", error.Hint, StringComparison.Ordinal);

        Gcp("1.36", "2029-06-01", "{releaseChannel: EXTENDED}").Load().IsValid();
    }

    [Fact]
    public void Version_newer_than_the_calendar_is_a_warning_and_older_is_an_error()
    {
        var newer = Aws("1.38", "2030-01-01").Load();
        newer.HasWarning(Path, "Kubernetes 1.38 is not in SkyRay's version calendar (checked 2030-01-01)");
        newer.IsValid();

        Aws("1.35", "2030-01-01").Load().HasError(Path, "EKS no longer creates clusters on Kubernetes 1.35");
    }

    [Fact]
    public void Existing_clusters_are_not_checked_against_the_calendar()
    {
        StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.25', existing: {context: lab, cloud: aws}, nodePools: [{name: w, instanceType: m6i.2xlarge, maxNodes: 1}]}")
            .On(Day("2030-01-01"), Calendar)
            .Load()
            .HasNoErrorAt("skyray:clusters.lab");
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("azure")]
    [InlineData("gcp")]
    public void On_the_calendar_day_kubernetes_131_is_no_longer_created_and_135_is_current(string provider)
    {
        // The issue's day-one failure: every stack asked for 1.31, which each cloud had retired by 2026-12-04.
        var builtIn = KubernetesCalendar.BuiltIn();
        var cloud = provider switch { "aws" => CloudProvider.Aws, "azure" => CloudProvider.Azure, _ => CloudProvider.Gcp };
        var today = Day("2026-12-04");

        Assert.Contains(builtIn.Current(cloud, today), v => v.Minor == 35);
        Assert.DoesNotContain(builtIn.Current(cloud, today), v => v.Minor == 31);
        Assert.True(builtIn.Find(cloud, 31)!.EndOfExtendedSupport <= today);
    }

    [Fact]
    public void Skyray_today_sets_the_day_and_an_unreadable_value_is_an_error()
    {
        var pinned = LoadOptions.FromEnvironment(name => name == LoadOptions.TodayVariable ? "2027-02-01" : null);
        var broken = LoadOptions.FromEnvironment(name => name == LoadOptions.TodayVariable ? "tomorrow" : null);

        Assert.Equal(Day("2027-02-01"), pinned.Versions.Today);
        Assert.Equal("tomorrow", broken.TodayProblem);
        var result = StackLoader.FromValues("test", new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(), System.IO.Path.GetTempPath(), broken);
        result.HasError("SKYRAY_TODAY", "is 'tomorrow', not a date");
    }
}
