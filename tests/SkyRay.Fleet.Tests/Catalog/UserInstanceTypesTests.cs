using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Tests.Catalog;

public sealed class UserInstanceTypesTests
{
    private const string Path = "skyray:instanceTypes";

    private static (IReadOnlyList<InstanceType> Types, DiagnosticBag Diagnostics) Read(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        var node = YamlJson.ParseSingle(yaml, Path, diagnostics);
        Assert.Empty(diagnostics.Items);
        return (InstanceCatalogReader.ReadUserTypes(node, Path, diagnostics), diagnostics);
    }

    [Fact]
    public void User_entry_overrides_the_built_in_type_of_the_same_provider_and_name()
    {
        var (types, diagnostics) = Read(new InstanceTypeYaml("g5.xlarge", "aws").Price("0.5").Gpus(1, "A10G").AsList());

        var catalog = InstanceCatalogReader.BuiltIn().With(types);

        Assert.Empty(diagnostics.Items);
        Assert.True(catalog.TryGet("aws", "g5.xlarge", out var g5));
        Assert.Equal(0.5m, g5.HourlyUsd);
        Assert.Equal(InstanceCatalogReader.BuiltIn().Count, catalog.Count);
        Assert.True(InstanceCatalogReader.BuiltIn().TryGet("aws", "g5.xlarge", out var original));
        Assert.Equal(1.006m, original.HourlyUsd);
    }

    [Fact]
    public void User_entry_adds_a_new_gpu_type_that_shows_in_the_providers_gpu_list()
    {
        var (types, _) = Read(new InstanceTypeYaml("Standard_NC8as_T4_v3", "azure").Cpu(8, 56).Price("0.752").Gpus(1, "T4").AsList());

        var catalog = InstanceCatalogReader.BuiltIn().With(types);

        Assert.Contains("T4", catalog.GpuTypes("azure"));
    }

    [Fact]
    public void Map_form_reads_the_same_types_as_the_list_form()
    {
        var entry = new InstanceTypeYaml("custom.large", "aws").Cpu(2, 8).Price("0.1");
        var (fromList, listDiagnostics) = Read(entry.AsList());
        var (fromMap, mapDiagnostics) = Read(entry.AsMap());

        Assert.Empty(listDiagnostics.Items);
        Assert.Empty(mapDiagnostics.Items);
        Assert.Equal(fromList, fromMap);
    }

    [Fact]
    public void Gpu_type_spelling_is_canonicalised()
    {
        var (types, _) = Read(new InstanceTypeYaml("x.gpu", "gcp").Gpus(2, "nvidia-l4").AsList());

        Assert.Equal("L4", Assert.Single(types).GpuType);
    }

    [Fact]
    public void Missing_and_mistyped_fields_are_errors_at_their_path()
    {
        var (types, diagnostics) = Read("""
            - name: broken
              vCpus: "four"
              memoryGiB: 16
              hourlyUsd: 0.2
            """);

        Assert.Empty(types);
        Assert.Contains(diagnostics.Items, d => d is { Severity: Severity.Error, Path: "skyray:instanceTypes[0].provider" } && d.Message.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(diagnostics.Items, d => d is { Severity: Severity.Error, Path: "skyray:instanceTypes[0].vCpus" } && d.Message.Contains("number", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_provider_is_an_error_with_a_suggestion()
    {
        var (types, diagnostics) = Read(new InstanceTypeYaml("x", "asure").AsList());

        Assert.Empty(types);
        var error = Assert.Single(diagnostics.Items);
        Assert.Equal("skyray:instanceTypes[0].provider", error.Path);
        Assert.Equal("did you mean 'azure'?", error.Hint);
    }

    [Fact]
    public void Gpus_without_a_gpu_type_is_an_error()
    {
        var (_, diagnostics) = Read("""
            - {name: x, provider: aws, vCpus: 4, memoryGiB: 16, hourlyUsd: 1, gpus: 1}
            """);

        Assert.Equal("skyray:instanceTypes[0].gpuType", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Non_positive_price_is_an_error()
    {
        var (_, diagnostics) = Read(new InstanceTypeYaml("x", "aws").Price("0").AsList());

        Assert.Equal("skyray:instanceTypes[0].hourlyUsd", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Unknown_field_is_a_warning_and_the_entry_is_kept()
    {
        var (types, diagnostics) = Read("""
            - {name: x, provider: aws, vCpus: 4, memoryGiB: 16, hourlyUsd: 1, vcpu: 4}
            """);

        Assert.Single(types);
        var warning = Assert.Single(diagnostics.Items);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("skyray:instanceTypes[0].vcpu", warning.Path);
        Assert.Equal("did you mean 'vCpus'?", warning.Hint);
    }

    [Fact]
    public void The_same_type_twice_is_an_error_at_the_second()
    {
        var entry = new InstanceTypeYaml("x", "aws");
        var (types, diagnostics) = Read(entry.AsList() + entry.AsList());

        Assert.Single(types);
        Assert.Equal("skyray:instanceTypes[1]", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void Map_key_with_dots_is_quoted_in_the_path()
    {
        var (_, diagnostics) = Read("""
            g5.xlarge: {provider: aws, vCpus: 4, memoryGiB: 16}
            """);

        Assert.Equal("skyray:instanceTypes[\"g5.xlarge\"].hourlyUsd", Assert.Single(diagnostics.Items).Path);
    }

    [Fact]
    public void A_scalar_instead_of_a_list_is_an_error()
    {
        var (types, diagnostics) = Read("g5.xlarge");

        Assert.Empty(types);
        Assert.Equal(Path, Assert.Single(diagnostics.Items).Path);
    }

    /// <summary>Builds one <c>skyray:instanceTypes</c> entry as YAML.</summary>
    private sealed class InstanceTypeYaml(string name, string provider)
    {
        private int _vCpus = 4;
        private double _memory = 16;
        private string _price = "0.2";
        private int _gpus;
        private string? _gpuType;

        public InstanceTypeYaml Cpu(int vCpus, double memoryGiB)
        {
            _vCpus = vCpus;
            _memory = memoryGiB;
            return this;
        }

        public InstanceTypeYaml Price(string hourlyUsd)
        {
            _price = hourlyUsd;
            return this;
        }

        public InstanceTypeYaml Gpus(int count, string type)
        {
            _gpus = count;
            _gpuType = type;
            return this;
        }

        public string AsList() => "- name: " + name + "\n" + Fields("  ");

        public string AsMap() => name + ":\n" + Fields("  ");

        private string Fields(string indent) =>
            $"{indent}provider: {provider}\n{indent}vCpus: {_vCpus}\n{indent}memoryGiB: {_memory.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{indent}hourlyUsd: {_price}\n" +
            (_gpus > 0 ? $"{indent}gpus: {_gpus}\n{indent}gpuType: {_gpuType}\n" : "");
    }
}
