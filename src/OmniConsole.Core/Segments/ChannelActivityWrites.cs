using System.Collections.Concurrent;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Segments;

/// <summary>
/// What this process last wrote to <see cref="CustomerChannelActivity"/>, so ingestion skips rewriting a customer's
/// channel row for every event: a row whose first time is no later and whose last time is at most an hour behind is left
/// alone. "Channels used in N days" may therefore lag by under an hour; each skipped upsert saves a write at a random
/// place (measured: the upserts were the largest part of what segment facts cost a batch). Remembered only after the
/// batch commits; forgotten whole past a million entries.
/// </summary>
public sealed class ChannelActivityWrites
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromHours(1);
    private const int MaxEntries = 1_000_000;
    private readonly ConcurrentDictionary<(long CustomerId, Channel Channel), ActivitySpan> _written = new();

    /// <summary>Whether the row already says as much as this would (within the tolerance).</summary>
    public bool IsCurrent(long customerId, Channel channel, DateTime first, DateTime last) =>
        customerId > 0 && _written.TryGetValue((customerId, channel), out var w) && w.First <= first && last - w.Last <= Tolerance;

    public void Remember(IEnumerable<(long CustomerId, Channel Channel, DateTime First, DateTime Last)> rows)
    {
        if (_written.Count > MaxEntries) _written.Clear();
        foreach (var (id, channel, first, last) in rows)
            _written.AddOrUpdate((id, channel), new ActivitySpan(first, last), (_, w) => w.Widen(first, last));
    }
}
