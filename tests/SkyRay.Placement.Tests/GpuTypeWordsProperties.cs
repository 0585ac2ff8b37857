using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Pipeline.Filters;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// The GPU type filter keeps, per cluster, its words about the pools for each GPU type (they depend on the pools and the
/// type alone): every reason it gives must be the one worded afresh from the pools, whichever unit asked first.
/// </summary>
public sealed class GpuTypeWordsProperties
{
    [Property(MaxTest = 100)]
    public void A_gpu_type_reason_is_the_one_worded_afresh_in_any_order_of_asking(int seed)
    {
        var spec = RandomFleet.Generate(seed).Build();
        var setup = PlanSetup.Build(spec, null, new Dictionary<(string Cluster, string Pool), int>());
        var units = setup.UnitsFor(new Dictionary<string, string>(StringComparer.Ordinal));
        var filter = new GpuTypeFilter();
        var pairs = units.SelectMany(u => setup.Model.Clusters.Select(c => (Unit: u, Cluster: c))).ToList();
        var order = new Random(seed);

        // Asked in order, then again in a shuffled order (the words each cluster keeps were made by whichever unit came first).
        foreach (var (unit, cluster) in pairs.Concat(pairs.OrderBy(_ => order.Next())))
        {
            Assert.Equal(Afresh(unit, cluster), filter.Explain(unit, cluster));
        }
    }

    /// <summary>The reason as worded from the pools on every call (the filter's wording before the words were kept).</summary>
    private static string Afresh(PlacementUnit unit, PlanCluster cluster)
    {
        foreach (var g in unit.GpuGroups)
        {
            var group = unit.Groups[g];
            if (cluster.Pools.Any(p => p.Gpus >= group.Gpu && p.OffersGpu(group.GpuType)))
            {
                continue;
            }

            var want = $"{group.Gpu}×{group.GpuType ?? "GPU"} per pod";
            var sameType = cluster.Pools.Where(p => p.OffersGpu(group.GpuType)).ToList();
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{unit.GroupLabel(g)} needs {want}; ");
            if (sameType.Count == 0)
            {
                var offered = cluster.Pools.Where(p => p.HasGpu).Select(p => p.Describe()).ToList();
                text.Append(offered.Count == 0
                    ? "no pool has GPUs"
                    : $"no pool has {group.GpuType ?? "GPU"} GPUs ({string.Join(", ", offered)})");
            }
            else
            {
                text.Append(string.Join(", ", sameType.Select(p => $"{p.Describe()} has {p.Gpus} per node")));
            }

            return text.ToString();
        }

        return "passes";
    }
}
