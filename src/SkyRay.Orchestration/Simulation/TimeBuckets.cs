namespace SkyRay.Orchestration.Simulation;

/// <summary>
/// Fixed time buckets over the simulated period: quantities that hold over an interval (a cost rate, a GPU count) are
/// spread over the buckets they overlap, so a series costs the same memory whether the trace has ten arrivals or a million.
/// </summary>
internal sealed class TimeBuckets
{
    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(30),
    ];

    private readonly long _start;
    private readonly long _end;
    private readonly long _step;

    public TimeBuckets(DateTimeOffset start, DateTimeOffset end, int maxPoints)
    {
        _start = start.UtcTicks;
        _end = end.UtcTicks;
        var length = _end - _start;
        var step = Steps.FirstOrDefault(s => (length + s.Ticks - 1) / s.Ticks <= Math.Max(1, maxPoints));
        _step = step == default ? (length + maxPoints - 1) / Math.Max(1, maxPoints) : step.Ticks;
        Count = (int)Math.Max(1, (length + _step - 1) / _step);
    }

    /// <summary>The bucket length.</summary>
    public TimeSpan Step => TimeSpan.FromTicks(_step);

    /// <summary>Number of buckets.</summary>
    public int Count { get; }

    /// <summary>A new series.</summary>
    public double[] Series() => new double[Count];

    /// <summary>Adds <paramref name="perHour"/> × hours of [<paramref name="from"/>, <paramref name="to"/>) to the buckets it overlaps.</summary>
    public void Add(double[] series, long from, long to, double perHour)
    {
        if (perHour == 0)
        {
            return;
        }

        from = Math.Max(from, _start);
        to = Math.Min(to, _end);
        while (from < to)
        {
            var bucket = (int)((from - _start) / _step);
            var bucketEnd = Math.Min(_start + ((bucket + 1) * _step), to);
            series[bucket] += perHour * (bucketEnd - from) / TimeSpan.TicksPerHour;
            from = bucketEnd;
        }
    }

    /// <summary>Adds seconds of [<paramref name="from"/>, <paramref name="to"/>) to slot <paramref name="slot"/> of
    /// <paramref name="slots"/> per bucket (phase time per bucket).</summary>
    public void AddSlot(float[] table, int slots, int slot, long from, long to)
    {
        from = Math.Max(from, _start);
        to = Math.Min(to, _end);
        while (from < to)
        {
            var bucket = (int)((from - _start) / _step);
            var bucketEnd = Math.Min(_start + ((bucket + 1) * _step), to);
            table[(bucket * slots) + slot] += (float)((bucketEnd - from) / (double)TimeSpan.TicksPerSecond);
            from = bucketEnd;
        }
    }

    /// <summary>The series as averages per hour of each bucket (the last bucket may be shorter).</summary>
    public double[] PerHour(double[] totals)
    {
        var result = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            var length = Math.Min(_step, _end - _start - (i * _step));
            result[i] = length <= 0 ? 0 : totals[i] / ((double)length / TimeSpan.TicksPerHour);
        }

        return result;
    }

    /// <summary>The start of bucket <paramref name="index"/> from the simulation start.</summary>
    public TimeSpan Offset(int index) => TimeSpan.FromTicks(Math.Min(index * _step, _end - _start));
}
