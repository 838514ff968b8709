using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.Sqlite;

/// <summary>
/// Copies the SQLite write-ahead log back into the database file beside the writers rather than inside their commits
/// (connections run with wal_autocheckpoint=0), and keeps the log short. A PASSIVE checkpoint never blocks a writer,
/// but under steady ingestion it never catches up either, and SQLite only starts the log afresh once every page in it
/// has been copied; a log that only grows makes every page read and every commit slower and fills the disk. So once the
/// log passes <paramref name="restartAtPages"/>, the writers' <see cref="WriteGate"/> is taken for a RESTART
/// checkpoint, which copies the little the passive passes left and lets the next writer start the log from its beginning.
/// </summary>
/// <param name="restartAtPages">log length that triggers the restart; the default is 64 MB of 4 KB pages, about a second of ingestion at full speed</param>
public sealed class SqliteCheckpointer(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, int restartAtPages = 16_384) : IDatabaseMaintenance
{
    private const int MaxPassivePasses = 4;
    private const int SmallRemainderPages = 1_000;

    /// <summary>What a checkpoint did: pages in the log, and how many of them are now in the database file.</summary>
    public sealed record Result(string Mode, bool Busy, long LogPages, long CheckpointedPages, double Milliseconds, int PassivePasses = 1);

    /// <summary>One checkpoint pass, said as a line for the debug log.</summary>
    public async Task<string?> RunAsync(CancellationToken ct)
    {
        var result = await CheckpointAsync(ct);
        return $"WAL checkpoint {result.Mode} after {result.PassivePasses} passive pass(es): {result.CheckpointedPages} of {result.LogPages} pages copied in {result.Milliseconds:0} ms{(result.Busy ? ", busy" : "")}";
    }

    /// <summary>Checkpoints what it can.</summary>
    public async Task<Result> CheckpointAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var passive = await RunAsync(db, "PASSIVE", ct);
        if (passive.LogPages < restartAtPages) return passive;
        // Each passive pass copies what the writers added during the one before; once a pass finds little new, the
        // RESTART has little to copy while the writers wait.
        var passes = 1;
        // However far behind the log is: restarting a log far over the mark after one pass held the writers long enough
        // to slow ingestion measurably at 1M customers; after up to four passes the restart has little left to copy.
        // The log grows meanwhile by what four passes take, about a second of writes.
        for (long added = passive.LogPages; passes < MaxPassivePasses && added > SmallRemainderPages; passes++)
        {
            var next = await RunAsync(db, "PASSIVE", ct);
            added = next.LogPages - passive.LogPages;
            passive = next;
        }
        using (await writeGate.EnterAsync(ct))
            return await RunAsync(db, "RESTART", ct) with { PassivePasses = passes };
    }

    private static async Task<Result> RunAsync(OmniConsoleDbContext db, string mode, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var row = await command.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct)) return new Result(mode, false, 0, 0, clock.Elapsed.TotalMilliseconds);
        long Column(int i) => Convert.ToInt64(row.GetValue(i), CultureInfo.InvariantCulture);
        return new Result(mode, Column(0) != 0, Column(1), Column(2), clock.Elapsed.TotalMilliseconds);
    }
}
