using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Config;

/// <summary>
/// Checks a cluster's Kubernetes version against the clouds' support calendar (<see cref="KubernetesCalendar"/>) on a
/// given day: an error for a version the cloud no longer creates (with the cluster's support settings), a warning
/// within <see cref="WarningDays"/> days of an end date and for EKS extended support (it costs extra), and every
/// message names the versions that are current.
/// </summary>
internal static class VersionSupportCheck
{
    /// <summary>How many days before an end date the check warns.</summary>
    public const int WarningDays = 60;

    /// <summary>Checks one cluster's version.</summary>
    /// <param name="provider">The cloud (existing clusters are not checked).</param>
    /// <param name="minor">The configured minor version.</param>
    /// <param name="path">Config path of <c>kubernetesVersion</c>.</param>
    /// <param name="extended">True when the cluster takes the cloud's extended offer: always on EKS (on by default), the
    /// <c>AKSLongTermSupport</c> plan on AKS, the <c>EXTENDED</c> release channel on GKE.</param>
    /// <param name="today">The day of the check.</param>
    /// <param name="calendar">The support calendar.</param>
    /// <param name="d">Where problems go.</param>
    public static void Check(CloudProvider provider, int minor, string path, bool extended, DateOnly today, KubernetesCalendar calendar, DiagnosticBag d)
    {
        if (provider == CloudProvider.Existing)
        {
            return;
        }

        var cloud = CloudName(provider);
        var version = "1." + minor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var current = $"current {cloud} versions: {calendar.CurrentText(provider, today)}";
        var entry = calendar.Find(provider, minor);
        if (entry is null)
        {
            if (calendar.Newest(provider) is { } newest && minor > newest)
            {
                d.Warning(
                    path,
                    $"{cloud} Kubernetes {version} is not in SkyRay's version calendar (checked {KubernetesCalendar.Format(calendar.AsOf)}), so SkyRay cannot tell whether {cloud} offers it",
                    $"check the cloud's version list before deploying; {current}");
            }
            else
            {
                d.Error(path, $"{cloud} no longer creates clusters on Kubernetes {version}", $"use a current version; {current}");
            }

            return;
        }

        if (today < entry.Released)
        {
            d.Warning(
                path,
                $"{cloud} makes Kubernetes {version} generally available on {KubernetesCalendar.Format(entry.Released)} by SkyRay's calendar",
                $"check the cloud's version list before deploying; {current}");
            return;
        }

        var end = extended ? entry.EndOfExtendedSupport : entry.EndOfStandardSupport;
        if (today >= end)
        {
            if (!extended && today < entry.EndOfExtendedSupport)
            {
                d.Error(
                    path,
                    $"{StandardName(provider)} for Kubernetes {version} ended on {KubernetesCalendar.Format(entry.EndOfStandardSupport)}; {cloud} creates it only with {ExtendedName(provider)} (until {KubernetesCalendar.Format(entry.EndOfExtendedSupport)})",
                    $"use a current version ({calendar.CurrentText(provider, today)}), or {ExtendedHow(provider)}");
            }
            else
            {
                d.Error(
                    path,
                    $"{cloud} support for Kubernetes {version} ended on {KubernetesCalendar.Format(end)}; {cloud} no longer creates clusters on it",
                    $"use a current version; {current}");
            }

            return;
        }

        if (provider == CloudProvider.Aws && today >= entry.EndOfStandardSupport)
        {
            d.Warning(
                path,
                $"Kubernetes {version} is in EKS extended support since {KubernetesCalendar.Format(entry.EndOfStandardSupport)}, which EKS charges extra per cluster hour, until {KubernetesCalendar.Format(entry.EndOfExtendedSupport)}",
                $"move to a version in standard support; {current}");
            return;
        }

        foreach (var (date, what) in new[] { (entry.EndOfStandardSupport, StandardName(provider)), (entry.EndOfExtendedSupport, ExtendedName(provider)) })
        {
            var relevant = provider == CloudProvider.Aws || (extended ? date == entry.EndOfExtendedSupport : date == entry.EndOfStandardSupport);
            var days = date.DayNumber - today.DayNumber;
            if (relevant && days >= 0 && days <= WarningDays)
            {
                d.Warning(
                    path,
                    $"{what} for Kubernetes {version} ends on {KubernetesCalendar.Format(date)}, in {days} day(s)",
                    $"plan the upgrade now; {current}");
                return;
            }
        }
    }

    private static string CloudName(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => "EKS",
        CloudProvider.Azure => "AKS",
        _ => "GKE",
    };

    private static string StandardName(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => "EKS standard support",
        CloudProvider.Azure => "AKS community support",
        _ => "GKE standard support",
    };

    private static string ExtendedName(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => "EKS extended support",
        CloudProvider.Azure => "AKS long-term support (LTS)",
        _ => "the GKE Extended channel",
    };

    private static string ExtendedHow(CloudProvider provider) => provider switch
    {
        CloudProvider.Azure => "set azure.supportPlan: AKSLongTermSupport with azure.skuTier: Premium",
        _ => "set gcp.releaseChannel: EXTENDED",
    };
}
