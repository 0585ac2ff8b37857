using SkyRay.Infra.Tests.Support;
using SkyRay.Orchestration.Autoscaling;

namespace SkyRay.Infra.Tests.Program;

/// <summary>The real program on the dev stack: its active EKS cluster gets the Cluster Autoscaler, the others do not.</summary>
public sealed class AutoscalingProgramTests
{
    [Fact]
    public async Task Dev_stack_installs_the_cluster_autoscaler_only_on_its_eks_cluster_with_hints_for_its_zero_minimum_pools()
    {
        var result = await PulumiRun.RunAsync(StackConfig.FromFile("Pulumi.dev.yaml"));

        var release = result.Single("kubernetes:helm.sh/v3:Release", "aws-west-cluster-autoscaler");
        Assert.Equal(NodeAutoscaling.ChartVersion, Values.At(release, "version"));
        Assert.Equal("aws-west-eks-physical", Values.At(release, "values.autoDiscovery.clusterName"));
        Assert.Equal("us-west-2", Values.At(release, "values.awsRegion"));
        Assert.Single(result.OfType("kubernetes:helm.sh/v3:Release").Keys, k => k.EndsWith("-cluster-autoscaler", StringComparison.Ordinal));
        Assert.Equal("aws-west-eks-physical", Values.At(result.Single("aws:eks/podIdentityAssociation:PodIdentityAssociation", "aws-west-autoscaler"), "clusterName"));

        // cpu keeps a node (minimum 1); cpu-large, gpu and gpu-l4 may sit at zero and carry template tags.
        var tagged = result.OfType("aws:autoscaling/tag:Tag").Values
            .Select(t => (string)Values.At(t, "autoscalingGroupName")!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        Assert.Equal<string>(["eks-aws-west-pool-cpu-large-asg", "eks-aws-west-pool-gpu-asg", "eks-aws-west-pool-gpu-l4-asg"], tagged);
    }
}
