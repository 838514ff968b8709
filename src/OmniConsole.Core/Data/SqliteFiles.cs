using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace OmniConsole.Core.Data;

/// <summary>
/// What an erasure needs of SQLite's files: a deleted or overwritten value otherwise stays readable in the database
/// file's free space and in old frames of the write-ahead log until something happens to overwrite it. Both do
/// nothing on other providers.
/// </summary>
public static class SqliteFiles
{
    /// <summary>
    /// Until disposed, what this context's connection deletes or overwrites is zeroed on disk (<c>secure_delete</c>);
    /// it costs extra writes, so it is only for this connection and only for this while.
    /// </summary>
    public static async Task<IAsyncDisposable> OverwriteFreedSpaceAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return NoOp.Instance;
        await db.Database.OpenConnectionAsync(ct); // kept open for the context: the pragma holds for its whole work
        var before = Convert.ToInt64(await ScalarAsync(db, "PRAGMA secure_delete", ct), CultureInfo.InvariantCulture);
        await ScalarAsync(db, "PRAGMA secure_delete=1", ct);
        return new Restore(db, before);
    }

    /// <summary>
    /// Moves the log into the database file and truncates it to nothing, so the old frames (with the values before the
    /// erasure) are gone; the caller holds the writers' turn. Readers in the middle of a read keep the log for a moment
    /// longer: then it waits for them up to two seconds and otherwise answers false (the log is restarted by the next
    /// checkpoint that finds it long).
    /// </summary>
    public static async Task<bool> EmptyLogAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return true;
        await db.Database.OpenConnectionAsync(ct);
        await ScalarAsync(db, "PRAGMA busy_timeout=2000", ct);
        try
        {
            return Convert.ToInt64(await ScalarAsync(db, "PRAGMA wal_checkpoint(TRUNCATE)", ct), CultureInfo.InvariantCulture) == 0;
        }
        finally
        {
            await ScalarAsync(db, "PRAGMA busy_timeout=30000", CancellationToken.None);
        }
    }

    private static async Task<object?> ScalarAsync(OmniConsoleDbContext db, string sql, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private sealed class Restore(OmniConsoleDbContext db, long before) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await ScalarAsync(db, $"PRAGMA secure_delete={before}", CancellationToken.None);
    }

    private sealed class NoOp : IAsyncDisposable
    {
        public static readonly NoOp Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
