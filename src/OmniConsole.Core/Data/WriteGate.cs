namespace OmniConsole.Core.Data;

/// <summary>
/// Where the database has one writer at a time (SQLite), the app's big writers take turns here: batch ingestion, the
/// bonus lifecycle job and the final step of a WAL checkpoint. Waiting in this queue is fair and has no time limit;
/// waiting on SQLite's own write lock is a retry loop that gives up with "database is locked" after the busy timeout.
/// Other processes are still kept apart by the database's lock, the concurrency tokens and the unique indexes.
/// On a server database (<paramref name="takeTurns"/> false) every turn is granted at once: writers run side by side,
/// kept correct by transactions, and a loser retries.
/// </summary>
public sealed class WriteGate(bool takeTurns = true)
{
    private readonly SemaphoreSlim? _turn = takeTurns ? new(1, 1) : null;
    private int _waiting;

    /// <summary>Callers of <see cref="EnterOrRefuseAsync"/> waiting now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async Task<Turn> EnterAsync(CancellationToken ct)
    {
        if (_turn is null) return default;
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    /// <summary>
    /// As <see cref="EnterAsync"/>, but refuses at once when <paramref name="maxWaiting"/> callers already wait: a flood
    /// of API batches is answered "busy" instead of parking every request's body in memory.
    /// </summary>
    public async Task<Turn> EnterOrRefuseAsync(int maxWaiting, CancellationToken ct)
    {
        if (_turn is null) return default;
        if (Interlocked.Increment(ref _waiting) > maxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            throw new WriteQueueFullException(maxWaiting);
        }
        try { await _turn.WaitAsync(ct); }
        finally { Interlocked.Decrement(ref _waiting); }
        return new Turn(_turn);
    }

    public readonly struct Turn(SemaphoreSlim? turn) : IDisposable
    {
        public void Dispose() => turn?.Release();
    }
}

/// <summary>Too many writes already wait their turn; nothing of the refused request was stored.</summary>
public sealed class WriteQueueFullException(int maxWaiting)
    : Exception($"{maxWaiting} writes already wait their turn; nothing of this request was stored.");

/// <summary>A write lost to other writers at every retry; nothing of it was stored, and sending it again is safe.</summary>
public sealed class WriteConflictException(Exception lastConflict)
    : Exception("Other writers changed the same customers at every attempt; nothing of this request was stored.", lastConflict);
