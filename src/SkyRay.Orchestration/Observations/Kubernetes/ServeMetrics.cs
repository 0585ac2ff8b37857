using System.Globalization;

namespace SkyRay.Orchestration.Observations.Kubernetes;

/// <summary>Reads Ray Serve's Prometheus text exposition (a Ray pod's <c>/metrics</c> on port 8080).</summary>
public static class ServeMetrics
{
    /// <summary>Ray Serve's gauge of HTTP requests its proxy is handling now (Ray's Serve dashboard panel "Ongoing HTTP Requests").</summary>
    public const string OngoingHttpRequests = "ray_serve_num_ongoing_http_requests";

    /// <summary>The sum of <see cref="OngoingHttpRequests"/> over every series in the text.</summary>
    /// <param name="text">The exposition text.</param>
    /// <returns>The sum; 0 when Serve exports the metric family with no series; null when the family is absent (the pod
    /// exports no Serve metrics, so nothing is known).</returns>
    public static double? OngoingRequests(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double? total = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# TYPE " + OngoingHttpRequests + " ", StringComparison.Ordinal))
            {
                total ??= 0;
                continue;
            }

            if (!line.StartsWith(OngoingHttpRequests, StringComparison.Ordinal) || line.Length == OngoingHttpRequests.Length
                || line[OngoingHttpRequests.Length] is not ('{' or ' '))
            {
                continue;
            }

            var valueStart = line[OngoingHttpRequests.Length] == '{' ? line.IndexOf('}', StringComparison.Ordinal) + 1 : OngoingHttpRequests.Length;
            var parts = line[valueStart..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 0 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                total = (total ?? 0) + value;
            }
        }

        return total;
    }
}
