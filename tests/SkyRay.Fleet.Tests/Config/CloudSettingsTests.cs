using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>The per-cloud settings a real cloud needs: access, networking, support plans, disks, zones, instance families.</summary>
public sealed class CloudSettingsTests
{
    private const string Cluster = "skyray:clusters.aws-west";

    private static StackConfigBuilder Aks(string settings) => StackConfigBuilder.Valid()
        .SetYaml("clusters/aks", $"{{provider: azure, region: westeurope, kubernetesVersion: '1.35', azure: {settings}, nodePools: [{{name: cpu, instanceType: Standard_D4s_v5, maxNodes: 2}}]}}");

    private static StackConfigBuilder Gke(string pool, string? settings = null) => StackConfigBuilder.Valid()
        .SetYaml("clusters/gke", $"{{provider: gcp, region: us-central1, kubernetesVersion: '1.35', {(settings is null ? "" : $"gcp: {settings}, ")}nodePools: [{pool}]}}");

    [Fact]
    public void Admin_principals_are_kept_sorted_and_an_sts_session_names_its_role()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/aws", "{adminPrincipals: ['arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:role/ci-deployer']}")
            .Load().IsValid();
        Assert.Equal<string>(["arn:aws:iam::123456789012:role/ci-deployer", "arn:aws:iam::123456789012:user/alice"], spec.Clusters["aws-west"].Aws!.AdminPrincipals);

        var session = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/aws", "{adminPrincipals: ['arn:aws:sts::123456789012:assumed-role/ci-deployer/run-42', 'arn:aws:iam::123456789012:role/x', 'arn:aws:iam::123456789012:role/x']}")
            .Load();
        var error = session.HasError($"{Cluster}.aws.adminPrincipals[0]", "is an STS session of a role");
        Assert.Equal("write arn:aws:iam::123456789012:role/ci-deployer", error.Hint);
        session.HasError($"{Cluster}.aws.adminPrincipals[2]", "is listed twice");
    }

    [Fact]
    public void The_eks_api_endpoint_is_open_to_everyone_only_with_a_warning_and_takes_the_configured_ranges_or_none()
    {
        var open = StackConfigBuilder.Valid().Load();
        open.HasWarning($"{Cluster}.aws.publicAccessCidrs", "open to every address");
        Assert.Equal<string>(["0.0.0.0/0"], open.IsValid().Clusters["aws-west"].Aws!.PublicAccessCidrs);

        var limited = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/aws", "{publicAccessCidrs: [203.0.113.0/24, 198.51.100.7/32]}").Load();
        Assert.Equal<string>(["198.51.100.7/32", "203.0.113.0/24"], limited.IsValid().Clusters["aws-west"].Aws!.PublicAccessCidrs);
        Assert.DoesNotContain(limited.Diagnostics, d => d.Path.StartsWith($"{Cluster}.aws", StringComparison.Ordinal));

        Assert.Empty(StackConfigBuilder.Valid().SetYaml("clusters/aws-west/aws", "{publicAccessCidrs: []}").Load().IsValid().Clusters["aws-west"].Aws!.PublicAccessCidrs);

        var bad = StackConfigBuilder.Valid().SetYaml("clusters/aws-west/aws", "{publicAccessCidrs: [203.0.113.5/24, 10.0.0.0/8, 10.0.0.0/8, 0.0.0.0/0]}").Load();
        bad.HasError($"{Cluster}.aws.publicAccessCidrs[0]", "must be an IPv4 CIDR, found '203.0.113.5/24'");
        bad.HasError($"{Cluster}.aws.publicAccessCidrs[2]", "is listed twice");
        bad.HasWarning($"{Cluster}.aws.publicAccessCidrs[3]", "opens the EKS API endpoint to every address");
    }

    [Fact]
    public void Aks_settings_default_to_the_standard_tier_community_support_cilium_and_two_system_nodes()
    {
        var azure = Aks("{}").Load().IsValid().Clusters["aks"].Azure!;

        Assert.Equal(("Standard", "KubernetesOfficial", "cilium", 2, (string?)null), (azure.SkuTier, azure.SupportPlan, azure.NetworkPolicy, azure.SystemPoolNodes, azure.SubscriptionId));
    }

    [Fact]
    public void Aks_settings_are_read_and_misspellings_are_suggested()
    {
        var azure = Aks("{subscriptionId: 00000000-1111-2222-3333-444444444444, skuTier: Premium, supportPlan: AKSLongTermSupport, networkPolicy: calico, systemPoolNodes: 1}")
            .Load().IsValid().Clusters["aks"].Azure!;
        Assert.Equal(("Premium", "AKSLongTermSupport", "calico", 1, "00000000-1111-2222-3333-444444444444"), (azure.SkuTier, azure.SupportPlan, azure.NetworkPolicy, azure.SystemPoolNodes, azure.SubscriptionId));

        var wrong = Aks("{subscriptionId: my-sub, skuTier: premium, networkPolicy: kubenet, systemPoolNodes: 0}").Load();
        wrong.HasError("skyray:clusters.aks.azure.subscriptionId", "is not a subscription id");
        Assert.Contains("Premium", wrong.HasError("skyray:clusters.aks.azure.skuTier", "premium").Hint, StringComparison.Ordinal);
        wrong.HasError("skyray:clusters.aks.azure.networkPolicy", "kubenet");
        wrong.HasError("skyray:clusters.aks.azure.systemPoolNodes", "");
    }

    [Fact]
    public void Gke_release_channel_defaults_to_regular_and_networks_take_names_or_resource_paths()
    {
        var defaults = Gke("{name: cpu, instanceType: e2-standard-4, maxNodes: 2}").Load().IsValid().Clusters["gke"].Gcp!;
        Assert.Equal(("REGULAR", (string?)null, (string?)null), (defaults.ReleaseChannel, defaults.Network, defaults.Subnetwork));

        var shared = Gke("{name: cpu, instanceType: e2-standard-4, maxNodes: 2}", "{releaseChannel: STABLE, network: projects/host-project-1/global/networks/shared-vpc, subnetwork: ray-subnet}")
            .Load().IsValid().Clusters["gke"].Gcp!;
        Assert.Equal(("STABLE", "projects/host-project-1/global/networks/shared-vpc", "ray-subnet"), (shared.ReleaseChannel, shared.Network, shared.Subnetwork));

        var wrong = Gke("{name: cpu, instanceType: e2-standard-4, maxNodes: 2}", "{releaseChannel: regular, network: My_VPC}").Load();
        Assert.Contains("REGULAR", wrong.HasError("skyray:clusters.gke.gcp.releaseChannel", "regular").Hint, StringComparison.Ordinal);
        wrong.HasError("skyray:clusters.gke.gcp.network", "'My_VPC' is neither a network name nor a network resource path");
    }

    [Fact]
    public void Aks_clusters_sign_in_with_entra_id_by_default_and_local_accounts_are_kept_only_on_purpose_with_a_warning()
    {
        var loaded = Aks("{}").Load();
        var azure = loaded.IsValid().Clusters["aks"].Azure!;
        Assert.False(azure.LocalAccounts);
        Assert.Empty(azure.AdminGroupObjectIds);
        Assert.DoesNotContain(loaded.Diagnostics, d => d.Path.StartsWith("skyray:clusters.aks.azure", StringComparison.Ordinal));

        var kept = Aks("{localAccounts: true, adminGroupObjectIds: [BBBBBBBB-0000-0000-0000-000000000002, aaaaaaaa-0000-0000-0000-000000000001]}").Load();
        kept.HasWarning("skyray:clusters.aks.azure.localAccounts", "long-lived cluster-admin certificate");
        var keptAzure = kept.IsValid().Clusters["aks"].Azure!;
        Assert.True(keptAzure.LocalAccounts);
        // Kept in the canonical lower-case form, sorted.
        Assert.Equal<string>(["aaaaaaaa-0000-0000-0000-000000000001", "bbbbbbbb-0000-0000-0000-000000000002"], keptAzure.AdminGroupObjectIds);

        var wrong = Aks("{adminGroupObjectIds: [ml-admins, aaaaaaaa-0000-0000-0000-000000000001, AAAAAAAA-0000-0000-0000-000000000001]}").Load();
        wrong.HasError("skyray:clusters.aks.azure.adminGroupObjectIds[0]", "must be a Microsoft Entra group object id, found 'ml-admins'");
        wrong.HasError("skyray:clusters.aks.azure.adminGroupObjectIds[2]", "is listed twice");
    }

    [Fact]
    public void Gke_nodes_run_as_a_dedicated_account_with_workload_identity_unless_configured_otherwise()
    {
        const string Pool = "{name: cpu, instanceType: e2-standard-4, maxNodes: 2}";
        var defaults = Gke(Pool).Load().IsValid().Clusters["gke"].Gcp!;
        Assert.Equal(((string?)null, true), (defaults.NodeServiceAccount, defaults.WorkloadIdentity));

        var own = Gke(Pool, "{nodeServiceAccount: gke-nodes@my-project-123.iam.gserviceaccount.com}").Load().IsValid().Clusters["gke"].Gcp!;
        Assert.Equal("gke-nodes@my-project-123.iam.gserviceaccount.com", own.NodeServiceAccount);

        var relaxed = Gke(Pool, "{nodeServiceAccount: 123456789012-compute@developer.gserviceaccount.com, workloadIdentity: false}").Load();
        relaxed.HasWarning("skyray:clusters.gke.gcp.nodeServiceAccount", "Compute Engine default service account");
        relaxed.HasWarning("skyray:clusters.gke.gcp.workloadIdentity", "metadata server");
        Assert.False(relaxed.IsValid().Clusters["gke"].Gcp!.WorkloadIdentity);

        Gke(Pool, "{nodeServiceAccount: gke-nodes}").Load().HasError("skyray:clusters.gke.gcp.nodeServiceAccount", "'gke-nodes' is not an IAM service account email");
    }

    [Theory]
    // The suffix is the first six hex digits of SHA-256("<stack>/<cluster>"), computed with sha256sum:
    // printf 'dev/gke-a' | sha256sum → ad28f9…; printf 'prod/gcp-l4-serving-cluster-east' | sha256sum → 134c94….
    [InlineData("dev", "gke-a", "sr-gke-a-ad28f9")]
    // 3 + 20 + 1 + 6 = 30 characters: the cluster name is cut to 20 ("gcp-l4-serving-clust").
    [InlineData("prod", "gcp-l4-serving-cluster-east", "sr-gcp-l4-serving-clust-134c94")]
    public void The_node_service_account_id_is_the_cluster_name_cut_to_fit_and_a_stack_digest(string stack, string cluster, string expected)
    {
        var id = GcpDefaults.AccountId(stack, cluster);

        Assert.Equal(expected, id);
        Assert.InRange(id.Length, 6, 30);
        Assert.NotEqual(id, GcpDefaults.AccountId(stack + "-2", cluster));
    }

    [Fact]
    public void Disk_size_defaults_by_pool_kind_and_is_kept_within_range()
    {
        var spec = StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/diskSizeGb", 150).Load().IsValid();
        var pools = spec.Clusters["aws-west"].NodePools.ToDictionary(p => p.Name);
        Assert.Equal(150, pools["cpu"].DiskSizeGb);
        Assert.Equal(200, pools["gpu"].DiskSizeGb); // the GPU default: CUDA images are several GB

        Assert.Equal(100, StackConfigBuilder.Valid().Load().IsValid().Clusters["aws-west"].NodePools.Single(p => p.Name == "cpu").DiskSizeGb);
        StackConfigBuilder.Valid().Set("clusters/aws-west/nodePools/0/diskSizeGb", 20).Load().HasError($"{Cluster}.nodePools[0].diskSizeGb", "");
    }

    [Fact]
    public void Gke_gpu_pool_needs_zones_of_its_region_and_other_clouds_take_none()
    {
        Gke("{name: l4, instanceType: g2-standard-8, maxNodes: 2}").Load()
            .HasError("skyray:clusters.gke.nodePools[0].zones", "a GKE GPU pool needs the zones that offer its accelerator");
        Gke("{name: l4, instanceType: g2-standard-8, maxNodes: 2, zones: [us-east1-b]}").Load()
            .HasError("skyray:clusters.gke.nodePools[0].zones[0]", "zone 'us-east1-b' is not in the cluster's region us-central1");
        var pool = Gke("{name: l4, instanceType: g2-standard-8, maxNodes: 2, zones: [us-central1-c, us-central1-a]}").Load().IsValid().Clusters["gke"].NodePools.Single();
        Assert.Equal<string>(["us-central1-a", "us-central1-c"], pool.Zones);

        StackConfigBuilder.Valid().SetYaml("clusters/aws-west/nodePools/0/zones", "[us-west-2a]").Load()
            .HasError($"{Cluster}.nodePools[0].zones", "zones are a GKE setting");
    }

    [Fact]
    public void Gpu_model_without_a_gke_accelerator_name_is_an_error_at_the_instance_type()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("instanceTypes", "[{name: a4x-test-8, provider: gcp, vCpus: 8, memoryGiB: 64, gpus: 1, gpuType: MI300X, hourlyUsd: 5}]")
            .SetYaml("clusters/gke", "{provider: gcp, region: us-central1, kubernetesVersion: '1.35', nodePools: [{name: gpu, instanceType: a4x-test-8, maxNodes: 1, zones: [us-central1-a]}]}")
            .Load();

        result.HasError("skyray:clusters.gke.nodePools[0].instanceType", "SkyRay knows no GKE accelerator name for 'a4x-test-8' (1 × MI300X)");
    }

    [Fact]
    public void Gke_gpu_pool_with_its_own_nvidia_taint_is_an_error_because_gke_adds_one()
    {
        Gke("{name: l4, instanceType: g2-standard-8, maxNodes: 2, zones: [us-central1-a], taints: [{key: nvidia.com/gpu, value: 'true', effect: NoSchedule}]}").Load()
            .HasError("skyray:clusters.gke.nodePools[0].taints[0]", "GKE taints GPU nodes nvidia.com/gpu=present:NoSchedule itself");
    }

    [Fact]
    public void Inferentia_and_trainium_are_errors_and_graviton_is_a_warning_about_the_image()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("instanceTypes", "[{name: inf2.xlarge, provider: aws, vCpus: 4, memoryGiB: 16, hourlyUsd: 0.76}, {name: m7g.2xlarge, provider: aws, vCpus: 8, memoryGiB: 32, hourlyUsd: 0.33}]")
            .SetYaml("clusters/aws-west/nodePools/2", "{name: neuron, instanceType: inf2.xlarge, maxNodes: 1}")
            .SetYaml("clusters/aws-west/nodePools/3", "{name: arm, instanceType: m7g.2xlarge, maxNodes: 1}")
            .Load();

        result.HasError($"{Cluster}.nodePools[2].instanceType", "carries AWS Inferentia/Trainium (Neuron) accelerators");
        result.HasWarning($"{Cluster}.nodePools[3].instanceType", "is an arm64 (Graviton) type");
    }

    [Fact]
    public void Gpu_pools_carry_the_gpu_taint_unless_they_configure_their_own_and_aks_spot_pools_the_spot_taint()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("clusters/aws-west/nodePools/2", "{name: gpu-own, instanceType: g5.2xlarge, maxNodes: 1, taints: [{key: nvidia.com/gpu, value: 'true', effect: NoSchedule}]}")
            .SetYaml("clusters/aks", "{provider: azure, region: westeurope, kubernetesVersion: '1.35', nodePools: [{name: spot, instanceType: Standard_D4s_v5, maxNodes: 2, spot: true}]}")
            .Load().IsValid();
        var pools = spec.Clusters["aws-west"].NodePools.ToDictionary(p => p.Name);

        Assert.Equal<NodeTaint>([new NodeTaint("nvidia.com/gpu", "present", "NoSchedule")], pools["gpu"].ImplicitTaints);
        Assert.Empty(pools["gpu-own"].ImplicitTaints);
        Assert.Empty(pools["cpu"].ImplicitTaints);
        Assert.Equal<NodeTaint>([new NodeTaint("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule")], spec.Clusters["aks"].NodePools.Single().ImplicitTaints);
    }

    [Fact]
    public void Workload_tolerations_are_read_for_both_forms_and_checked_the_kubernetes_way()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/tolerations", "[{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}, {key: team, value: ml}]")
            .Load().IsValid();
        Assert.Equal<Toleration>(
            [new Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule"), new Toleration("team", "Equal", "ml", null)],
            spec.Workloads["job"].Tolerations);

        var wrong = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/tolerations", "[{key: a, operator: Exist}, {key: b, operator: Exists, value: x}, {value: y}, {key: c, effect: NoSchedul}]")
            .Load();
        Assert.Contains("Exists", wrong.HasError("skyray:workloads.job.tolerations[0].operator", "'Exist' is not a toleration operator").Hint, StringComparison.Ordinal);
        wrong.HasError("skyray:workloads.job.tolerations[1].value", "a toleration with operator Exists has no value");
        wrong.HasError("skyray:workloads.job.tolerations[2]", "a toleration without a key must use operator: Exists");
        wrong.HasError("skyray:workloads.job.tolerations[3].effect", "'NoSchedul' is not a taint effect");
    }
}
