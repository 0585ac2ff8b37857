using System.Diagnostics.Tracing;
using System.Globalization;

namespace SkyRay.Benchmarks.EndToEnd;

/// <summary>
/// <c>e2e --one FILE WARMUP --alloc</c>: which types each phase of the timed run allocates, from the runtime's own
/// allocation ticks (one event per ~100 KB allocated, naming the type of the object that crossed the mark), listened to in
/// process. A sample, not a count: types allocated often and large show; a few small objects may not.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<(string Phase, string Type), long> _bytes = [];
    private readonly Lock _gate = new();

    /// <summary>The phase the ticks that follow are counted under.</summary>
    public string Phase { get; set; } = "";

    /// <summary>Prints each phase's sampled bytes and its 25 largest types to standard error.</summary>
    public void Print()
    {
        lock (_gate)
        {
            foreach (var phase in _bytes.GroupBy(kv => kv.Key.Phase))
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {phase.Key}: {phase.Sum(kv => kv.Value) / 1e6:0} MB sampled"));
                foreach (var kv in phase.OrderByDescending(kv => kv.Value).Take(25))
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kv.Value / 1e6,8:0.0} MB {kv.Key.Type}"));
                }
            }
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // Keyword 0x1: GC events; the allocation tick is a verbose one.
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture) : 100_000;
        lock (_gate)
        {
            _bytes[(Phase, type)] = _bytes.GetValueOrDefault((Phase, type)) + amount;
        }
    }
}
