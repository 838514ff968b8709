using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Data;
using OmniConsole.Core.Segments;

namespace OmniConsole.Data.Sqlite;

/// <summary>
/// SQLite, the embedded default: one writer at a time (the app's writers take turns in its gate), bulk rows through one
/// prepared statement per table (EF would send and parse one command per row and track every row), the write-ahead
/// log checkpointed beside the writers, and an erasure's old copies overwritten in the file and its log.
/// </summary>
public sealed class SqliteFamily : DatabaseFamily
{
    private static readonly ConcurrentDictionary<(IModel, Type, bool), TableMapping> Mappings = new();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override void UseProvider(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(MigrationsAssembly)).AddInterceptors(new SqlitePragmas());

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<SqliteCheckpointer>();
        services.AddSingleton<IDatabaseMaintenance>(sp => sp.GetRequiredService<SqliteCheckpointer>());
    }

    public override bool SingleWriter => true;

    /// <summary>
    /// An exclusive lock on a file beside the database (<c>….db.startup</c>), taken before any connection is opened: a second
    /// process starting on the same file waits, holding no connection, while the first migrates and seeds (the bulk load
    /// changes the journal mode, which needs the file to itself). The system drops the lock if the process dies.
    /// </summary>
    public override async Task<IAsyncDisposable> StartupLockAsync(string connectionString, CancellationToken ct)
    {
        var path = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource) + ".startup";
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); } // kept: deleting it on close would race a waiter
            catch (IOException) { await Task.Delay(200, ct); } // another process starts on this file: wait for it
        }
    }

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED after the busy timeout: another writer held the file too long.</summary>
    public override bool IsBusy(Exception ex) =>
        ex is SqliteException { SqliteErrorCode: 5 or 6 } || ex.InnerException is SqliteException { SqliteErrorCode: 5 or 6 };

    public override IWriterConnection CreateWriterConnection() => new SqliteWriterConnection();

    public override async Task InsertRowsAsync<T>(DbContext db, IReadOnlyCollection<T> rows, Action<T>? linkKeys, Action<T, long>? setKey, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var table = Mappings.GetOrAdd((db.Model, typeof(T), false), key => TableMapping.For<T>(key.Item1, withGeneratedKey: false));
            using var insert = new PreparedInsert(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), table,
                returningKey: setKey is not null);
            foreach (var row in rows)
            {
                linkKeys?.Invoke(row);
                var values = table.Encode(row);
                if (setKey is null) insert.Insert(values);
                else setKey(row, insert.InsertReturningKey(values));
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>One prepared statement per (customer, channel); a time inside the known span changes nothing and SQLite then writes nothing.</summary>
    public override async Task WidenChannelActivityAsync(OmniConsoleDbContext db, IReadOnlyCollection<CustomerChannelActivity> seen, CancellationToken ct)
    {
        if (seen.Count == 0) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = """
                INSERT INTO "CustomerChannelActivities" ("CustomerId", "Channel", "FirstAtUtc", "LastAtUtc") VALUES ($c, $ch, $f, $l)
                ON CONFLICT ("CustomerId", "Channel") DO UPDATE SET
                  "FirstAtUtc" = min("FirstAtUtc", excluded."FirstAtUtc"), "LastAtUtc" = max("LastAtUtc", excluded."LastAtUtc")
                WHERE excluded."LastAtUtc" > "LastAtUtc" OR excluded."FirstAtUtc" < "FirstAtUtc"
                """;
            var c = command.CreateParameter(); c.ParameterName = "$c"; command.Parameters.Add(c);
            var ch = command.CreateParameter(); ch.ParameterName = "$ch"; command.Parameters.Add(ch);
            var f = command.CreateParameter(); f.ParameterName = "$f"; command.Parameters.Add(f);
            var l = command.CreateParameter(); l.ParameterName = "$l"; command.Parameters.Add(l);
            command.Prepare();
            foreach (var s in seen)
            {
                c.Value = s.CustomerId;
                ch.Value = s.Channel.ToString();
                f.Value = s.FirstAtUtc; // bound as EF stores times, so min/max compare like the values EF writes
                l.Value = s.LastAtUtc;
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    public override bool JoinsCorrelatedExists => false;

    /// <summary>
    /// As the default, but the update finds the rows by key through json_each ("+Status" keeps SQLite from walking the
    /// status index over every pending message).
    /// </summary>
    protected override async Task MarkClaimedAsync(OmniConsoleDbContext db, List<long> candidates, OutboxClaim claim, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE "OutboxMessages" SET "ClaimedBy" = {claim.Instance}, "ClaimedUntilUtc" = {claim.Until},
              "Attempts" = "Attempts" + 1, "FirstAttemptAtUtc" = COALESCE("FirstAttemptAtUtc", {claim.Now})
            WHERE "Id" IN (SELECT value FROM json_each({System.Text.Json.JsonSerializer.Serialize(candidates)}))
              AND +"Status" = 'Pending' AND ("ClaimedUntilUtc" IS NULL OR "ClaimedUntilUtc" < {claim.Now})
            """, ct);

    /// <summary>
    /// <c>secure_delete</c> on this context's connection until disposed: what it deletes or overwrites is zeroed on disk
    /// (it costs extra writes, so only here and only for this while).
    /// </summary>
    public override async Task<IAsyncDisposable> OverwriteFreedSpaceAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct); // kept open for the context: the pragma holds for its whole work
        var before = Convert.ToInt64(await ScalarAsync(db, "PRAGMA secure_delete", ct), CultureInfo.InvariantCulture);
        await ScalarAsync(db, "PRAGMA secure_delete=1", ct);
        return new RestoreSecureDelete(db, before);
    }

    /// <summary>
    /// Moves the log into the database file and truncates it to nothing, so the old frames (with the values before the
    /// erasure) are gone; the caller holds the writers' turn. Readers in the middle of a read keep the log for a moment
    /// longer: then it waits for them up to two seconds and otherwise answers false (the log is restarted by the next
    /// checkpoint that finds it long).
    /// </summary>
    public override async Task<bool> ForgetErasedValuesAsync(OmniConsoleDbContext db, CancellationToken ct)
    {
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

    public override string? DatabaseFile(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } file && file != ":memory:" ? Path.GetFullPath(file) : null;

    public override async Task<IBulkLoader> StartBulkLoadAsync(OmniConsoleDbContext db, IReadOnlyList<TableMapping> tables,
        IReadOnlyList<TableMapping> indexedTables, CancellationToken ct) =>
        await SqliteBulkLoader.StartAsync(db.Database.GetDbConnection(), tables, indexedTables, ct);

    private static async Task<object?> ScalarAsync(OmniConsoleDbContext db, string sql, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private sealed class RestoreSecureDelete(OmniConsoleDbContext db, long before) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await ScalarAsync(db, $"PRAGMA secure_delete={before}", CancellationToken.None);
    }
}
