using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Workloads;

/// <summary>How a container image reference pins what runs.</summary>
public enum ImagePin
{
    /// <summary>A digest (<c>@sha256:…</c>): the exact image, whatever tags move.</summary>
    Digest,

    /// <summary>A tag other than <c>latest</c>.</summary>
    Tag,

    /// <summary>The tag <c>latest</c>, written out.</summary>
    Latest,

    /// <summary>No tag and no digest: the runtime pulls <c>latest</c>.</summary>
    Untagged,
}

/// <summary>
/// Reads container image references the way the container runtimes do (<c>[registry[:port]/]repository[:tag][@digest]</c>):
/// a tag is the part after the last <c>:</c> of the last path component, a digest follows <c>@</c>.
/// </summary>
public static class ImageReferences
{
    /// <summary>How <paramref name="image"/> is pinned.</summary>
    /// <param name="image">An image reference.</param>
    /// <returns>The pin.</returns>
    public static ImagePin Pin(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return ImagePin.Digest;
        }

        // A registry port ("host:5000/ray") has its colon before the last slash; a tag's colon is after it.
        var lastPart = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastPart.LastIndexOf(':');
        if (colon < 0)
        {
            return ImagePin.Untagged;
        }

        return string.Equals(lastPart[(colon + 1)..], "latest", StringComparison.Ordinal) ? ImagePin.Latest : ImagePin.Tag;
    }

    /// <summary>
    /// Warns at <paramref name="path"/> when the image is untagged or <c>:latest</c>: what runs would change under the
    /// workload at the next pull, and copies on different clusters could run different images. Digests and other tags pass.
    /// </summary>
    /// <param name="image">The image reference.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="diagnostics">Where the warning goes.</param>
    public static void Check(string image, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (string.IsNullOrWhiteSpace(image))
        {
            return;
        }

        var shown = KubernetesNames.Shorten(image);
        switch (Pin(image))
        {
            case ImagePin.Untagged:
                diagnostics.Warning(
                    path,
                    $"image '{shown}' has no tag, so every pull takes whatever 'latest' is then; copies on different clusters may run different images",
                    $"pin a version or a digest, e.g. {shown}:{WorkloadReader.DefaultRayVersion} or {shown}@sha256:<digest>");
                break;
            case ImagePin.Latest:
                var repository = image[..image.LastIndexOf(':')];
                diagnostics.Warning(
                    path,
                    $"image '{shown}' uses the moving tag 'latest'; copies on different clusters may run different images",
                    $"pin a version or a digest, e.g. {KubernetesNames.Shorten(repository)}:{WorkloadReader.DefaultRayVersion} or {KubernetesNames.Shorten(repository)}@sha256:<digest>");
                break;
        }
    }
}
