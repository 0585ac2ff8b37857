using System.Globalization;
using System.Text.RegularExpressions;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>
/// Ray versions in rayVersion and in official image tags are read by hand. What they read must be what the documented
/// patterns (KubeRay's version comparison, the official image names) match; here the patterns themselves, as regular
/// expressions, are the other method, on hand-picked and random texts.
/// </summary>
public sealed class RayVersionParsingTests
{
    private static readonly Regex VersionPattern = new(@"^v?([0-9]{1,4})\.([0-9]{1,4})(?:\.([0-9]{1,4}))?(?:[-+].*)?\z", RegexOptions.CultureInvariant);
    private static readonly Regex ImagePattern = new(@"(?:^|/)rayproject/ray(?:-ml|-llm)?:([0-9]+\.[0-9]+(?:\.[0-9]+)?)(?:[-@].*)?\z", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData("2.52.0", "2.52.0")]
    [InlineData("2.52", "2.52.0")]
    [InlineData("v2.52.1-rc1", "2.52.1")]
    [InlineData("2.9.3+build", "2.9.3")]
    [InlineData("0012.0003", "12.3.0")]
    [InlineData("2.52.0.1", null)]
    [InlineData("12345.1", null)]
    [InlineData("2", null)]
    [InlineData("V2.52.0", null)]
    [InlineData("2.52.0-rc\n1", null)]
    [InlineData("", null)]
    public void Ray_versions_read_as_kuberay_compares_them(string text, string? expected)
    {
        var parsed = SecurityReader.TryParseRayVersion(text, out var version);
        Assert.Equal(expected is not null, parsed);
        if (expected is not null)
        {
            Assert.Equal(Version.Parse(expected), version);
        }
    }

    [Theory]
    [InlineData("rayproject/ray:2.52.0-gpu", "2.52.0")]
    [InlineData("docker.io/rayproject/ray-ml:2.9.3", "2.9.3")]
    [InlineData("rayproject/ray-llm:2.46.0@sha256:abc", "2.46.0")]
    [InlineData("myorg/rayproject/ray:2.1", "2.1.0")]
    [InlineData("notrayproject/ray:2.1.0", null)]
    [InlineData("rayproject/ray-gpu:2.1.0", null)]
    [InlineData("rayproject/ray:latest", null)]
    [InlineData("rayproject/ray:2.52.x", null)]
    [InlineData("rayproject/ray:12345.1.0", null)]
    [InlineData("x/rayproject/ray:nightly/rayproject/ray:2.3.0", "2.3.0")]
    public void Official_image_tags_name_their_ray_version(string image, string? expected) =>
        Assert.Equal(expected is null ? null : Version.Parse(expected), SecurityReader.OfficialImageVersion(image));

    [Fact]
    public void Random_texts_read_as_the_patterns_match_them()
    {
        var random = new Random(20261206);
        string[] pieces = ["rayproject/ray", "-ml", "-llm", ":", "/", ".", "v", "-", "+", "@", "\n", "x", "gpu", "sha256", "0", "2", "52", "12345", "0007", "9999", "docker.io/", "ray"];
        for (var n = 0; n < 40_000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.True(Expected(text) == (SecurityReader.TryParseRayVersion(text, out var v) ? v : null), $"rayVersion '{text}'");
            var match = ImagePattern.Match(text);
            var image = match.Success ? Expected(match.Groups[1].Value) : null;
            Assert.True(image == SecurityReader.OfficialImageVersion(text), $"image '{text}'");
        }
    }

    private static Version? Expected(string text)
    {
        var match = VersionPattern.Match(text);
        static int Part(Group g) => g.Success ? int.Parse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        return match.Success ? new Version(Part(match.Groups[1]), Part(match.Groups[2]), Part(match.Groups[3])) : null;
    }
}
