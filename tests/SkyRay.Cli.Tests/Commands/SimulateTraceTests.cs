using System.Text.Json.Nodes;
using SkyRay.Testing;

namespace SkyRay.Cli.Tests.Commands;

/// <summary>
/// <c>skyray simulate --trace</c> on the hand-computed case of the core's trace tests (TraceSimulatorTests): home (EKS, static,
/// a $1/h CPU node always on and up to one $2/h GPU node) and burst (GKE, dynamic, suspends after 10 minutes idle, up to two
/// $3/h GPU nodes), control planes $0.10/h, three arrivals of a one-GPU RayJob over three hours.
/// </summary>
public sealed class SimulateTraceTests : IDisposable
{
    private const string Stack = HandTrace.Stack;

    private const string Trace = HandTrace.Trace;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47];

    private static readonly string[] Browsers = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    private readonly string _dir = Directory.CreateTempSubdirectory("skyray-trace-").FullName;

    public SimulateTraceTests()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.hand.yaml"), Stack);
        File.WriteAllText(Path.Combine(_dir, "hand.yaml"), Trace);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Json_gives_the_hand_computed_cost_waits_and_gpu_hours_and_the_always_on_baseline_beside_it()
    {
        var run = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--trace", "hand.yaml", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var results = JsonNode.Parse(run.Out)!["results"]!.AsArray();
        Assert.Equal(["hand", "hand always on"], results.Select(r => r!["label"]!.GetValue<string>()));
        var jit = results[0]!;
        // home 3.30 + 2 × 94/60 = 6.4333; burst 0.10 × 170/60 + 3 × 35/60 = 2.0333; 8.4667 → 8.47 (worked out in TraceSimulatorTests).
        Assert.Equal(8.47m, jit["usd"]!.GetValue<decimal>());
        Assert.Equal((3.0, 10.0, 10.0), (jit["waitMinutes"]!["p50"]!.GetValue<double>(), jit["waitMinutes"]!["p95"]!.GetValue<double>(), jit["waitMinutes"]!["max"]!.GetValue<double>()));
        Assert.Equal(1.8333, jit["gpuHoursUsed"]!.GetValue<double>());
        Assert.Equal(2.15, jit["gpuHoursPaid"]!.GetValue<double>());
        Assert.Equal((3, 3, 0), (jit["arrivals"]!.GetValue<int>(), jit["started"]!.GetValue<int>(), jit["unplaced"]!.GetValue<int>()));
        // The timeline's cost per hour integrates to the total: 180 one-minute steps.
        Assert.Equal(8.4667, jit["timeline"]!["usdPerHour"]!.AsArray().Sum(v => v!.GetValue<double>()) / 60, 3);
        Assert.Equal(["burst", "home"], jit["clusters"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(1, jit["clusters"]![0]!["creates"]!.GetValue<int>());
        Assert.Equal(3, results[1]!["arrivals"]!.GetValue<int>());
    }

    [Fact]
    public void The_table_compares_the_policies_and_says_what_just_in_time_saves()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.other.yaml"), Stack.Replace("idleAfter: 10m", "idleAfter: 2h", StringComparison.Ordinal));

        var run = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--trace", "hand.yaml", "--compare", "Pulumi.other.yaml");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Trace 'hand' from 2026-03-02 00:00 to 2026-03-02 03:00 UTC (3 h, a run every 10 min), 3 arrival(s)", run.Out, StringComparison.Ordinal);
        Assert.Contains("│ hand ", run.Out, StringComparison.Ordinal);
        Assert.Contains("│ hand always on ", run.Out, StringComparison.Ordinal);
        Assert.Contains("│ other ", run.Out, StringComparison.Ordinal);
        Assert.Contains("against the same clusters always on.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_arrival_counts_once_per_time()
    {
        File.WriteAllText(Path.Combine(_dir, "repeat.yaml"), """
            trace: {start: "2026-03-02T00:00:00Z", end: 6h, tick: 10m}
            arrivals:
              - {at: 0m, workload: train, duration: 20m, repeat: {every: 2h, times: 3}}
            """);

        var run = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--trace", "repeat.yaml", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Equal(3, JsonNode.Parse(run.Out)!["results"]![0]!["arrivals"]!.GetValue<int>());
    }

    [Fact]
    public void A_trace_naming_an_unknown_workload_is_a_located_error_and_compare_needs_a_trace()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.yaml"), "arrivals:\n  - {at: 0m, workload: trian, duration: 1h}\n");

        var bad = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--trace", "bad.yaml");
        var compare = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--compare", "Pulumi.hand.yaml");
        var missing = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--trace", "nowhere.yaml");

        Assert.Equal(ExitCodes.InvalidInput, bad.ExitCode);
        Assert.Contains("bad.yaml:arrivals[0].workload", bad.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, compare.ExitCode);
        Assert.Contains("--compare needs --trace", compare.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, missing.ExitCode);
        Assert.Contains("error: --trace: no file", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_report_is_one_self_contained_file_whose_series_and_bands_match_the_json()
    {
        var run = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--trace", "hand.yaml", "--html", "report.html", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var results = JsonNode.Parse(run.Out)!["results"]!.AsArray();
        var text = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" href=", text, StringComparison.Ordinal);
        var page = System.Xml.Linq.XDocument.Parse(text);
        var all = page.Descendants().ToList();

        var rows = all.Where(e => e.Name.LocalName == "tr" && e.Attribute("data-label") is not null).ToList();
        Assert.Equal(results.Select(r => r!["label"]!.GetValue<string>()), rows.Select(r => r.Attribute("data-label")!.Value));
        Assert.Equal(results.Select(r => r!["usd"]!.GetValue<decimal>().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r.Elements().ElementAt(1).Value));

        var series = all.Where(e => e.Name.LocalName == "svg" && e.Attribute("data-series")?.Value == "usdPerHour").ToList();
        Assert.Equal(results.Count, series.Count);
        foreach (var (svg, result) in series.Zip(results))
        {
            var length = result!["timeline"]!["usdPerHour"]!.AsArray().Count;
            Assert.Equal(length.ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Attribute("data-points")!.Value);
            Assert.Equal(length, svg.Elements().Single(e => e.Name.LocalName == "polyline").Attribute("points")!.Value.Split(' ').Length);
        }

        foreach (var cluster in results[0]!["clusters"]!.AsArray())
        {
            var band = all.Single(e => e.Name.LocalName == "svg" && e.Attribute("data-cluster")?.Value == cluster!["name"]!.GetValue<string>());
            Assert.Equal(
                cluster!["bands"]!.AsArray().Select(b => b!["phase"]!.GetValue<string>()),
                band.Elements().Select(r => r.Attribute("data-phase")!.Value));
        }
    }

    /// <summary>
    /// Every stack of the repository replays a trace of its own workloads (each arriving at once, for two hours of a six-hour
    /// trace): every run is decided, every workload starts, and just in time costs no more than the same clusters always on.
    /// </summary>
    [Theory]
    [MemberData(nameof(SecureByDefaultStacksTests.Stacks), MemberType = typeof(SecureByDefaultStacksTests))]
    public void Every_stack_of_the_repository_replays_a_trace_of_its_own_workloads(string stackFile)
    {
        var plan = CliRun.Of(SharedMaterial.RepositoryRoot, "plan", "--config-file", stackFile, "--output", "json");
        Assert.True(plan.ExitCode == ExitCodes.Ok, plan.ToString());
        var workloads = JsonNode.Parse(plan.Out)!["placements"]!.AsObject().Select(p => p.Key).ToList();
        Assert.NotEmpty(workloads);
        var trace = Path.Combine(_dir, "own.yaml");
        File.WriteAllText(trace, "trace: {start: \"2026-03-02T00:00:00Z\", end: 6h, tick: 5m}\narrivals:\n" +
            string.Concat(workloads.Select(w => $"  - {{at: 0m, workload: {w}, duration: 2h}}\n")));

        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--config-file", stackFile, "--trace", trace, "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var results = JsonNode.Parse(run.Out)!["results"]!.AsArray();
        var stack = Path.GetFileNameWithoutExtension(stackFile)["Pulumi.".Length..];
        Assert.Equal([stack, stack + " always on"], results.Select(r => r!["label"]!.GetValue<string>()));
        foreach (var result in results)
        {
            // A run every 5 min of the 6 h at most (a run that waits for a slow step, such as creating a cluster, delays the
            // next one), none failed; each arrival counted once and started.
            Assert.InRange(result!["runs"]!.GetValue<int>(), 1, 72);
            Assert.Equal(0, result["failedRuns"]!.GetValue<int>());
            Assert.Equal((workloads.Count, workloads.Count, 0), (result["arrivals"]!.GetValue<int>(), result["started"]!.GetValue<int>(), result["unplaced"]!.GetValue<int>()));
        }

        Assert.True(results[0]!["usd"]!.GetValue<decimal>() <= results[1]!["usd"]!.GetValue<decimal>(), run.Out);
    }

    /// <summary>
    /// The README's standby sample, worked out by hand from the stack (stacks/Pulumi.standby.yaml: one static EKS cluster, a
    /// $0.384/h m6i.2xlarge CPU node and two $1.212/h g5.2xlarge GPU nodes kept warm, up to four, standby after 30 idle
    /// minutes; the EKS control plane $0.10/h), the trace (stacks/traces/bursty-training.yaml: each working day train-a at
    /// 9:00 for 3 h, train-b at 9:05 for 2 h 30 min, train-b at 14:00 for 1 h 30 min, train-a at 22:00 for 45 min; each
    /// job two one-GPU workers) and the launch model's defaults (a wake 2 min, a node scale-up 3 min; nodes are paid from
    /// when they are up until the first run, every 5 min, that no longer needs them).
    /// </summary>
    [Fact]
    public void The_standby_sample_saves_well_over_half_against_the_same_cluster_always_on()
    {
        var run = CliRun.Of(SharedMaterial.RepositoryRoot, "simulate", "--config-file", "stacks/Pulumi.standby.yaml", "--trace", "stacks/traces/bursty-training.yaml", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var results = JsonNode.Parse(run.Out)!["results"]!.AsArray();
        Assert.Equal(["standby", "standby always on"], results.Select(r => r!["label"]!.GetValue<string>()));
        var (jit, alwaysOn) = (results[0]!, results[1]!);

        // Always on: the warm nodes and the control plane all week, 168 h × (0.384 + 2 × 1.212 + 0.10) = $488.544. Each
        // morning train-b needs two more GPU nodes: up at 9:08, paid until the 11:40 run (it started at 9:08, so it ends at
        // 11:38), 152 min × 2 nodes × 5 days = 25.333 node-hours = $30.704. $519.248; GPU-hours paid 336 + 25.333.
        Assert.Equal(519.25m, alwaysOn["usd"]!.GetValue<decimal>());
        Assert.Equal(361.3333, alwaysOn["gpuHoursPaid"]!.GetValue<double>());

        // With standby, each working day the CPU node and two GPU nodes run from the wake (up 2 min after the arrival) until the
        // 5-minute run at which the cluster has been idle 30 min: 9:02 → 12:35 (train-a ends 12:02), 14:02 → 16:05 (ends
        // 15:32), 22:02 → 23:20 (ends 22:47): 3.55 + 2.05 + 1.3 = 6.9 h; and the two more GPU nodes 9:08 → 11:40 as above.
        // GPU-hours paid 5 × (2 × 6.9 + 2 × 152 / 60) = 94.333 = $114.332; CPU 5 × 6.9 h × 0.384 = $13.248; control plane all
        // week $16.80 (standby keeps it). $144.38, 72.2 % less than always on.
        Assert.Equal(144.38m, jit["usd"]!.GetValue<decimal>());
        Assert.Equal(94.3333, jit["gpuHoursPaid"]!.GetValue<double>());
        Assert.True(jit["usd"]!.GetValue<decimal>() < alwaysOn["usd"]!.GetValue<decimal>() / 2);

        // Waits: with standby the first job of each burst waits for the wake (2 min), and train-b at 9:05 for the two more
        // GPU nodes (3 min): fifteen 2s and five 3s, so p50 2, p95 (the 19th of 20) 3, mean 2.25. Always on, only that
        // scale-up: fifteen 0s and five 3s.
        Assert.Equal((2.0, 3.0, 3.0, 2.25), Waits(jit));
        Assert.Equal((0.0, 3.0, 3.0, 0.75), Waits(alwaysOn));

        // Three bursts a working day, each followed by more than 30 idle minutes: 15 wakes and 15 suspends, no create.
        var lab = jit["clusters"]!.AsArray().Single()!;
        Assert.Equal(("aws-lab", 15, 15, 0), (lab["name"]!.GetValue<string>(), lab["wakes"]!.GetValue<int>(), lab["suspends"]!.GetValue<int>(), lab["creates"]!.GetValue<int>()));
        Assert.Equal((20, 20), (jit["arrivals"]!.GetValue<int>(), jit["started"]!.GetValue<int>()));

        static (double, double, double, double) Waits(JsonNode result)
        {
            var waits = result["waitMinutes"]!;
            return (waits["p50"]!.GetValue<double>(), waits["p95"]!.GetValue<double>(), waits["max"]!.GetValue<double>(), waits["mean"]!.GetValue<double>());
        }
    }

    [SkippableFact]
    public void Headless_chromium_renders_the_report_to_a_screenshot()
    {
        var browser = Browsers
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
        Skip.If(browser is null, "no headless Chromium on PATH (chromium, chromium-browser, google-chrome): the report is still checked by parsing it");
        var run = CliRun.Of(_dir, "simulate", "--config-file", "Pulumi.hand.yaml", "--trace", "hand.yaml", "--html", "report.html");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var png = Path.Combine(_dir, "report.png");

        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            browser!, ["--headless", "--no-sandbox", "--disable-gpu", $"--screenshot={png}", "--window-size=1000,1400", new Uri(Path.Combine(_dir, "report.html")).AbsoluteUri])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        Assert.True(process.WaitForExit(60_000), "chromium did not finish within a minute");

        var bytes = File.ReadAllBytes(png);
        Assert.Equal(PngSignature, bytes.Take(4));
    }
}
