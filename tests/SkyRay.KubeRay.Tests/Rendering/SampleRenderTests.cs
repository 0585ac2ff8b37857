using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Security;
using SkyRay.KubeRay.Tests.Support;

namespace SkyRay.KubeRay.Tests.Rendering;

public class SampleRenderTests
{
    /// <summary>Every security default turned off: the renderer then has no reason to touch the spec.</summary>
    private static readonly WorkloadSecurity OptedOut = new(RayAuthMode.Disabled, null, NetworkPolicy: false, PodSecurityLevel.Privileged);

    [SkippableFact]
    public void Every_official_sample_renders_schema_valid_and_keeps_its_spec_when_every_security_default_is_opted_out()
    {
        var crds = Crds.Load();
        var samples = KubeRaySamples.LoadAll();
        Assert.Equal(80, samples.Count);
        var problems = new List<string>();
        foreach (var sample in samples)
        {
            var workload = Build.Raw(sample.Name, sample.Kind, (JsonObject)sample.Spec.DeepClone()) with { Security = OptedOut };
            var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy(workload.Name), "default-policy");

            var result = crds.Validate(rendered, sample.ToString());
            problems.AddRange(result.Diagnostics.Select(d => d.ToString()));

            var yaml = ManifestYaml.Write([rendered.Manifest]);
            var bag = new DiagnosticBag();
            var back = Assert.IsType<JsonObject>(Assert.Single(YamlJson.ParseDocuments(yaml, sample.ToString(), bag)));
            Assert.Empty(bag.Items);
            Assert.True(JsonNode.DeepEquals(rendered.Manifest, back), $"{sample}: YAML round trip changed the object");
            Assert.True(JsonNode.DeepEquals(sample.Spec, back["spec"]), $"{sample}: the spec changed in rendering");
        }

        // Official samples are clean: no errors. The one thing the API server would silently change is an empty
        // "metadata:" key (null) in the gemma4 sample's worker template, which it drops; harmless, but reported.
        Assert.True(
            problems.SequenceEqual(
            [
                "warning: ray-service.high-throughput-gemma4.yaml#0 RayService/ray-gemma4-e2b-it.spec.rayClusterConfig.workerGroupSpecs[0].template.metadata: " +
                "'metadata' is empty (null); the API server drops it (give it a value or remove the key)",
            ]),
            string.Join("\n", problems));
    }

    [SkippableFact]
    public void Every_official_sample_renders_schema_valid_with_the_security_defaults()
    {
        var crds = Crds.Load();
        var problems = new List<string>();
        var secured = 0;
        foreach (var sample in KubeRaySamples.LoadAll())
        {
            var workload = Build.Raw(sample.Name, sample.Kind, (JsonObject)sample.Spec.DeepClone());
            var rendered = WorkloadRenderer.Render(workload, Build.Cluster(), Build.Copy(workload.Name), "default-policy");
            problems.AddRange(crds.Validate(rendered, sample.ToString()).Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()));

            // Token auth on every object that has a Ray cluster of its own, unless the sample wrote authOptions itself.
            var cluster = RayPodTemplates.ClusterPart(sample.Kind, (JsonObject)rendered.Manifest["spec"]!);
            var writtenAuth = RayPodTemplates.ClusterPart(sample.Kind, sample.Spec)?["authOptions"];
            if (cluster is not null)
            {
                Assert.Equal(writtenAuth?["mode"]?.GetValue<string>() ?? "token", cluster["authOptions"]?["mode"]?.GetValue<string>());
            }

            // A template the sample left without a security context now passes the restricted profile's context rules.
            var originals = RayPodTemplates.Of(sample.Kind, sample.Spec, "spec");
            foreach (var template in RayPodTemplates.Of(sample.Kind, (JsonObject)rendered.Manifest["spec"]!, "spec"))
            {
                var original = originals.FirstOrDefault(o => o.Path == template.Path);
                if (original is not null && PodSecurityDefaults.HasOwnSecurityContext(original.Template))
                {
                    continue;
                }

                secured++;
                var contextRules = RestrictedProfile.Check(template.Template, template.Path)
                    .Where(v => v.Control is "Privilege Escalation" or "Running as Non-root" or "Seccomp" or "Capabilities (restricted)");
                problems.AddRange(contextRules.Select(v => $"{sample}: {v}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(secured > 100, $"only {secured} templates were secured");
    }

    [SkippableFact]
    public void Rendered_sample_carries_skyray_labels_and_the_ray_service_wait_annotation()
    {
        var sample = KubeRaySamples.Load("ray-service.llm-serve.yaml", Fleet.Workloads.RayKind.RayService);
        var workload = Build.Raw("llm", sample.Kind, sample.Spec);
        var rendered = WorkloadRenderer.Render(workload, Build.Cluster("gke-1"), Build.Copy("llm", "gke-1"), "gpu-first");
        var metadata = rendered.Manifest["metadata"]!;
        Assert.Equal("skyray", metadata["labels"]![RenderLabels.ManagedBy]!.GetValue<string>());
        Assert.Equal("llm", metadata["labels"]![RenderLabels.Workload]!.GetValue<string>());
        Assert.Equal("gpu-first", metadata["labels"]![RenderLabels.Policy]!.GetValue<string>());
        Assert.Equal("gke-1", metadata["labels"]![RenderLabels.Cluster]!.GetValue<string>());
        Assert.Equal("condition=Ready", metadata["annotations"]![RenderLabels.PulumiWaitFor]!.GetValue<string>());
    }
}
