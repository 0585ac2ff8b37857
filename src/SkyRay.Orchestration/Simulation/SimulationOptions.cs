namespace SkyRay.Orchestration.Simulation;

/// <summary>How a trace is simulated.</summary>
public sealed record SimulationOptions
{
    /// <summary>The default interval of <c>pulumi up</c> runs: a scheduled workflow every 5 minutes (GitHub Actions' shortest schedule).</summary>
    public static readonly TimeSpan DefaultTick = TimeSpan.FromMinutes(5);

    /// <summary>Shortest tick accepted.</summary>
    public static readonly TimeSpan MinTick = TimeSpan.FromMinutes(1);

    /// <summary>Most points a timeline gets by default.</summary>
    public const int DefaultTimelinePoints = 1_000;

    /// <summary>The interval of <c>pulumi up</c> runs, or null for the trace's (else <see cref="DefaultTick"/>).</summary>
    public TimeSpan? Tick { get; init; }

    /// <summary>How long each step takes; the trace's <c>launchTimes</c> are applied on top.</summary>
    public LaunchModel Launch { get; init; } = LaunchModel.Default;

    /// <summary>Launch-time overrides applied last (<c>--launch-time step.cloud=duration</c>): <c>step.cloud</c> → duration.</summary>
    public IReadOnlyDictionary<string, TimeSpan> LaunchOverrides { get; init; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>When the simulation ends, overriding the trace's end, or null.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Most points of the timeline (and of each cluster's phase bands).</summary>
    public int TimelinePoints { get; init; } = DefaultTimelinePoints;

    /// <summary>Record every event (for small traces and tests; a long trace records millions).</summary>
    public bool RecordEvents { get; init; }

    /// <summary>The name of the result (the policy compared), or null for the stack's name.</summary>
    public string? Label { get; init; }

    /// <summary>
    /// Hand each run's outputs to the next as <c>pulumi up</c> does, through their JSON text (written, then parsed), instead of
    /// <c>StackOutputs.ReadBack</c> (the same data without the text). Slower; tests compare the two.
    /// </summary>
    internal bool OutputsAsText { get; init; }

    /// <summary>Called after every run with the run's number and time (progress of long simulations), or null.</summary>
    public Action<int, DateTimeOffset>? Progress { get; init; }
}
