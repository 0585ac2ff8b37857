using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>
/// Reading config values: whole numbers the YAML reader typed are read without going through a JSON writer, so what they
/// read as must be what the JSON text says, for YAML-typed values and for values parsed from JSON (the Pulumi program's
/// config), whose text may be written otherwise; and the config paths messages name.
/// </summary>
public sealed class ConfigReaderTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("7", "7")]
    [InlineData("-12", "-12")]
    [InlineData("+5", "5")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("1.5", "1.5")]
    public void A_yaml_number_reads_as_its_json_text(string yaml, string json)
    {
        var value = (JsonValue)YamlJson.TypePlainScalar(yaml)!;
        Assert.Equal(json, ConfigReader.NumberText(value));
    }

    [Theory]
    [InlineData("-0", "-0")]
    [InlineData("1e2", "1e2")]
    [InlineData("4.0", "4.0")]
    [InlineData("12", "12")]
    public void A_json_number_keeps_its_text(string json, string expected)
    {
        var value = (JsonValue)JsonNode.Parse(json)!;
        Assert.Equal(expected, ConfigReader.NumberText(value));
    }

    [Theory]
    [InlineData("gpu-pool_2", "skyray:clusters.gpu-pool_2")]
    [InlineData("x/y", "skyray:clusters[\"x/y\"]")]
    [InlineData("a.b", "skyray:clusters[\"a.b\"]")]
    [InlineData("", "skyray:clusters[\"\"]")]
    [InlineData("pool ü", "skyray:clusters[\"pool ü\"]")]
    [InlineData("say \"hi\"", "skyray:clusters[\"say \\\"hi\\\"\"]")]
    public void A_key_is_written_after_a_dot_only_when_it_is_letters_digits_dashes_and_underscores(string key, string expected) =>
        Assert.Equal(expected, ConfigReader.Child("skyray:clusters", key));

    [Theory]
    [InlineData("replicas: 3", 3, null)]
    [InlineData("replicas: -1", null, "is out of range")]
    [InlineData("replicas: 2.5", null, "is not a whole number")]
    [InlineData("replicas: 1e400", null, "found the float 1e400")]
    [InlineData("replicas: \"3\"", null, "expected a whole number, found a string")]
    public void Whole_numbers_read_in_range_and_everything_else_is_reported_at_its_path(string yaml, int? expected, string? problem)
    {
        var bag = new DiagnosticBag();
        var map = (JsonObject)YamlJson.ParseSingle(yaml, "x", bag)!;
        var read = new ConfigReader(bag).Int(map, "replicas", "skyray:workloads.w", 0, 100);
        Assert.Equal(expected, read);
        if (problem is null)
        {
            Assert.Empty(bag.Items);
        }
        else
        {
            var d = Assert.Single(bag.Items);
            Assert.Equal("skyray:workloads.w.replicas", d.Path);
            Assert.Contains(problem, d.Message, StringComparison.Ordinal);
        }
    }
}
