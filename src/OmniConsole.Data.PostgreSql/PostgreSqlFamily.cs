using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;
using OmniConsole.Core.Data;
using OmniConsole.Core.Segments;

namespace OmniConsole.Data.PostgreSql;

/// <summary>
/// PostgreSQL, the server database: writers run side by side (no in-process gate), a lost race is a serialization
/// failure or deadlock and is retried, rows go in by binary COPY, dispatchers claim outbox rows with FOR UPDATE SKIP LOCKED, channel spans are widened by one upsert per batch,
/// and generated data sets are loaded by COPY with the secondary indexes built afterwards.
/// </summary>
public sealed class PostgreSqlFamily : DatabaseFamily
{
    private static readonly ConcurrentDictionary<(IModel, Type, bool), TableMapping> Mappings = new();

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public override void UseProvider(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(WithoutJit(connectionString), npgsql => npgsql.MigrationsAssembly(MigrationsAssembly)).AddInterceptors(new SkipLockedRows());

    /// <summary>
    /// PostgreSQL's JIT compiles a query's expressions when its estimated cost is high; the app's counts and reports
    /// take well under a second, where compiling costs a large share of that and gains nothing (docs/benchmarks-history.md). Unless the connection
    /// string sets session options itself, its sessions run with <c>jit=off</c>.
    /// </summary>
    private static string WithoutJit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.Options)) builder.Options = "-c jit=off";
        return builder.ConnectionString;
    }

    protected override IQueryable<long> SkippingLockedRows(IQueryable<long> candidates) => SkipLockedRows.Apply(candidates);

    /// <summary>
    /// Connects to the server's maintenance database and creates the named one when missing; two instances starting at
    /// once both ask, one creates, the other finds it made ("duplicate database" is success).
    /// </summary>
    public override async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken ct)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database ?? throw new InvalidOperationException("The PostgreSQL connection string names no Database.");
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {SqlNames.Quote(name)} ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // another instance created it a moment ago
        }
    }

    /// <summary>A session advisory lock on a connection of its own, held until disposed (or the process dies and the server drops it).</summary>
    public override async Task<IAsyncDisposable> StartupLockAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 })
        {
            take.Parameters.AddWithValue("key", StartupLockKey);
            await take.ExecuteNonQueryAsync(ct);
        }
        return connection; // closing the session releases the lock
    }

    /// <summary>The startup lock's key: any fixed number the app uses for nothing else.</summary>
    private const long StartupLockKey = 0x4F6D6E69_53747274; // "OmniStrt"

    public override bool IsConflict(Exception ex) =>
        Find<PostgresException>(ex) is { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    /// <summary>Down, restarting, refusing connections, out of connections or timed out: Npgsql's transient errors that are not a lost race.</summary>
    public override bool IsBusy(Exception ex) =>
        !IsConflict(ex) && (Find<NpgsqlException>(ex) is { IsTransient: true } || Find<TimeoutException>(ex) is not null);

    /// <summary>Row locks (<c>FOR UPDATE</c>) in key order, held until the transaction ends.</summary>
    public override async Task LockCustomersAsync(OmniConsoleDbContext db, IReadOnlyList<long> sortedIds, CancellationToken ct)
    {
        if (sortedIds.Count == 0) return;
        await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Customers" WHERE "Id" = ANY({sortedIds.ToArray()}) ORDER BY "Id" FOR UPDATE""", ct);
    }

    /// <summary>
    /// Binary COPY in the context's transaction. Rows whose keys others need get them first from the table's identity
    /// sequence (one round trip for the lot) and are copied with them.
    /// </summary>
    public override async Task InsertRowsAsync<T>(DbContext db, IReadOnlyCollection<T> rows, Action<T>? linkKeys, Action<T, long>? setKey, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var withKey = setKey is not null;
            var table = Mappings.GetOrAdd((db.Model, typeof(T), withKey), key => TableMapping.For<T>(key.Item1, withGeneratedKey: key.Item3));
            if (setKey is not null)
            {
                var keys = await NextKeysAsync(connection, table.Table, rows.Count, ct);
                var i = 0;
                foreach (var row in rows) setKey(row, keys[i++]);
            }
            if (linkKeys is not null) foreach (var row in rows) linkKeys(row);
            await CopyAsync(connection, table, rows.Select(r => table.Encode(r)), ct);
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    public override Task SaveChangesAsync(OmniConsoleDbContext db, CancellationToken ct) => ModifiedRows.SaveChangesAsync(db, ToNpgsqlDbType, ct);

    /// <summary>One statement for the whole batch: the spans arrive as arrays and only ever widen what is stored.</summary>
    public override async Task WidenChannelActivityAsync(OmniConsoleDbContext db, IReadOnlyCollection<CustomerChannelActivity> seen, CancellationToken ct)
    {
        if (seen.Count == 0) return;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO "CustomerChannelActivities" AS a ("CustomerId", "Channel", "FirstAtUtc", "LastAtUtc")
                SELECT * FROM unnest(@customers, @channels, @firsts, @lasts)
                ON CONFLICT ("CustomerId", "Channel") DO UPDATE SET
                  "FirstAtUtc" = LEAST(a."FirstAtUtc", excluded."FirstAtUtc"), "LastAtUtc" = GREATEST(a."LastAtUtc", excluded."LastAtUtc")
                WHERE excluded."LastAtUtc" > a."LastAtUtc" OR excluded."FirstAtUtc" < a."FirstAtUtc"
                """, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<long[]>("customers", seen.Select(s => s.CustomerId).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string[]>("channels", seen.Select(s => s.Channel.ToString()).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<DateTime[]>("firsts", seen.Select(s => s.FirstAtUtc).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTime[]>("lasts", seen.Select(s => s.LastAtUtc).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(ct);
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    public override async Task<IBulkLoader> StartBulkLoadAsync(OmniConsoleDbContext db, IReadOnlyList<TableMapping> tables,
        IReadOnlyList<TableMapping> indexedTables, CancellationToken ct) =>
        await PostgreSqlBulkLoader.StartAsync((NpgsqlConnection)db.Database.GetDbConnection(), tables, indexedTables, ct);

    /// <summary>Writes rows by binary COPY; each column typed as the model maps it (resolved once per table, not per value).</summary>
    internal static async Task CopyAsync(NpgsqlConnection connection, TableMapping table, IEnumerable<object[]> rows, CancellationToken ct)
    {
        var types = ColumnTypes.GetOrAdd(table, t => t.ColumnTypes.Select(ToNpgsqlDbType).ToArray());
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {SqlNames.Quote(table.Table)} ({string.Join(", ", table.Columns.Select(SqlNames.Quote))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var values in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is DBNull) await importer.WriteNullAsync(ct);
                else await importer.WriteAsync(values[i], types[i], ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    /// <summary>The next <paramref name="count"/> keys of the table's identity column.</summary>
    private static async Task<long[]> NextKeysAsync(NpgsqlConnection connection, string table, int count, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence(@table, 'Id')) FROM generate_series(1, @count)", connection);
        command.Parameters.AddWithValue("table", SqlNames.Quote(table));
        command.Parameters.AddWithValue("count", count);
        var keys = new long[count];
        var i = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) keys[i++] = reader.GetInt64(0);
        return keys;
    }

    private static readonly ConcurrentDictionary<TableMapping, NpgsqlDbType[]> ColumnTypes = new();

    /// <summary>The column's type as Npgsql names it ("numeric(18,2)" is numeric: COPY wants the type, not its modifiers).</summary>
    private static NpgsqlDbType ToNpgsqlDbType(string columnType) =>
        (columnType.IndexOf('(') is var open and > 0 ? columnType[..open] : columnType) switch
        {
            "bigint" => NpgsqlDbType.Bigint,
            "integer" => NpgsqlDbType.Integer,
            "smallint" => NpgsqlDbType.Smallint,
            "text" => NpgsqlDbType.Text,
            "character varying" => NpgsqlDbType.Varchar,
            "timestamp with time zone" => NpgsqlDbType.TimestampTz,
            "timestamp without time zone" => NpgsqlDbType.Timestamp,
            "date" => NpgsqlDbType.Date,
            "numeric" => NpgsqlDbType.Numeric,
            "boolean" => NpgsqlDbType.Boolean,
            "double precision" => NpgsqlDbType.Double,
            "real" => NpgsqlDbType.Real,
            "uuid" => NpgsqlDbType.Uuid,
            "bytea" => NpgsqlDbType.Bytea,
            "jsonb" => NpgsqlDbType.Jsonb,
            var other => throw new NotSupportedException($"The bulk writer does not know the column type {other}."),
        };


    private static TException? Find<TException>(Exception? ex) where TException : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is TException found) return found;
        return null;
    }
}
