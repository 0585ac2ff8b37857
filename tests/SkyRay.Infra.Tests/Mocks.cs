using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace SkyRay.Infra.Tests;

/// <summary>
/// The engine double: records every declared resource with its inputs and answers with the outputs the program
/// reads back (cluster endpoints and CAs, AKS kubeconfigs, role ARNs, service account emails, availability zones, the
/// clouds' client configs, the previous outputs).
/// </summary>
public sealed class Mocks : IMocks
{
    /// <summary>The fake CA every cloud cluster returns (base64 of "CA").</summary>
    public const string CertificateAuthority = "Q0E=";

    /// <summary>The project the GCP provider defaults to (gcp:project), as its client config reports it.</summary>
    public const string DefaultGcpProject = "default-project-1";

    /// <summary>The Microsoft Entra object id of the identity running the program, as Azure's client config reports it.</summary>
    public const string DeployerObjectId = "11111111-2222-3333-4444-555555555555";

    private readonly ConcurrentQueue<MockResourceArgs> _resources = new();
    private readonly ConcurrentQueue<MockCallArgs> _calls = new();

    /// <summary>The previous run's stack outputs the stack reference returns (empty: a first deployment).</summary>
    public ImmutableDictionary<string, object> PreviousOutputs { get; init; } = ImmutableDictionary<string, object>.Empty;

    /// <summary>Every resource registered, in registration order.</summary>
    public IReadOnlyList<MockResourceArgs> Resources => [.. _resources];

    /// <summary>Every provider function called.</summary>
    public IReadOnlyList<MockCallArgs> Calls => [.. _calls];

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        _resources.Enqueue(args);
        var name = args.Name ?? "unnamed";
        var state = ImmutableDictionary.CreateBuilder<string, object>();
        state.AddRange(args.Inputs);
        switch (args.Type)
        {
            case "pulumi:pulumi:StackReference":
                state["name"] = args.Id ?? name;
                state["outputs"] = PreviousOutputs;
                state["secretOutputNames"] = ImmutableArray<object>.Empty;
                break;
            case "aws:eks/cluster:Cluster":
                state["name"] = name + "-physical";
                state["endpoint"] = $"https://{name}.eks.example";
                state["certificateAuthority"] = ImmutableDictionary<string, object>.Empty.Add("data", CertificateAuthority);
                break;
            case "aws:eks/nodeGroup:NodeGroup":
                // EKS creates one Auto Scaling group per managed node group and reports it here.
                state["resources"] = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add(
                    "autoscalingGroups", ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("name", $"eks-{name}-asg"))));
                break;
            case "aws:iam/role:Role":
                state["name"] = name + "-physical";
                state["arn"] = $"arn:aws:iam::123456789012:role/{name}";
                break;
            case "azure:core/resourceGroup:ResourceGroup":
                state["name"] = name + "-physical";
                break;
            case "azure:containerservice/kubernetesCluster:KubernetesCluster":
                state["kubeConfigRaw"] = $"apiVersion: v1\nkind: Config\n# aks {name}\n";
                state["kubeAdminConfigRaw"] = $"apiVersion: v1\nkind: Config\n# aks admin {name}\n";
                state["kubeConfigs"] = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty
                    .Add("host", $"https://{name}.hcp.westeurope.azmk8s.io:443")
                    .Add("clusterCaCertificate", CertificateAuthority));
                break;
            case "gcp:serviceaccount/account:Account":
                var email = $"{args.Inputs["accountId"]}@{args.Inputs["project"]}.iam.gserviceaccount.com";
                state["email"] = email;
                state["member"] = "serviceAccount:" + email;
                break;
            case "kubernetes:core/v1:Service" when args.Id is not null:
                // The serve Service a traffic record reads: the cloud has given its load balancer an address.
                state["status"] = ImmutableDictionary<string, object>.Empty.Add("loadBalancer", ImmutableDictionary<string, object>.Empty.Add(
                    "ingress", ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty.Add("hostname", name + ".elb.example").Add("ip", "203.0.113.10"))));
                break;
            case "gcp:container/cluster:Cluster":
                state["name"] = name + "-physical";
                state["endpoint"] = "203.0.113.10";
                state["masterAuth"] = ImmutableDictionary<string, object>.Empty.Add("clusterCaCertificate", CertificateAuthority);
                break;
        }

        return Task.FromResult<(string? id, object state)>((name + "-id", state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args)
    {
        _calls.Enqueue(args);
        object result = args.Token switch
        {
            "aws:index/getAvailabilityZones:getAvailabilityZones" => ImmutableDictionary<string, object>.Empty
                .Add("names", ImmutableArray.Create<object>("zone-a", "zone-b", "zone-c"))
                .Add("id", "zones"),
            // The identity running the program, as the clouds' client-config functions report it.
            "gcp:organizations/getClientConfig:getClientConfig" => ImmutableDictionary<string, object>.Empty
                .Add("id", "client").Add("project", DefaultGcpProject).Add("region", "us-central1").Add("zone", "us-central1-a").Add("accessToken", "x"),
            "azure:core/getClientConfig:getClientConfig" => ImmutableDictionary<string, object>.Empty
                .Add("id", "client").Add("clientId", "client-id").Add("objectId", DeployerObjectId).Add("subscriptionId", "sub").Add("tenantId", "tenant"),
            _ => ImmutableDictionary<string, object>.Empty,
        };
        return Task.FromResult(result);
    }
}
