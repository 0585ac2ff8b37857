using SkyRay.Fleet.Config;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

/// <summary><c>skyray:operations</c> and a cluster's <c>availability</c>: how the live fleet is run between runs.</summary>
public sealed class OperationsConfigTests
{
    [Fact]
    public void Without_operations_evictions_are_off_failover_needs_three_unreachable_runs_and_the_retire_margin_is_five_minutes()
    {
        var spec = StackConfigBuilder.Valid().Load().IsValid();

        Assert.False(spec.Operations.AllowEvictions);
        Assert.Equal(3, spec.Operations.LostAfterUnreachableRuns);
        Assert.Equal(TimeSpan.FromMinutes(5), spec.Operations.RetireMargin);
        Assert.Equal(ClusterAvailability.Available, spec.Clusters["aws-west"].Availability);
    }

    [Fact]
    public void Operations_are_read_as_written()
    {
        var spec = StackConfigBuilder.Valid()
            .SetYaml("operations", "{allowEvictions: true, lostAfterUnreachableRuns: 5, retireMargin: 1h30m}")
            .Set("clusters/aws-west/availability", "cordoned")
            .Load()
            .IsValid();

        Assert.True(spec.Operations.AllowEvictions);
        Assert.Equal(5, spec.Operations.LostAfterUnreachableRuns);
        Assert.Equal(TimeSpan.FromMinutes(90), spec.Operations.RetireMargin);
        Assert.Equal(ClusterAvailability.Cordoned, spec.Clusters["aws-west"].Availability);
    }

    [Fact]
    public void A_misspelt_availability_names_its_path_and_the_closest_word()
    {
        var result = StackConfigBuilder.Valid().Set("clusters/aws-west/availability", "lots").Load();

        var error = result.HasError("skyray:clusters.aws-west.availability", "'lots' is not a valid availability");
        Assert.Equal("did you mean 'lost'?", error.Hint);
    }

    [Fact]
    public void Bad_operations_values_are_each_reported_at_their_path()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("operations", "{allowEviction: true, lostAfterUnreachableRuns: -1, retireMargin: soon}")
            .Load();

        Assert.Equal("did you mean 'allowEvictions'?", result.HasError("skyray:operations.allowEviction", "unknown key").Hint);
        result.HasError("skyray:operations.lostAfterUnreachableRuns", "out of range");
        result.HasError("skyray:operations.retireMargin", "'soon' is not a duration");
    }
}
