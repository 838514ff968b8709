using Microsoft.EntityFrameworkCore;

namespace OmniConsole.Core.Data;

/// <summary>
/// Copies the SQLite write-ahead log back into the database file, beside the writers rather than inside their commits
/// (connections run with wal_autocheckpoint=0). PASSIVE never blocks a writer; the web app calls it every few seconds.
/// </summary>
public sealed class SqliteCheckpointer(IDbContextFactory<OmniConsoleDbContext> dbFactory)
{
    /// <summary>Checkpoints what it can; does nothing on other providers.</summary>
    public async Task CheckpointAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite()) return;
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE)", ct);
    }
}
