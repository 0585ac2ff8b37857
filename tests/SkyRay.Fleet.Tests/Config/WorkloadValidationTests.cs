using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Tests.Builders;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;

namespace SkyRay.Fleet.Tests.Config;

public sealed class WorkloadValidationTests
{
    private const string Job = "skyray:workloads.job";

    [Fact]
    public void Structured_workload_gets_defaults_for_namespace_image_head_and_job_settings()
    {
        var spec = StackConfigBuilder.Valid().Remove("workloads/job/head").Load().IsValid();

        var job = spec.Workloads["job"];
        Assert.Equal("default", job.Namespace);
        Assert.Equal("2.52.0", job.RayVersion);
        Assert.Equal("rayproject/ray:2.52.0", job.Image);
        Assert.Equal(new RayJobSettings("python train.py", null, true, null, null), job.Job);
        Assert.Equal(("1", "4Gi"), (job.Head!.Cpu, job.Head.Memory));
        Assert.False(job.IsRaw);
    }

    [Fact]
    public void Demand_counts_the_head_with_the_autoscaler_the_desired_worker_replicas_and_the_job_submitter()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: workers, cpu: 500m, memory: 2Gi, replicas: 3, minReplicas: 1, maxReplicas: 5}")
            .Load().IsValid();

        // min < max turns on KubeRay's autoscaler sidecar (500m / 512Mi on the head); a RayJob adds its submitter pod.
        var demand = spec.Workloads["job"].Demand;
        Assert.Equal<PodGroupDemand>(
            [
                new PodGroupDemand("head", new PodShape(1000 + 500, (4L << 30) + (512L << 20), 0, null), 1, 1, 1),
                new PodGroupDemand("workers", new PodShape(500, 2L << 30, 0, null), 3, 1, 5),
                new PodGroupDemand("submitter", new PodShape(500, 200L << 20, 0, null), 1, 1, 1),
            ],
            demand.Groups);
        Assert.Equal(1500 + 1500 + 500, demand.TotalCpuMillis);
    }

    [Fact]
    public void Replicas_default_from_min_replicas_and_max_from_the_larger()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: workers, cpu: 1, memory: 2Gi, minReplicas: 2}")
            .Load().IsValid();

        var group = spec.Workloads["job"].WorkerGroups.Single();
        Assert.Equal((2, 2, 2), (group.Replicas, group.MinReplicas, group.MaxReplicas));
    }

    [Fact]
    public void Replicas_outside_min_and_max_is_an_error()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: workers, cpu: 1, memory: 2Gi, replicas: 9, minReplicas: 1, maxReplicas: 4}")
            .Load();

        result.HasError($"{Job}.workerGroups[0].replicas", "replicas (9) is outside minReplicas..maxReplicas (1..4)");
    }

    [Fact]
    public void Min_replicas_above_max_replicas_is_an_error()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: workers, cpu: 1, memory: 2Gi, minReplicas: 5, maxReplicas: 4}")
            .Load();

        result.HasError($"{Job}.workerGroups[0].minReplicas", "minReplicas (5) is more than maxReplicas (4)");
    }

    [Fact]
    public void Replicas_of_1e308_is_an_error_naming_the_float_not_an_overflow()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/replicas", 1e308).Load();

        result.HasError($"{Job}.workerGroups[0].replicas", "found the float 1E+308; an integer is required");
    }

    [Fact]
    public void Gpu_count_above_the_per_pod_limit_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/gpu", 64).Load();

        var error = result.HasError($"{Job}.workerGroups[0].gpu", "64 is out of range");
        Assert.Equal("use a number from 0 to 16", error.Hint);
    }

    [Fact]
    public void Cpu_that_is_not_a_quantity_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/cpu", "4 cores").Load();

        result.HasError($"{Job}.workerGroups[0].cpu", "cpu '4 cores' is not a Kubernetes quantity");
    }

    [Fact]
    public void Cpu_with_a_huge_exponent_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/cpu", "1e400").Load();

        result.HasError($"{Job}.workerGroups[0].cpu", "has an exponent out of range");
    }

    [Fact]
    public void Cpu_above_the_per_pod_limit_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/cpu", "5000").Load();

        result.HasError($"{Job}.workerGroups[0].cpu", "at most 1024 per pod");
    }

    [Fact]
    public void Zero_cpu_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/head/cpu", "0").Load();

        result.HasError($"{Job}.head.cpu", "must be more than 0");
    }

    [Fact]
    public void Memory_without_a_unit_warns_that_it_is_bytes()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/memory", 16).Load();

        var warning = result.HasWarning($"{Job}.workerGroups[0].memory", "less than 256Mi");
        Assert.Contains("16Gi", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_group_without_cpu_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Remove("workloads/job/workerGroups/0/cpu").Load();

        result.HasError($"{Job}.workerGroups[0].cpu", "'cpu' is required");
    }

    [Fact]
    public void Worker_group_named_head_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/name", "head").Load();

        result.HasError($"{Job}.workerGroups[0].name", "'head' is the name of the head group");
    }

    [Fact]
    public void Misspelt_kind_suggests_the_right_kind_ignoring_case()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/kind", "rayjob").Load();

        var error = result.HasError($"{Job}.kind", "'rayjob' is not a valid kind");
        Assert.Equal("did you mean 'RayJob'?", error.Hint);
    }

    [Fact]
    public void Misspelt_worker_group_key_suggests_the_right_key()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/maxReplica", 4).Load();

        var error = result.HasError($"{Job}.workerGroups[0].maxReplica", "unknown key 'maxReplica'");
        Assert.Equal("did you mean 'maxReplicas'?", error.Hint);
    }

    [Fact]
    public void Workload_name_must_be_a_dns_label()
    {
        var values = StackConfigBuilder.Valid();
        var result = values.Set("workloads/Big_Job", JsonNode.Parse("""{"kind":"RayCluster"}""")).Load();

        result.HasError("skyray:workloads.Big_Job", "workload name 'Big_Job' must be lower-case letters");
    }

    [Fact]
    public void Namespace_must_be_a_dns_label()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/namespace", "ML.Team").Load();

        result.HasError($"{Job}.namespace", "namespace 'ML.Team' must be lower-case letters");
    }

    [Fact]
    public void Ray_job_without_entrypoint_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Remove("workloads/job/entrypoint").Load();

        result.HasError($"{Job}.entrypoint", "'entrypoint' is required");
    }

    [Fact]
    public void Job_fields_on_a_ray_cluster_are_errors()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/kind", "RayCluster").Load();

        result.HasError($"{Job}.entrypoint", "'entrypoint' is a RayJob field; this workload is a RayCluster");
    }

    [Fact]
    public void Ray_service_needs_a_serve_config()
    {
        var result = StackConfigBuilder.Valid()
            .Set("workloads/job/kind", "RayService")
            .Remove("workloads/job/entrypoint")
            .Load();

        result.HasError($"{Job}.serveConfigV2", "a RayService needs a Ray Serve config");
    }

    [Fact]
    public void Serve_config_as_a_map_is_kept_as_yaml_text_that_reads_back_the_same()
    {
        var config = JsonNode.Parse("""{"applications":[{"name":"llm","import_path":"app:deployment","route_prefix":"/","deployments":[{"name":"D","num_replicas":2,"user_config":{"flag":"true","version":"1.10"}}]}]}""")!;
        var spec = StackConfigBuilder.Valid()
            .Set("workloads/job/kind", "RayService")
            .Remove("workloads/job/entrypoint")
            .Set("workloads/job/serveConfigV2", config.DeepClone())
            .Load().IsValid();

        var text = spec.Workloads["job"].Serve!.ServeConfigV2;
        var back = YamlJson.ParseSingle(text, "serve", new DiagnosticBag());
        Assert.True(JsonNode.DeepEquals(config, back), text);
        Assert.Contains("flag: \"true\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_config_text_without_applications_is_an_error()
    {
        var result = StackConfigBuilder.Valid()
            .Set("workloads/job/kind", "RayService")
            .Remove("workloads/job/entrypoint")
            .Set("workloads/job/serveConfigV2", "http_options:\n  port: 8000\n")
            .Load();

        result.HasError($"{Job}.serveConfigV2.applications", "needs a non-empty 'applications' list");
    }

    [Fact]
    public void Runtime_env_map_is_kept_as_yaml_text()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/runtimeEnv", "{pip: [torch], env_vars: {EPOCHS: '10'}}")
            .Load().IsValid();

        Assert.Equal("pip:\n- torch\nenv_vars:\n  EPOCHS: \"10\"\n", spec.Workloads["job"].Job!.RuntimeEnvYaml);
    }

    [Fact]
    public void Job_deadline_of_zero_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/activeDeadlineSeconds", 0).Load();

        result.HasError($"{Job}.activeDeadlineSeconds", "0 is out of range");
    }

    [Fact]
    public void Shutdown_flag_written_as_yes_is_a_type_error_under_yaml_1_2()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/shutdownAfterJobFinishes", "yes").Load();

        var error = result.HasError($"{Job}.shutdownAfterJobFinishes", "expected true or false, found a string");
        Assert.Contains("YAML 1.2", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Ray_version_must_be_a_quoted_2x_version()
    {
        var number = StackConfigBuilder.Valid().Set("workloads/job/rayVersion", 2.52).Load();
        number.HasError($"{Job}.rayVersion", "written as a number");

        var wrong = StackConfigBuilder.Valid().Set("workloads/job/rayVersion", "1.13.0").Load();
        wrong.HasError($"{Job}.rayVersion", "'1.13.0' is not a Ray 2.x version");
    }

    [Fact]
    public void Gpu_workload_on_the_default_cpu_image_warns()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/gpu", 1).Load();

        var warning = result.HasWarning($"{Job}.image", "has no CUDA libraries");
        Assert.Equal("set image: rayproject/ray:2.52.0-gpu", warning.Hint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rayproject/ray: 2.52.0")]
    public void Image_that_is_empty_or_has_spaces_is_an_error(string image)
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/image", image).Load();

        result.HasError($"{Job}.image", "is not a container image reference");
    }

    [Fact]
    public void Gpu_type_without_gpus_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/workerGroups/0/gpuType", "A10G").Load();

        result.HasError($"{Job}.workerGroups[0].gpuType", "gpuType A10G is set but the group asks for no GPU");
    }

    [Fact]
    public void Unknown_gpu_type_suggests_a_catalog_gpu_type()
    {
        var result = StackConfigBuilder.Valid()
            .Set("workloads/job/workerGroups/0/gpu", 1)
            .Set("workloads/job/workerGroups/0/gpuType", "H10")
            .Load();

        var error = result.HasError($"{Job}.workerGroups[0].gpuType", "GPU type 'H10' is not offered by any instance type in the catalog");
        Assert.Equal("did you mean 'H100'?", error.Hint);
    }

    [Fact]
    public void Cloud_spelling_of_a_gpu_type_is_stored_under_the_catalog_name()
    {
        var spec = StackConfigBuilder.Valid()
            .Set("workloads/job/image", "rayproject/ray:2.52.0-gpu")
            .Set("workloads/job/workerGroups/0/gpu", 1)
            .Set("workloads/job/workerGroups/0/gpuType", "nvidia-a10g")
            .Load().IsValid();

        Assert.Equal("A10G", spec.Workloads["job"].WorkerGroups[0].GpuType);
        Assert.Equal("A10G", spec.Workloads["job"].Demand.Groups[1].Pod.GpuType);
    }

    [Fact]
    public void Raw_spec_and_structured_fields_are_mutually_exclusive()
    {
        var result = StackConfigBuilder.Valid().SetYaml("workloads/job/spec", "{entrypoint: python x.py}").Load();

        result.HasError($"{Job}.head", "'head' belongs to the structured form");
        result.HasError($"{Job}.entrypoint", "'entrypoint' belongs to the structured form");
    }

    [Fact]
    public void Raw_spec_must_be_a_map()
    {
        var result = StackConfigBuilder.Empty()
            .SetYaml("workloads/raw", "{kind: RayCluster, spec: [1, 2]}")
            .Load();

        result.HasError("skyray:workloads.raw.spec", "expected a KubeRay spec (a map), found a list");
    }

    [Fact]
    public void Undefined_policy_is_an_error()
    {
        var result = StackConfigBuilder.Valid().Set("workloads/job/policy", "gpu-first").Load();

        var error = result.HasError($"{Job}.policy", "policy 'gpu-first' is not defined");
        Assert.Contains("skyray:policies", error.Hint, StringComparison.Ordinal);
    }
}
