using BenchmarkDotNet.Attributes;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Micro;

/// <summary>Micro-benchmarks of the planner on mid-size fleets (BenchmarkDotNet, <c>-- micro</c>).</summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private FleetSpec _spec = null!;
    private FleetPlan _previous = null!;

    /// <summary>Workloads × clusters.</summary>
    [Params("100x10", "1000x10", "1000x100")]
    public string Size { get; set; } = "100x10";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('x');
        _spec = SyntheticFleet.Generate(
            new FleetShape(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), Seed: 1),
            InstanceCatalogReader.BuiltIn());
        _previous = FleetPlanner.Plan(_spec);
    }

    [Benchmark(Baseline = true)]
    public FleetPlan Plan() => FleetPlanner.Plan(_spec);

    /// <summary>Replanning with the previous plan (stickiness path).</summary>
    [Benchmark]
    public FleetPlan Replan() => FleetPlanner.Plan(_spec, _previous);
}

/// <summary>Micro-benchmarks of the synthetic fleet generator and the catalog (cheap, but on every plan's path).</summary>
[MemoryDiagnoser]
public class CatalogBenchmarks
{
    private readonly InstanceCatalog _catalog = InstanceCatalogReader.BuiltIn();

    [Benchmark]
    public bool LookupAwsType() => _catalog.TryGet("aws", "g6.12xlarge", out _);

    [Benchmark]
    public int GpuTypesOfGcp() => _catalog.GpuTypes("gcp").Length;

    [Benchmark]
    public FleetSpec Generate1000x100() => SyntheticFleet.Generate(new FleetShape(100, 1000, Seed: 1), _catalog);
}
