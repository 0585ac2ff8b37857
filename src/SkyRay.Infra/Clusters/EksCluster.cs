using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Placement.Planning;
using Aws = Pulumi.Aws;

namespace SkyRay.Infra.Clusters;

/// <summary>
/// Declares an EKS cluster: IAM roles, the network (the configured subnets, or a new VPC with public and private
/// subnets in two availability zones), the cluster and one managed node group per planned pool.
/// </summary>
internal static class EksCluster
{
    /// <summary>Managed policies the EKS control plane role needs.</summary>
    public static readonly ImmutableArray<string> ClusterPolicies = ["AmazonEKSClusterPolicy"];

    /// <summary>Managed policies the node role needs.</summary>
    public static readonly ImmutableArray<string> NodePolicies =
        ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"];

    /// <summary>The EKS access policy that makes a principal cluster admin (EKS access policy permissions, AmazonEKSClusterAdminPolicy).</summary>
    public const string ClusterAdminPolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

    /// <summary>The EKS add-on that hands pods the credentials of their Pod Identity association.</summary>
    public const string PodIdentityAgentAddon = "eks-pod-identity-agent";

    /// <summary>The Amazon VPC CNI add-on: pod networking, and NetworkPolicy enforcement through its node agent.</summary>
    public const string VpcCniAddon = "vpc-cni";

    /// <summary>The VPC CNI's configuration: network policy enforcement on (VPC CNI 1.14 and later, every version EKS 1.29+ ships).</summary>
    public const string VpcCniConfiguration = """{"enableNetworkPolicy":"true"}""";

    /// <summary>The Pulumi property path of a node group's desired size (for <c>ignoreChanges</c>).</summary>
    public const string DesiredSizePath = "scalingConfig.desiredSize";

    /// <summary>
    /// What the Cluster Autoscaler may do: the policy its AWS provider documents for auto-discovery (the union of the
    /// current README and the 1.29 one, which still lists <c>autoscaling:DescribeTags</c>): read groups, instances,
    /// launch templates, instance types and managed node groups; change desired capacity and terminate instances.
    /// Reads apply to every resource (describe calls take none); writes only to Auto Scaling groups tagged as the cluster's
    /// own (<see cref="AutoscalerPolicy"/>).
    /// </summary>
    public static readonly ImmutableArray<string> AutoscalerReadActions =
    [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
    ];

    /// <summary>The Cluster Autoscaler's write actions.</summary>
    public static readonly ImmutableArray<string> AutoscalerWriteActions =
        ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"];

    /// <summary>Declares the cluster under <paramref name="parent"/>.</summary>
    /// <param name="parent">The cluster's component.</param>
    /// <param name="cluster">The cluster as configured.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="catalog">Instance catalog.</param>
    /// <param name="autoscaling">The core's autoscaling decision.</param>
    /// <param name="autoscaler">The Cluster Autoscaler to install once the cluster is connected, or null.</param>
    /// <param name="nodePools">The node groups (releases on the cluster are installed after them).</param>
    /// <param name="nodesAfter">What the node groups are declared after besides the cluster: the NAT path of a new VPC.</param>
    /// <returns>The kubeconfig, as a secret.</returns>
    public static Output<string> Declare(
        FleetCluster parent, ClusterSpec cluster, ClusterPlan plan, InstanceCatalog catalog, AutoscalingSpec autoscaling, out ClusterAutoscalerBinding? autoscaler,
        out IReadOnlyList<Resource> nodePools, out IReadOnlyList<Resource> nodesAfter)
    {
        var name = cluster.Name;
        var region = cluster.Region ?? throw new ArgumentException($"AWS cluster '{name}' has no region", nameof(cluster));

        // One provider per cluster pins every resource (and the AZ lookup) to the cluster's region, whatever the
        // stack's aws:region says.
        var provider = new Aws.Provider(NodePools.ChildName(name, "aws"), new Aws.ProviderArgs { Region = region },
            new CustomResourceOptions { Parent = parent });
        CustomResourceOptions Child(params Resource[] dependsOn) =>
            new() { Parent = parent, Provider = provider, DependsOn = dependsOn };

        var tags = Tags(name);
        var clusterRole = Role(name, "cluster-role", "eks.amazonaws.com", ClusterPolicies, tags, Child, out var clusterAttachments);
        var nodeRole = Role(name, "node-role", "ec2.amazonaws.com", NodePolicies, tags, Child, out var nodeAttachments);

        var network = cluster.Aws is { SubnetIds.IsDefaultOrEmpty: false } existing
            ? new Network([.. existing.SubnetIds.Select(id => (Input<string>)id)], [.. existing.SubnetIds.Select(id => (Input<string>)id)], [])
            : NewVpc(parent, name, (cluster.Aws ?? AwsSettings.Default).VpcCidr, tags, provider, Child);

        var eks = new Aws.Eks.Cluster(NodePools.ChildName(name, "eks"), new Aws.Eks.ClusterArgs
        {
            RoleArn = clusterRole.Arn,
            Version = cluster.KubernetesVersion,
            VpcConfig = new Aws.Eks.Inputs.ClusterVpcConfigArgs
            {
                SubnetIds = network.ClusterSubnets,
                // Nodes reach the API server inside the VPC; the public endpoint answers only the configured ranges.
                EndpointPrivateAccess = true,
                EndpointPublicAccess = PublicAccessCidrs(cluster).Count > 0,
                PublicAccessCidrs = PublicAccessCidrs(cluster),
            },
            AccessConfig = new Aws.Eks.Inputs.ClusterAccessConfigArgs
            {
                AuthenticationMode = "API_AND_CONFIG_MAP",
                BootstrapClusterCreatorAdminPermissions = true,
            },
            Tags = tags,
        }, Child([.. clusterAttachments]));

        AdminAccess(name, eks, cluster.Aws?.AdminPrincipals ?? [], tags, Child);

        // The VPC CNI as a managed add-on with network policy enforcement on: without it EKS accepts NetworkPolicies and
        // enforces none ("Limit Pod traffic with Kubernetes network policies"). Before the node groups, so nodes start with it.
        var cni = new Aws.Eks.Addon(NodePools.ChildName(name, "vpc-cni"), new Aws.Eks.AddonArgs
        {
            ClusterName = eks.Name,
            AddonName = VpcCniAddon,
            ConfigurationValues = VpcCniConfiguration,
            // EKS installs a self-managed VPC CNI with every cluster: the managed add-on takes it over.
            ResolveConflictsOnCreate = "OVERWRITE",
            ResolveConflictsOnUpdate = "OVERWRITE",
            Tags = tags,
        }, Child());

        var hints = autoscaling.ScaleFromZero.ToDictionary(h => h.Pool, StringComparer.Ordinal);
        var groups = new List<Resource>();
        foreach (var pool in NodePools.Join(cluster, plan, catalog))
        {
            // After the nodes' way out (NAT gateway, private routes): they are created first and, when the cluster goes,
            // deleted only after the node groups, so the operator can still reach the API server to remove KubeRay's
            // finalizers while the Ray objects are deleted.
            var options = Child([.. nodeAttachments, .. network.Egress, cni]);
            // Pools keep the configured name (nodes carry it as eks.amazonaws.com/nodegroup), so a replacement must
            // delete the old group first.
            options.DeleteBeforeReplace = true;
            options.IgnoreChanges = IgnoredNodeGroupChanges(autoscaling);

            var group = new Aws.Eks.NodeGroup(NodePools.ChildName(name, "pool-" + pool.Spec.Name), new Aws.Eks.NodeGroupArgs
            {
                ClusterName = eks.Name,
                NodeGroupName = pool.Spec.Name,
                NodeRoleArn = nodeRole.Arn,
                SubnetIds = network.NodeSubnets,
                InstanceTypes = { pool.Plan.InstanceType },
                AmiType = InstanceFamilies.EksAmiType(pool.Plan.InstanceType, pool.HasGpu),
                // EKS's default is 20 GiB, too small for Ray's images (several GB for the CUDA ones).
                DiskSize = PoolDisks.SizeGiB(pool.Spec, pool.HasGpu),
                CapacityType = pool.Spec.Spot ? "SPOT" : "ON_DEMAND",
                Version = cluster.KubernetesVersion,
                ScalingConfig = new Aws.Eks.Inputs.NodeGroupScalingConfigArgs
                {
                    MinSize = pool.Plan.MinNodes,
                    MaxSize = pool.Plan.MaxNodes,
                    DesiredSize = pool.Plan.DesiredNodes,
                },
                Labels = pool.Spec.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
                // The configured taints plus the GPU taint of GPU groups (GPU pools are for GPU pods, as on GKE).
                Taints = PoolTaints.Effective(CloudProvider.Aws, pool.Spec, pool.HasGpu)
                    .Select(t => new Aws.Eks.Inputs.NodeGroupTaintArgs
                    {
                        Key = t.Key,
                        Value = t.Value is { } value ? (Input<string>)value : null,
                        Effect = NodePools.UpperSnakeEffect(t.Effect),
                    })
                    .ToList(),
                Tags = tags,
            }, options);
            groups.Add(group);
            if (hints.TryGetValue(pool.Spec.Name, out var hint))
            {
                TagAutoScalingGroup(name, pool.Spec.Name, group, hint, Child);
            }
        }

        autoscaler = autoscaling is { Autoscaler: NodeAutoscaler.ClusterAutoscaler, Release: { } release }
            ? BindAutoscaler(name, eks, release, tags, Child, groups, skipAwait: !autoscaling.ReleaseWaits)
            : null;

        nodePools = groups;
        nodesAfter = network.Egress;
        var kubeconfig = Output.Tuple(eks.Name, eks.Endpoint, eks.CertificateAuthority).Apply(t => Kubeconfigs.WithExec(
            name,
            t.Item2,
            t.Item3.Data ?? string.Empty,
            "aws",
            ["--region", region, "eks", "get-token", "--cluster-name", t.Item1, "--output", "json"],
            provideClusterInfo: false,
            installHint: "Install the AWS CLI v2 (aws eks get-token) and sign in to the account that owns the cluster."));
        return Output.CreateSecret(kubeconfig);
    }

    /// <summary>
    /// Cluster-admin access for the configured principals (CI roles, Pulumi Deployments, people): an EKS access entry per
    /// principal and the AmazonEKSClusterAdminPolicy associated cluster-wide. Without them only the identity that
    /// created the cluster can reach it, so another pipeline could not even delete it.
    /// </summary>
    private static void AdminAccess(
        string cluster, Aws.Eks.Cluster eks, IEnumerable<string> principals, Dictionary<string, string> tags, Func<Resource[], CustomResourceOptions> child)
    {
        foreach (var principal in principals)
        {
            // Named by the principal, not its position, so adding one never replaces the others.
            var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(principal)))[..8];
            var entry = new Aws.Eks.AccessEntry(NodePools.ChildName(cluster, $"admin-{id}"), new Aws.Eks.AccessEntryArgs
            {
                ClusterName = eks.Name,
                PrincipalArn = principal,
                Type = "STANDARD",
                Tags = tags,
            }, child([]));
            _ = new Aws.Eks.AccessPolicyAssociation(NodePools.ChildName(cluster, $"admin-{id}-policy"), new Aws.Eks.AccessPolicyAssociationArgs
            {
                ClusterName = eks.Name,
                PrincipalArn = entry.PrincipalArn,
                PolicyArn = ClusterAdminPolicyArn,
                AccessScope = new Aws.Eks.Inputs.AccessPolicyAssociationAccessScopeArgs { Type = "cluster" },
            }, child([entry]));
        }
    }

    /// <summary>
    /// Puts the scale-from-zero tags on the Auto Scaling group EKS created for a node group. EKS does not copy node
    /// group tags to its group, and <c>aws.autoscaling.Tag</c> is the resource for tags of a group created outside the
    /// program. Not propagated to instances: they are hints for the Cluster Autoscaler, not instance tags.
    /// </summary>
    private static void TagAutoScalingGroup(
        string cluster, string pool, Aws.Eks.NodeGroup group, ScaleFromZeroHint hint, Func<Resource[], CustomResourceOptions> child)
    {
        var groupName = group.Resources.Apply(resources =>
            resources.IsDefault
                ? null
                : resources.SelectMany(r => r.AutoscalingGroups.IsDefault ? [] : r.AutoscalingGroups).Select(a => a.Name).FirstOrDefault(n => n is not null))
            .Apply(n => n ?? throw new InvalidOperationException($"EKS reported no Auto Scaling group for node group '{pool}' of cluster '{cluster}'."));
        foreach (var (key, value) in hint.Tags)
        {
            _ = new Aws.AutoScaling.Tag(NodePools.ChildName(cluster, $"pool-{pool}-asg-{key[NodeAutoscaling.NodeTemplatePrefix.Length..]}"), new Aws.AutoScaling.TagArgs
            {
                AutoscalingGroupName = groupName,
                TagDetails = new Aws.AutoScaling.Inputs.TagTagArgs
                {
                    Key = key,
                    Value = value,
                    PropagateAtLaunch = false,
                },
            }, child([]));
        }
    }

    /// <summary>
    /// The AWS side of the Cluster Autoscaler: the Pod Identity agent add-on, a role pods of the release's service
    /// account assume through EKS Pod Identity (trust <c>pods.eks.amazonaws.com</c>, no OIDC provider, no thumbprint,
    /// no role annotation), its inline policy, and the association of role and service account.
    /// </summary>
    private static ClusterAutoscalerBinding BindAutoscaler(
        string cluster,
        Aws.Eks.Cluster eks,
        ClusterAutoscalerRelease release,
        Dictionary<string, string> tags,
        Func<Resource[], CustomResourceOptions> child,
        List<Resource> groups,
        bool skipAwait)
    {
        var agent = new Aws.Eks.Addon(NodePools.ChildName(cluster, "pod-identity-agent"), new Aws.Eks.AddonArgs
        {
            ClusterName = eks.Name,
            AddonName = PodIdentityAgentAddon,
            Tags = tags,
        }, child([]));
        var role = Role(cluster, "autoscaler-role", "pods.eks.amazonaws.com", [], tags, child, out _, AutoscalerTrustCondition(release), "sts:AssumeRole", "sts:TagSession");
        var policy = new Aws.Iam.RolePolicy(NodePools.ChildName(cluster, "autoscaler-policy"), new Aws.Iam.RolePolicyArgs
        {
            Role = role.Name,
            Policy = eks.Name.Apply(name => AutoscalerPolicy(name).ToJsonString()),
        }, child([]));
        var association = new Aws.Eks.PodIdentityAssociation(NodePools.ChildName(cluster, "autoscaler"), new Aws.Eks.PodIdentityAssociationArgs
        {
            ClusterName = eks.Name,
            Namespace = release.Namespace,
            ServiceAccount = release.ServiceAccount,
            RoleArn = role.Arn,
            Tags = tags,
        }, child([]));
        return new ClusterAutoscalerBinding(release, eks.Name, [agent, policy, association, .. groups], skipAwait);
    }

    /// <summary>
    /// The condition on the autoscaler role's trust: EKS Pod Identity tags each session with the pod's namespace and service
    /// account (<c>kubernetes-namespace</c>, <c>kubernetes-service-account</c>: "EKS Pod Identity session tags"), so only the
    /// release's own service account can assume the role, whatever association someone adds later.
    /// </summary>
    /// <param name="release">The Cluster Autoscaler release.</param>
    /// <returns>The trust statement's condition.</returns>
    public static JsonObject AutoscalerTrustCondition(ClusterAutoscalerRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new JsonObject
        {
            ["StringEquals"] = new JsonObject
            {
                ["aws:RequestTag/kubernetes-namespace"] = release.Namespace,
                ["aws:RequestTag/kubernetes-service-account"] = release.ServiceAccount,
            },
        };
    }

    /// <summary>
    /// The node group properties Pulumi leaves alone: the desired size while the autoscaler owns it (the cluster stays
    /// active), so Pulumi keeps what its state holds instead of resetting the Cluster Autoscaler's number every run.
    /// </summary>
    public static List<string> IgnoredNodeGroupChanges(AutoscalingSpec autoscaling) =>
        autoscaling.PlanSetsNodeCount ? [] : [DesiredSizePath];

    /// <summary>
    /// The Cluster Autoscaler's IAM policy document. Its write actions are limited, by the condition the autoscaler's AWS
    /// documentation gives for it, to Auto Scaling groups tagged <c>k8s.io/cluster-autoscaler/&lt;cluster&gt;: owned</c>, the tag
    /// EKS puts on the groups of the cluster's managed node groups: the autoscaler cannot resize or terminate instances of any
    /// other group in the account.
    /// </summary>
    /// <param name="eksClusterName">The EKS cluster's name (as created, with Pulumi's suffix).</param>
    /// <returns>The policy document.</returns>
    public static JsonObject AutoscalerPolicy(string eksClusterName)
    {
        static JsonObject Statement(ImmutableArray<string> actions) => new()
        {
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["Resource"] = "*",
        };

        var write = Statement(AutoscalerWriteActions);
        write["Condition"] = new JsonObject
        {
            ["StringEquals"] = new JsonObject { [$"aws:ResourceTag/k8s.io/cluster-autoscaler/{eksClusterName}"] = "owned" },
        };
        return new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray { Statement(AutoscalerReadActions), write },
        };
    }

    /// <summary>The ranges the public API endpoint answers (the core's, EKS's default when the cluster has no aws block).</summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>The ranges; empty turns the public endpoint off.</returns>
    public static List<string> PublicAccessCidrs(ClusterSpec cluster) =>
        [.. (cluster.Aws ?? AwsSettings.Default).PublicAccessCidrs];

    /// <summary>The EKS AMI type for an instance type (the core decides: <see cref="InstanceFamilies.EksAmiType"/>).</summary>
    public static string AmiType(string instanceType, bool gpu) => InstanceFamilies.EksAmiType(instanceType, gpu);

    /// <summary>
    /// Splits a VPC CIDR into four equal subnets (prefix + 2): two public, two private, one of each per AZ.
    /// </summary>
    public static ImmutableArray<string> SubnetCidrs(string vpcCidr)
    {
        var parts = vpcCidr.Split('/');
        var prefix = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var bytes = IPAddress.Parse(parts[0]).GetAddressBytes();
        var network = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var subnetPrefix = prefix + 2;
        var size = 1u << (32 - subnetPrefix);
        var result = ImmutableArray.CreateBuilder<string>(4);
        for (var i = 0u; i < 4; i++)
        {
            var start = network + (i * size);
            var address = new IPAddress(new[] { (byte)(start >> 24), (byte)(start >> 16), (byte)(start >> 8), (byte)start });
            result.Add(address + "/" + subnetPrefix.ToString(CultureInfo.InvariantCulture));
        }

        return result.MoveToImmutable();
    }

    private static Dictionary<string, string> Tags(string cluster) => new(StringComparer.Ordinal)
    {
        ["skyray-cluster"] = cluster,
        ["managed-by"] = "skyray",
    };

    private static Aws.Iam.Role Role(
        string cluster,
        string part,
        string service,
        ImmutableArray<string> policies,
        Dictionary<string, string> tags,
        Func<Resource[], CustomResourceOptions> child,
        out List<Aws.Iam.RolePolicyAttachment> attachments,
        JsonObject? trustCondition = null,
        params string[] trustActions)
    {
        var trust = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray
            {
                new JsonObject
                {
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = service },
                    ["Action"] = trustActions.Length == 0
                        ? "sts:AssumeRole"
                        : new JsonArray([.. trustActions.Select(a => (JsonNode)JsonValue.Create(a))]),
                },
            },
        };
        if (trustCondition is not null)
        {
            trust["Statement"]![0]!["Condition"] = trustCondition;
        }

        var roleName = NodePools.ChildName(cluster, part);
        var role = new Aws.Iam.Role(roleName, new Aws.Iam.RoleArgs
        {
            // Pulumi's auto-name unless it would pass IAM's 64 characters (a config name over 43 characters).
            Name = PhysicalNames.Bounded(roleName, PhysicalNames.IamRole, PhysicalNames.CurrentStack()) is { } bounded ? (Input<string>)bounded : null,
            AssumeRolePolicy = trust.ToJsonString(),
            Tags = tags,
        }, child([]));

        attachments = [];
        foreach (var policy in policies)
        {
            attachments.Add(new Aws.Iam.RolePolicyAttachment(NodePools.ChildName(cluster, part + "-" + policy), new Aws.Iam.RolePolicyAttachmentArgs
            {
                Role = role.Name,
                PolicyArn = "arn:aws:iam::aws:policy/" + policy,
            }, child([])));
        }

        return role;
    }

    private static Network NewVpc(
        FleetCluster parent,
        string cluster,
        string cidr,
        Dictionary<string, string> tags,
        Aws.Provider provider,
        Func<Resource[], CustomResourceOptions> child)
    {
        var zones = Output.Create(Aws.GetAvailabilityZones.InvokeAsync(
            new Aws.GetAvailabilityZonesArgs { State = "available" },
            new InvokeOptions { Parent = parent, Provider = provider }));
        var cidrs = SubnetCidrs(cidr);

        var vpc = new Aws.Ec2.Vpc(NodePools.ChildName(cluster, "vpc"), new Aws.Ec2.VpcArgs
        {
            CidrBlock = cidr,
            EnableDnsHostnames = true,
            EnableDnsSupport = true,
            Tags = tags,
        }, child([]));
        var gateway = new Aws.Ec2.InternetGateway(NodePools.ChildName(cluster, "igw"), new Aws.Ec2.InternetGatewayArgs
        {
            VpcId = vpc.Id,
            Tags = tags,
        }, child([]));

        var publicSubnets = new List<Aws.Ec2.Subnet>();
        var privateSubnets = new List<Aws.Ec2.Subnet>();
        for (var zone = 0; zone < 2; zone++)
        {
            var index = zone;
            var az = zones.Apply(z => z.Names[index]);
            publicSubnets.Add(Subnet(cluster, $"public-{index}", vpc, az, cidrs[index], isPublic: true, tags, child));
            privateSubnets.Add(Subnet(cluster, $"private-{index}", vpc, az, cidrs[index + 2], isPublic: false, tags, child));
        }

        var publicRoutes = new Aws.Ec2.RouteTable(NodePools.ChildName(cluster, "public-routes"), new Aws.Ec2.RouteTableArgs
        {
            VpcId = vpc.Id,
            Routes = { new Aws.Ec2.Inputs.RouteTableRouteArgs { CidrBlock = "0.0.0.0/0", GatewayId = gateway.Id } },
            Tags = tags,
        }, child([]));

        // One NAT gateway for both private subnets keeps an idle cluster cheap; nodes live in the private subnets.
        var natAddress = new Aws.Ec2.Eip(NodePools.ChildName(cluster, "nat-ip"), new Aws.Ec2.EipArgs
        {
            Domain = "vpc",
            Tags = tags,
        }, child([gateway]));
        var nat = new Aws.Ec2.NatGateway(NodePools.ChildName(cluster, "nat"), new Aws.Ec2.NatGatewayArgs
        {
            AllocationId = natAddress.Id,
            SubnetId = publicSubnets[0].Id,
            Tags = tags,
        }, child([gateway]));
        var egress = new List<Resource> { nat };
        var privateRoutes = new Aws.Ec2.RouteTable(NodePools.ChildName(cluster, "private-routes"), new Aws.Ec2.RouteTableArgs
        {
            VpcId = vpc.Id,
            Routes = { new Aws.Ec2.Inputs.RouteTableRouteArgs { CidrBlock = "0.0.0.0/0", NatGatewayId = nat.Id } },
            Tags = tags,
        }, child([]));

        for (var i = 0; i < 2; i++)
        {
            _ = new Aws.Ec2.RouteTableAssociation(NodePools.ChildName(cluster, $"public-{i}-routes"), new Aws.Ec2.RouteTableAssociationArgs
            {
                SubnetId = publicSubnets[i].Id,
                RouteTableId = publicRoutes.Id,
            }, child([]));
            egress.Add(new Aws.Ec2.RouteTableAssociation(NodePools.ChildName(cluster, $"private-{i}-routes"), new Aws.Ec2.RouteTableAssociationArgs
            {
                SubnetId = privateSubnets[i].Id,
                RouteTableId = privateRoutes.Id,
            }, child([])));
        }

        egress.Add(privateRoutes);
        return new Network(
            [.. publicSubnets.Concat(privateSubnets).Select(s => (Input<string>)s.Id)],
            [.. privateSubnets.Select(s => (Input<string>)s.Id)],
            egress);
    }

    private static Aws.Ec2.Subnet Subnet(
        string cluster,
        string part,
        Aws.Ec2.Vpc vpc,
        Output<string> zone,
        string cidr,
        bool isPublic,
        Dictionary<string, string> tags,
        Func<Resource[], CustomResourceOptions> child)
    {
        // The role tags tell the AWS load balancer integration where public and internal load balancers go.
        var subnetTags = new Dictionary<string, string>(tags, StringComparer.Ordinal)
        {
            [isPublic ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"] = "1",
        };
        return new Aws.Ec2.Subnet(NodePools.ChildName(cluster, part), new Aws.Ec2.SubnetArgs
        {
            VpcId = vpc.Id,
            CidrBlock = cidr,
            AvailabilityZone = zone,
            MapPublicIpOnLaunch = isPublic,
            Tags = subnetTags,
        }, child([]));
    }

    /// <summary>Subnets of the cluster (control plane ENIs) and of its node groups, and the nodes' way out to the internet
    /// (NAT gateway, private route table and its associations; empty with configured subnets, which are the user's).</summary>
    private sealed record Network(List<Input<string>> ClusterSubnets, List<Input<string>> NodeSubnets, List<Resource> Egress);
}
