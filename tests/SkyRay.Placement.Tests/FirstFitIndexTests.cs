using FsCheck.Xunit;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>The first-fit index finds exactly the node a scan from the left finds, and large pools pack like small ones.</summary>
public class FirstFitIndexTests
{
    [Property(MaxTest = 200)]
    public void First_is_the_node_a_left_to_right_scan_finds_after_any_updates(int seed)
    {
        var random = new Random(seed);
        var capacity = random.Next(1, 300);
        var index = new FirstFitIndex(capacity);
        var cpu = new long[capacity];
        var mem = new long[capacity];
        var gpu = new int[capacity];
        for (var step = 0; step < 400; step++)
        {
            var node = random.Next(capacity);
            cpu[node] = random.Next(0, 8) * 500;
            mem[node] = random.Next(0, 8) * 1024;
            gpu[node] = random.Next(0, 3);
            index.Set(node, cpu[node], mem[node], gpu[node]);

            var from = random.Next(capacity + 1);
            var to = random.Next(from, capacity + 1);
            long needCpu = random.Next(1, 8) * 500, needMem = random.Next(0, 8) * 1024;
            var needGpu = random.Next(0, 3);
            var expected = -1;
            for (var i = from; i < to; i++)
            {
                if (cpu[i] >= needCpu && mem[i] >= needMem && gpu[i] >= needGpu)
                {
                    expected = i;
                    break;
                }
            }

            Assert.Equal(expected, index.First(from, to, needCpu, needMem, needGpu));
        }
    }

    [Fact]
    public void Small_pods_fill_the_gaps_big_pods_left_on_a_pool_of_more_than_64_nodes()
    {
        // m5.xlarge: 4 vCPU, 16 GiB; after the 0.5 vCPU / 1 GiB system reserve 3.5 vCPU and 15 GiB per node.
        // 100 heads of 2 vCPU go one per node (two would need 4 vCPU): 100 nodes, each with 1.5 vCPU left.
        // Then 100 heads of 1 vCPU: first-fit puts one into each of those gaps, so no node is added: 100 nodes.
        var fleet = new FleetBuilder().Cluster("big", c => c.Pool("cpu", "m5.xlarge", 0, 300));
        for (var i = 0; i < 100; i++)
        {
            fleet.Workload($"large-{i:D3}", w => w.Head(2000, 2));
            fleet.Workload($"small-{i:D3}", w => w.Head(1000, 2));
        }

        var plan = fleet.Plan();

        Assert.Equal(200, plan.Placements.Values.Count(p => p.IsPlaced));
        Assert.Equal(100, plan.Clusters["big"].Pools[0].DesiredNodes);
        Assert.Equal(100 * 0.192m, plan.Clusters["big"].HourlyCost);
    }
}
