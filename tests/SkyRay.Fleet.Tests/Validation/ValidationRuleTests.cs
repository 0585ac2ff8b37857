using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Tests.Validation;

public sealed class ValidationRuleTests
{
    [Theory]
    [InlineData("regoin", "region")]
    [InlineData("nodepools", "nodePools")]
    [InlineData("kubernetesVersoin", "kubernetesVersion")]
    public void Closest_suggests_keys_within_a_few_edits(string typo, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(typo, ["provider", "region", "nodePools", "kubernetesVersion", "labels"]));

    [Fact]
    public void Closest_suggests_nothing_for_unrelated_words() =>
        Assert.Null(Suggestions.Closest("banana", ["provider", "region", "labels"]));

    [Theory]
    [InlineData("500m", 500)]
    [InlineData("4", 4000)]
    [InlineData("1.5", 1500)]
    [InlineData("0.0001", 1)]
    [InlineData("2e2", 200_000)]
    public void Cpu_quantities_become_millicores_rounded_up(string text, long millis)
    {
        Assert.True(Quantities.TryParseCpu(text, out var value, out var problem), problem);
        Assert.Equal(millis, value);
    }

    [Theory]
    [InlineData("16Gi", 16L << 30)]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("1G", 1_000_000_000L)]
    public void Memory_quantities_become_bytes(string text, long bytes)
    {
        Assert.True(Quantities.TryParseMemory(text, out var value, out var problem), problem);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("16GB")]
    [InlineData("-1")]
    [InlineData("1e99999999")]
    [InlineData("99999999999999999999999999999999999999999")]
    [InlineData("Gi")]
    [InlineData("")]
    [InlineData("4\n")]
    public void Malformed_or_unbounded_quantities_are_rejected_without_throwing(string text) =>
        Assert.False(Quantities.TryParseMemory(text, out _, out _));

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("2h", 7200)]
    public void Durations_accept_hours_minutes_seconds(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("0s")]
    [InlineData("30m1h")]
    [InlineData("9999999h")]
    [InlineData("1d")]
    public void Durations_reject_missing_units_zero_wrong_order_and_huge_values(string text) =>
        Assert.False(Durations.TryParse(text, out _, out _));

    [Theory]
    [InlineData("team", null)]
    [InlineData("example.com/team", null)]
    [InlineData("-team", "must be letters")]
    [InlineData("example.com/", "has an empty name part")]
    public void Label_keys_follow_kubernetes_rules(string key, string? problemPart)
    {
        var problem = KubernetesNames.CheckLabelKey(key);
        if (problemPart is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(problemPart, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Label_key_prefix_longer_than_253_characters_is_rejected()
    {
        var prefix = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));
        Assert.Contains("at most 253", KubernetesNames.CheckLabelKey(prefix + "/team"), StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_label_rejects_a_trailing_newline() =>
        Assert.NotNull(KubernetesNames.CheckDnsLabel("name\n"));

    [Theory]
    [InlineData("1.31", true)]
    [InlineData("1.25", true)]
    [InlineData("1.24", false)]
    [InlineData("v1.31", false)]
    [InlineData("2.0", false)]
    public void Kubernetes_versions_are_1_dot_minor_within_the_sane_range(string text, bool valid) =>
        Assert.Equal(valid, KubernetesVersions.TryParse(text, out _, out _, out _));
}
