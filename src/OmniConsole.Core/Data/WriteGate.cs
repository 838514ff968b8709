namespace OmniConsole.Core.Data;

/// <summary>
/// The app's big writers take turns here: batch ingestion, the bonus lifecycle job and the final step of a WAL
/// checkpoint. Waiting in this queue is fair and has no time limit; waiting on SQLite's own write lock is a retry loop
/// that gives up with "database is locked" after the busy timeout. Other processes are still kept apart by SQLite's
/// lock, the concurrency tokens and the unique indexes.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<Turn> EnterAsync(CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    public readonly struct Turn(SemaphoreSlim turn) : IDisposable
    {
        public void Dispose() => turn.Release();
    }
}
