using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline.Filters;

/// <summary>
/// <c>spreadConstraints.topologyKey</c>: a cluster without the label belongs to no domain. With a Divide
/// <c>percentageSplit</c>, a domain without a share (or a 0% share) gets nothing.
/// </summary>
internal sealed class TopologyKeyFilter : IClusterFilter
{
    public string Name => "topology-key";

    public string? Reject(SchedulePolicy? policy, PlanCluster cluster)
    {
        var spread = policy?.Spread;
        if (spread is null)
        {
            return null;
        }

        if (!cluster.Labels.TryGetValue(spread.TopologyKey, out var domain))
        {
            return $"has no label '{spread.TopologyKey}', the topologyKey policy '{policy!.Name}' spreads over";
        }

        if (spread.Mode == SpreadMode.Divide && !spread.PercentageSplit.IsDefaultOrEmpty &&
            spread.PercentageSplit.Where(s => string.Equals(s.TopologyValue, domain, StringComparison.Ordinal)).Sum(s => s.Percentage) <= 0)
        {
            return $"domain {spread.TopologyKey}={domain} has no share in the percentageSplit of policy '{policy!.Name}'";
        }

        return null;
    }
}
