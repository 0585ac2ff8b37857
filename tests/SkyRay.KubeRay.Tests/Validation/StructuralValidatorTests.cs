using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Tests.Support;
using SkyRay.KubeRay.Validation;

namespace SkyRay.KubeRay.Tests.Validation;

public class StructuralValidatorTests
{
    // A small CRD exercising the structural-schema features KubeRay's own CRDs do not use.
    private const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  apiVersion: {type: string}
                  kind: {type: string}
                  metadata: {type: object}
                  spec:
                    type: object
                    required: [size, mode]
                    properties:
                      size: {type: integer, format: int32, minimum: 1, default: 3}
                      mode: {type: string, enum: [fast, safe], default: safe}
                      note: {type: string, nullable: true}
                      port:
                        x-kubernetes-int-or-string: true
                        anyOf: [{type: integer}, {type: string}]
                      extra:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                        properties:
                          known: {type: boolean}
                      template:
                        type: object
                        x-kubernetes-embedded-resource: true
                        properties:
                          spec: {type: object, properties: {image: {type: string}}}
                      level: {type: string, enum: [low, high], nullable: true}
                      created: {type: string, format: date-time}
                      tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                      label: {type: string, maxLength: 5, pattern: '^[a-z]+$'}
                      count: {type: integer, minimum: 0, exclusiveMinimum: true}
                      ports:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [port, protocol]
                        items:
                          type: object
                          required: [port]
                          properties:
                            port: {type: integer}
                            protocol: {type: string, default: TCP}
        """;

    private static CrdSchemaSet Widgets()
    {
        var bag = new DiagnosticBag();
        var set = new CrdSchemaSet(CrdSchemaSet.Read(WidgetCrd, "widget-crd.yaml", bag));
        Assert.Empty(bag.Items);
        return set;
    }

    private static JsonObject Yaml(string text)
    {
        var bag = new DiagnosticBag();
        var node = YamlJson.ParseSingle(text, "test", bag);
        Assert.Empty(bag.Items);
        return Assert.IsType<JsonObject>(node);
    }

    private static CrdValidationResult Widget(string spec) =>
        Widgets().Validate(Yaml("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n" + string.Join('\n', spec.Split('\n').Select(l => "  " + l))), "w");

    [Fact]
    public void Defaults_are_applied_before_required_is_checked()
    {
        var result = Widget("note: hi");
        Assert.Empty(result.Diagnostics);
        Assert.Equal(3, result.Stored["spec"]!["size"]!.GetValue<long>());
        Assert.Equal("safe", result.Stored["spec"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public void Null_of_a_non_nullable_field_takes_the_default_and_nullable_null_is_kept()
    {
        var result = Widget("size: null\nnote: null");
        Assert.Empty(result.Diagnostics);
        Assert.Equal(3, result.Stored["spec"]!["size"]!.GetValue<long>());
        Assert.True(((JsonObject)result.Stored["spec"]!).ContainsKey("note"));
    }

    [Fact]
    public void Null_without_a_default_is_pruned_with_a_warning()
    {
        var result = Widget("port: null");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((Severity.Warning, "w.spec.port"), (warning.Severity, warning.Path));
        Assert.False(((JsonObject)result.Stored["spec"]!).ContainsKey("port"));
    }

    [Theory]
    [InlineData("port: 8080", true)]
    [InlineData("port: http", true)]
    [InlineData("port: 1.5", false)]
    [InlineData("port: true", false)]
    public void Int_or_string_takes_integers_and_strings_only(string field, bool accepted) =>
        Assert.Equal(accepted, Widget(field).Accepted);

    [Fact]
    public void Preserve_unknown_fields_keeps_unknown_keys_but_still_checks_known_ones()
    {
        var result = Widget("extra: {anything: [1, 2], known: maybe}");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((Severity.Error, "w.spec.extra.known"), (error.Severity, error.Path));
        Assert.NotNull(result.Stored["spec"]!["extra"]!["anything"]);
    }

    [Fact]
    public void Embedded_resource_keeps_its_type_fields_and_requires_them()
    {
        var kept = Widget("template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {image: x}}");
        Assert.Empty(kept.Diagnostics);
        Assert.Equal("Pod", kept.Stored["spec"]!["template"]!["kind"]!.GetValue<string>());

        var missing = Widget("template: {spec: {image: x}}");
        Assert.Equal(["w.spec.template.apiVersion", "w.spec.template.kind"], missing.Diagnostics.Select(d => d.Path));
    }

    [Fact]
    public void Unknown_field_is_pruned_and_reported_as_a_warning_at_its_path()
    {
        var result = Widget("size: 2\nsiez: 4");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((Severity.Warning, "w.spec.siez"), (warning.Severity, warning.Path));
        Assert.False(((JsonObject)result.Stored["spec"]!).ContainsKey("siez"));
    }

    [Theory]
    [InlineData("mode: turbo", "w.spec.mode")]
    [InlineData("size: 0", "w.spec.size")]
    [InlineData("size: 3000000000", "w.spec.size")]
    [InlineData("size: \"2\"", "w.spec.size")]
    public void Enum_minimum_int32_and_type_violations_are_errors_at_their_path(string field, string path)
    {
        var error = Assert.Single(Widget(field).Diagnostics);
        Assert.Equal((Severity.Error, path), (error.Severity, error.Path));
    }

    [Fact]
    public void Map_list_keys_are_compared_after_defaulting()
    {
        // protocol defaults to TCP on both entries, so they collide.
        var result = Widget("ports: [{port: 80}, {port: 80, protocol: TCP}]");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((Severity.Error, "w.spec.ports[1]"), (error.Severity, error.Path));
    }

    [Fact]
    public void Metadata_name_is_required_at_the_root()
    {
        var result = Widgets().Validate(Yaml("apiVersion: example.com/v1\nkind: Widget\nmetadata: {labels: {a: b}}\nspec: {}"), "w");
        Assert.Equal("w.metadata.name", Assert.Single(result.Diagnostics).Path);
    }

    [Fact]
    public void Nullable_enum_accepts_null_and_keeps_it()
    {
        var result = Widget("level: null");
        Assert.Empty(result.Diagnostics);
        Assert.True(((JsonObject)result.Stored["spec"]!).ContainsKey("level"));
        Assert.Equal("w.spec.level", Assert.Single(Widget("level: medium").Diagnostics).Path);
    }

    [Theory]
    [InlineData("created: \"2024-05-01T10:00:00Z\"", true)]
    [InlineData("created: yesterday", false)]
    public void Date_time_format_is_checked(string field, bool accepted) =>
        Assert.Equal(accepted, Widget(field).Accepted);

    [Fact]
    public void Set_list_rejects_a_repeated_value_at_its_index()
    {
        var error = Assert.Single(Widget("tags: [a, b, a]").Diagnostics);
        Assert.Equal((Severity.Error, "w.spec.tags[2]"), (error.Severity, error.Path));
    }

    [Fact]
    public void Pattern_and_length_are_both_reported_at_the_field()
    {
        var errors = Widget("label: ABCDEFG").Diagnostics;
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal((Severity.Error, "w.spec.label"), (e.Severity, e.Path)));
        Assert.Contains(errors, e => e.Message.Contains("pattern", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("at most 5 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void Openapi_boolean_exclusive_minimum_excludes_the_bound()
    {
        Assert.Contains("greater than 0", Assert.Single(Widget("count: 0").Diagnostics).Message, StringComparison.Ordinal);
        Assert.Empty(Widget("count: 1").Diagnostics);
    }

    [Fact]
    public void Int_or_string_violation_is_one_finding_for_the_field_not_one_per_branch()
    {
        var error = Assert.Single(Widget("port: 1.5").Diagnostics);
        Assert.Equal("w.spec.port", error.Path);
        Assert.Contains("an integer or a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int32_format_rejects_a_value_beyond_32_bits_with_its_reason()
    {
        var error = Assert.Single(Widget("size: 3000000000").Diagnostics);
        Assert.Contains("32-bit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_resource_metadata_is_checked_as_object_meta()
    {
        var error = Assert.Single(Widget("template: {apiVersion: v1, kind: Pod, metadata: {name: p, labels: {tier: 1}}}").Diagnostics);
        Assert.Equal((Severity.Error, "w.spec.template.metadata.labels.tier"), (error.Severity, error.Path));
    }

    [Fact]
    public void Translation_expresses_nullable_int_or_string_embedded_and_set_in_json_schema()
    {
        var crd = Widgets().Find("example.com/v1", "Widget")!;
        var doc = SchemaTranslation.Translate(crd.OpenApiV3Schema, resourceRoot: true);
        var spec = doc["properties"]!["spec"]!["properties"]!;

        Assert.Equal("""["string","null"]""", spec["note"]!["type"]!.ToJsonString());
        Assert.True(SchemaTranslation.IsIntOrString(spec["port"]!.AsObject()));
        Assert.Equal("""["apiVersion","kind"]""", spec["template"]!["required"]!.ToJsonString());
        Assert.True(spec["tags"]!["uniqueItems"]!.GetValue<bool>());
        Assert.Equal(0, spec["count"]!["exclusiveMinimum"]!.GetValue<decimal>());
        Assert.False(spec["size"]!.AsObject().ContainsKey("default"));
    }

    private static DiagnosticBag RayClusterSpec(string workerFields)
    {
        var spec = Yaml("""
            headGroupSpec:
              rayStartParams: {}
              template: {spec: {containers: [{name: ray-head, image: rayproject/ray:2.52.0}]}}
            workerGroupSpecs:
            - groupName: g
              FIELDS
              template: {spec: {containers: [{name: ray-worker, image: rayproject/ray:2.52.0}]}}
            """.Replace("FIELDS", workerFields, StringComparison.Ordinal));
        var bag = new DiagnosticBag();
        Crds.Load().ValidateSpec(RayKind.RayCluster, spec, "skyray:workloads.c.spec", bag);
        return bag;
    }

    [SkippableFact]
    public void Yaml_12_typing_quoted_replicas_is_a_type_error_and_bare_is_fine()
    {
        Assert.Empty(RayClusterSpec("replicas: 2").Items);
        var error = Assert.Single(RayClusterSpec("replicas: \"2\"").Items);
        Assert.Equal((Severity.Error, "skyray:workloads.c.spec.workerGroupSpecs[0].replicas"), (error.Severity, error.Path));
        Assert.Contains("quotes", error.Hint, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Typo_in_a_pasted_spec_does_not_vanish()
    {
        var warning = Assert.Single(RayClusterSpec("replica: 2").Items);
        Assert.Equal((Severity.Warning, "skyray:workloads.c.spec.workerGroupSpecs[0].replica"), (warning.Severity, warning.Path));
    }

    [SkippableFact]
    public void Real_crds_load_the_three_ray_kinds_in_v1()
    {
        var kinds = Crds.Load().Schemas.Where(s => s.ApiVersion == "ray.io/v1").Select(s => s.Kind).ToList();
        Assert.Superset(new HashSet<string>(["RayCluster", "RayJob", "RayService"]), kinds.ToHashSet());
    }

    [Fact]
    public void Missing_crd_folder_is_a_located_error()
    {
        var bag = new DiagnosticBag();
        var set = CrdSchemaSet.LoadDirectory(Path.Combine(Path.GetTempPath(), "no-such-crds-" + Guid.NewGuid()), bag);
        Assert.Empty(set.Schemas);
        Assert.Equal(Severity.Error, Assert.Single(bag.Items).Severity);
    }
}
