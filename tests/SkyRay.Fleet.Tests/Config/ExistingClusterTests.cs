using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

public sealed class ExistingClusterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-existing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Existing_cluster_cloud_is_inferred_from_its_pool_instance_types()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.35', existing: {context: lab-admin}, nodePools: [{name: workers, instanceType: m6i.large, maxNodes: 2}]}")
            .Load().IsValid();

        var lab = spec.Clusters["lab"];
        Assert.Equal(new ExistingSettings("lab-admin", null, CloudProvider.Aws), lab.Existing);
        Assert.Equal("aws", lab.CatalogProvider);
        Assert.Null(lab.Region);
    }

    [Fact]
    public void Existing_cluster_explicit_cloud_decides_the_catalog()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.35', existing: {context: lab-admin, cloud: gcp}, nodePools: [{name: workers, instanceType: m6i.large, maxNodes: 2}]}")
            .Load();

        result.HasError("skyray:clusters.lab.nodePools[0].instanceType", "'m6i.large' is not in the gcp instance catalog");
    }

    [Fact]
    public void Existing_cluster_whose_pool_types_are_in_no_catalog_asks_for_the_cloud()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.35', existing: {context: lab-admin}, nodePools: [{name: workers, instanceType: dell-r750, maxNodes: 2}]}")
            .Load();

        var error = result.HasError("skyray:clusters.lab.existing.cloud", "not all in one cloud's instance catalog");
        Assert.Contains("set existing.cloud", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_cluster_needs_an_existing_block()
    {
        var result = StackConfigBuilder.Valid().SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.35'}").Load();

        result.HasError("skyray:clusters.lab.existing", "needs an 'existing' block");
    }

    [Fact]
    public void Existing_cluster_with_both_context_and_secret_is_an_error()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.35', existing: {context: lab, kubeconfigSecret: 'skyray-infra:labKubeconfig'}}")
            .Load();

        result.HasError("skyray:clusters.lab.existing", "both context and kubeconfigSecret are given");
    }

    [Fact]
    public void Existing_cluster_cannot_be_dynamic()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, lifecycle: dynamic, kubernetesVersion: '1.35', existing: {context: lab}}")
            .Load();

        result.HasError("skyray:clusters.lab.lifecycle", "an existing cluster cannot be dynamic");
    }

    [Fact]
    public void Inline_secret_kubeconfig_is_rejected_without_printing_the_secret()
    {
        const string secret = "v1:AAAAsecretciphertextZZZZ";
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", $"{{provider: existing, kubernetesVersion: '1.35', existing: {{kubeconfigSecret: {{secure: '{secret}'}}}}}}")
            .Load();

        result.HasError("skyray:clusters.lab.existing.kubeconfigSecret", "written inline");
        Assert.DoesNotContain(result.Diagnostics, d => d.ToString().Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_kubeconfig_key_is_kept_by_name_when_the_stack_file_holds_it()
    {
        const string secret = "v1:AAAAsecretciphertextZZZZ";
        var builder = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.35', existing: {kubeconfigSecret: 'skyray-infra:labKubeconfig'}}");
        var path = Path.Combine(_dir, "Pulumi.test.yaml");
        File.WriteAllText(path, builder.ToStackFile($"  skyray-infra:labKubeconfig:\n    secure: {secret}\n"));

        var spec = StackLoader.LoadFile(path, builder.Options()).IsValid();

        Assert.Equal(new ExistingSettings(null, "skyray-infra:labKubeconfig", null), spec.Clusters["lab"].Existing);
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(spec.Clusters["lab"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_kubeconfig_key_missing_from_the_stack_file_is_an_error()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("clusters/lab", "{provider: existing, kubernetesVersion: '1.35', existing: {kubeconfigSecret: 'skyray-infra:labKubeconfig'}}")
            .LoadFile(_dir);

        result.HasError("skyray:clusters.lab.existing.kubeconfigSecret", "no secret (secure:) config key 'skyray-infra:labKubeconfig'");
    }
}
