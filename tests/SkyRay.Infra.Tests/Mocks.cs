using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace SkyRay.Infra.Tests;

/// <summary>
/// The engine double: records every declared resource with its inputs and answers with the outputs the program
/// reads back (cluster endpoints and CAs, AKS kubeconfig, role ARNs, availability zones, the previous outputs).
/// </summary>
public sealed class Mocks : IMocks
{
    /// <summary>The fake CA every cloud cluster returns (base64 of "CA").</summary>
    public const string CertificateAuthority = "Q0E=";

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
        object result = args.Token == "aws:index/getAvailabilityZones:getAvailabilityZones"
            ? ImmutableDictionary<string, object>.Empty
                .Add("names", ImmutableArray.Create<object>("zone-a", "zone-b", "zone-c"))
                .Add("id", "zones")
            : ImmutableDictionary<string, object>.Empty;
        return Task.FromResult(result);
    }
}
