using System.Collections.Immutable;
using SkyRay.Fleet.Tests.Builders;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Fleet.Tests.Config;

public sealed class WorkloadSecurityConfigTests
{
    private const string Job = "skyray:workloads.job";

    [Fact]
    public void A_workload_without_security_settings_gets_token_auth_a_network_policy_and_the_restricted_level()
    {
        var spec = StackConfigBuilder.Valid().Load().IsValid();

        Assert.Equal(new WorkloadSecurity(RayAuthMode.Token, null, true, PodSecurityLevel.Restricted), spec.Workloads["job"].Security);
    }

    [Fact]
    public void Each_opt_out_is_kept_and_warned_about()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/security", "{auth: disabled, networkPolicy: false, podSecurity: baseline}")
            .Load();

        Assert.Equal(new WorkloadSecurity(RayAuthMode.Disabled, null, false, PodSecurityLevel.Baseline), result.IsValid().Workloads["job"].Security);
        result.HasWarning($"{Job}.security.auth", "Ray token authentication is turned off");
        result.HasWarning($"{Job}.security.networkPolicy", "no NetworkPolicy");
        result.HasWarning($"{Job}.security.podSecurity", "'baseline' pod security level instead of 'restricted'");
    }

    [Fact]
    public void A_ray_version_older_than_2_52_with_token_auth_is_an_error_that_names_both_fixes()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/rayVersion", "2.46.0").Load();

        var error = result.HasError($"{Job}.rayVersion", "needs Ray 2.52.0 or later, and this workload runs Ray 2.46.0");
        Assert.Contains("raise rayVersion and the image to 2.52.0 or later", error.Hint, StringComparison.Ordinal);
        Assert.Contains("security: {auth: disabled}", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_ray_version_is_fine_once_auth_is_opted_out()
    {
        var result = StackConfigBuilder.Valid()
            .Set("workloads/job/rayVersion", "2.46.0")
            .SetYaml("workloads/job/security", "{auth: disabled}")
            .Load();

        result.IsValid();
        result.HasWarning($"{Job}.security.auth", "turned off");
    }

    [Fact]
    public void An_official_image_of_an_older_ray_is_an_error_even_when_ray_version_is_new_enough()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/image", "rayproject/ray:2.41.0-gpu").Load();

        result.HasError($"{Job}.image", "runs Ray 2.41.0, but token authentication (on by default) needs Ray 2.52.0 or later");
    }

    [Fact]
    public void A_raw_spec_without_ray_version_is_an_error_because_kuberay_refuses_token_auth_without_one()
    {
        var result = StackConfigBuilder.Valid()
            .Remove("workloads/job")
            .SetYaml("workloads/raw", """
                kind: RayCluster
                spec:
                  headGroupSpec:
                    rayStartParams: {}
                    template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0"}]}}
                """)
            .Load();

        result.HasError("skyray:workloads.raw.spec.rayVersion", "needs rayVersion, and KubeRay refuses a cluster with authOptions.mode: token and no rayVersion");
    }

    [Fact]
    public void A_raw_specs_own_auth_options_decide_and_a_disabled_mode_counts_as_an_opt_out()
    {
        var result = StackConfigBuilder.Valid()
            .Remove("workloads/job")
            .SetYaml("workloads/raw", """
                kind: RayCluster
                spec:
                  rayVersion: "2.40.0"
                  authOptions: {mode: disabled}
                  headGroupSpec:
                    rayStartParams: {}
                    template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.40.0"}]}}
                """)
            .Load();

        var security = result.IsValid().Workloads["raw"].Security;
        Assert.Equal((RayAuthMode.Disabled, true), (security.Auth, security.AuthFromSpec));
        result.HasWarning("skyray:workloads.raw.spec.authOptions", "turned off");
    }

    [Fact]
    public void Security_auth_contradicting_the_specs_auth_options_is_an_error()
    {
        var result = StackConfigBuilder.Valid()
            .Remove("workloads/job")
            .SetYaml("workloads/raw", """
                kind: RayCluster
                security: {auth: disabled}
                spec:
                  rayVersion: "2.52.0"
                  authOptions: {mode: token}
                  headGroupSpec:
                    rayStartParams: {}
                    template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0"}]}}
                """)
            .Load();

        result.HasError("skyray:workloads.raw.security.auth", "security.auth is disabled but the spec's authOptions.mode is token");
    }

    [Fact]
    public void A_shared_token_is_held_as_the_name_of_a_secret_config_key_never_its_value()
    {
        var spec = StackConfigBuilder.Valid().SetYaml("workloads/job/security", "{tokenSecret: skyray-infra:rayToken}").Load().IsValid();

        Assert.Equal("skyray-infra:rayToken", spec.Workloads["job"].Security.TokenSecret);
    }

    [Fact]
    public void A_token_written_inline_as_a_secret_is_an_error_pointing_at_its_own_config_key()
    {
        var result = StackConfigBuilder.Valid().SetYaml("workloads/job/security", "{tokenSecret: {secure: v1:abc}}").Load();

        var error = result.HasError($"{Job}.security.tokenSecret", "the token is written inline");
        Assert.Contains("pulumi config set --secret", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_key_in_the_skyray_namespace_is_an_error()
    {
        var result = StackConfigBuilder.Valid().SetYaml("workloads/job/security", "{tokenSecret: skyray:token}").Load();

        result.HasError($"{Job}.security.tokenSecret", "is not a config key outside the skyray namespace");
    }

    [Fact]
    public void A_stack_file_without_the_secret_token_key_is_an_error()
    {
        var directory = Directory.CreateTempSubdirectory("skyray-token").FullName;
        try
        {
            var result = StackConfigBuilder.Valid().SetYaml("workloads/job/security", "{tokenSecret: skyray-infra:rayToken}").LoadFile(directory);

            result.HasError($"{Job}.security.tokenSecret", "the stack file has no secret (secure:) config key 'skyray-infra:rayToken'");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Unknown_security_keys_get_a_did_you_mean()
    {
        var result = StackConfigBuilder.Valid().SetYaml("workloads/job/security", "{networkPolicies: false}").Load();

        var error = result.HasError($"{Job}.security.networkPolicies", "unknown key 'networkPolicies'");
        Assert.Equal("did you mean 'networkPolicy'?", error.Hint);
    }

    [Theory]
    [InlineData("rayproject/ray", ImagePin.Untagged)]
    [InlineData("rayproject/ray:latest", ImagePin.Latest)]
    [InlineData("rayproject/ray:2.52.0-gpu", ImagePin.Tag)]
    [InlineData("registry.example.com:5000/ray", ImagePin.Untagged)]
    [InlineData("registry.example.com:5000/ray:2.52.0", ImagePin.Tag)]
    [InlineData("rayproject/ray@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", ImagePin.Digest)]
    [InlineData("rayproject/ray:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", ImagePin.Digest)]
    public void Image_references_are_read_as_container_runtimes_read_them(string image, ImagePin expected) =>
        Assert.Equal(expected, ImageReferences.Pin(image));

    [Theory]
    [InlineData("rayproject/ray", "has no tag")]
    [InlineData("rayproject/ray:latest", "uses the moving tag 'latest'")]
    public void Untagged_and_latest_images_are_warnings(string image, string message)
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/image", image).SetYaml("workloads/job/security", "{auth: disabled}").Load();

        result.HasWarning($"{Job}.image", message);
    }

    [Fact]
    public void A_digest_pinned_image_is_accepted_without_a_warning()
    {
        var result = StackConfigBuilder.Valid()
            .Set("workloads/job/image", "rayproject/ray@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            .Load();

        result.IsValid();
        Assert.DoesNotContain(result.Diagnostics, d => d.Path == $"{Job}.image");
    }

    [Fact]
    public void Every_container_image_of_a_raw_spec_is_checked_at_its_own_path()
    {
        var result = StackConfigBuilder.Valid()
            .Remove("workloads/job")
            .SetYaml("workloads/raw", """
                kind: RayCluster
                spec:
                  rayVersion: "2.52.0"
                  headGroupSpec:
                    rayStartParams: {}
                    template:
                      spec:
                        initContainers: [{name: init, image: busybox}]
                        containers: [{name: ray-head, image: "rayproject/ray:2.52.0"}, {name: sidecar, image: "fluent/fluent-bit:latest"}]
                """)
            .Load();

        result.HasWarning("skyray:workloads.raw.spec.headGroupSpec.template.spec.containers[1].image", "moving tag 'latest'");
        result.HasWarning("skyray:workloads.raw.spec.headGroupSpec.template.spec.initContainers[0].image", "has no tag");
        Assert.DoesNotContain(result.Diagnostics, d => d.Path.EndsWith("containers[0].image", StringComparison.Ordinal));
    }

    [Fact]
    public void A_public_exposure_needs_source_ranges()
    {
        var result = ServeStack().SetYaml("workloads/llm/exposure", "{loadBalancer: public}").Load();

        result.HasError("skyray:workloads.llm.exposure.sourceRanges", "a public load balancer needs the source ranges allowed to reach it");
    }

    [Fact]
    public void A_public_exposure_keeps_its_ranges_and_warns_on_the_whole_internet()
    {
        var result = ServeStack().SetYaml("workloads/llm/exposure", "{loadBalancer: public, sourceRanges: [203.0.113.0/24, 0.0.0.0/0]}").Load();

        Assert.Equal(
            new ServeExposureSpec(LoadBalancerScope.Public, ["203.0.113.0/24", "0.0.0.0/0"]),
            result.IsValid().Workloads["llm"].Exposure,
            ExposureComparer.Instance);
        result.HasWarning("skyray:workloads.llm.exposure.sourceRanges[1]", "lets the whole internet reach the serve port");
    }

    [Fact]
    public void An_internal_exposure_without_ranges_admits_the_rfc_1918_private_ranges()
    {
        var spec = ServeStack().SetYaml("workloads/llm/exposure", "{}").Load().IsValid();

        Assert.Equal(
            new ServeExposureSpec(LoadBalancerScope.Internal, ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
            spec.Workloads["llm"].Exposure,
            ExposureComparer.Instance);
    }

    [Theory]
    [InlineData("10.0.0.1/8", "has host bits set; the network is 10.0.0.0/8")]
    [InlineData("ten", "is not a CIDR range")]
    public void Source_ranges_must_be_networks_in_cidr_form(string range, string message)
    {
        var result = ServeStack().SetYaml("workloads/llm/exposure", $"{{sourceRanges: [\"{range}\"]}}").Load();

        result.HasError("skyray:workloads.llm.exposure.sourceRanges[0]", message);
    }

    [Fact]
    public void Exposure_on_a_workload_that_is_not_a_ray_service_is_an_error()
    {
        var result = StackConfigBuilder.Valid().SetYaml("workloads/job/exposure", "{loadBalancer: internal}").Load();

        result.HasError($"{Job}.exposure", "'exposure' exposes a RayService's serve port; this workload is a RayJob");
    }

    private static StackConfigBuilder ServeStack() => StackConfigBuilder.Valid().SetYaml("workloads/llm", """
        kind: RayService
        serveConfigV2: {applications: [{name: app, import_path: "serve_app:app"}]}
        """);

    private sealed class ExposureComparer : IEqualityComparer<ServeExposureSpec?>
    {
        public static readonly ExposureComparer Instance = new();

        public bool Equals(ServeExposureSpec? x, ServeExposureSpec? y) =>
            x is not null && y is not null && x.LoadBalancer == y.LoadBalancer && x.SourceRanges.SequenceEqual(y.SourceRanges, StringComparer.Ordinal);

        public int GetHashCode(ServeExposureSpec? obj) => obj?.LoadBalancer.GetHashCode() ?? 0;
    }
}

public sealed class OperatorScopeConfigTests
{
    [Fact]
    public void The_operator_is_namespaced_unless_config_asks_for_cluster_scope_which_warns()
    {
        Assert.Equal(Fleet.Config.OperatorScope.Namespaced, StackConfigBuilder.Valid().Load().IsValid().KubeRay.Scope);

        var result = StackConfigBuilder.Valid().SetYaml("kuberay", "{scope: cluster}").Load();

        Assert.Equal(Fleet.Config.OperatorScope.Cluster, result.IsValid().KubeRay.Scope);
        result.HasWarning("skyray:kuberay.scope", "gets a ClusterRole");
    }

    [Fact]
    public void An_unknown_scope_is_an_error_with_the_valid_words()
    {
        StackConfigBuilder.Valid().SetYaml("kuberay", "{scope: namespace}").Load().HasError("skyray:kuberay.scope", "'namespace' is not a valid scope");
    }
}
