using System.Runtime.CompilerServices;

namespace SkyRay.Orchestration;

/// <summary>
/// The last value made for a workload name from one text, given again while the text stays the same. A run writes a line
/// and a warning for every unplaced workload; in a process that plans many runs of one stack (the trace simulation: a run
/// every tick, with hundreds of workloads waiting late in a busy month) most of them are the lines of the run before, word
/// for word. The value is kept per name object (a <see cref="ConditionalWeakTable{TKey, TValue}"/>, so it goes when the name
/// does) and made again whenever the text differs: what is given is always what <c>make</c> gives.
/// </summary>
/// <typeparam name="T">The value made.</typeparam>
/// <param name="make">Makes the value of a name from the text.</param>
internal sealed class RepeatedLines<T>(Func<string, string, T> make)
    where T : class
{
    private readonly ConditionalWeakTable<string, Made> _byName = [];

    /// <summary>The value of the name made from the text.</summary>
    /// <param name="name">The workload's name.</param>
    /// <param name="text">What the value is made from.</param>
    /// <returns>The value: the one made last time when the text is the same.</returns>
    public T For(string name, string text)
    {
        if (_byName.TryGetValue(name, out var made) && string.Equals(made.Text, text, StringComparison.Ordinal))
        {
            return made.Value;
        }

        var value = make(name, text);
        _byName.AddOrUpdate(name, new Made(text, value));
        return value;
    }

    private sealed record Made(string Text, T Value);
}
