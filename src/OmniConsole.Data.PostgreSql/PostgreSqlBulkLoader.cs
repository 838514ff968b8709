using Npgsql;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.PostgreSql;

/// <summary>
/// Loads generated rows into an empty PostgreSQL database: rows are kept per table and written by one binary COPY per
/// table at each commit (a connection runs one COPY at a time, and the generator interleaves tables). The tables'
/// secondary indexes are dropped first and built once at the end, foreign-key triggers are off for the load where the
/// role may turn them off (the generator writes consistent rows), and at the end each identity sequence is moved past
/// the explicit keys the generator gave, and the planner's statistics are gathered.
/// </summary>
internal sealed class PostgreSqlBulkLoader : IBulkLoader
{
    private readonly NpgsqlConnection _connection;
    private readonly IReadOnlyList<TableMapping> _tables;
    private readonly Dictionary<TableMapping, List<object[]>> _pending = [];
    private readonly DeferredIndexes _indexes;
    private NpgsqlTransaction? _transaction;
    private bool _completed;

    private PostgreSqlBulkLoader(NpgsqlConnection connection, IReadOnlyList<TableMapping> tables)
    {
        _connection = connection;
        _tables = tables;
        _indexes = new DeferredIndexes(ExecuteAsync);
    }

    public long RowsInTransaction { get; private set; }

    public static async Task<PostgreSqlBulkLoader> StartAsync(NpgsqlConnection connection, IReadOnlyList<TableMapping> tables,
        IReadOnlyList<TableMapping> indexedTables, CancellationToken ct)
    {
        var loader = new PostgreSqlBulkLoader(connection, tables);
        try
        {
            try { await loader.ExecuteAsync("SET session_replication_role = replica", ct); }
            catch (PostgresException) { /* not a superuser: the foreign keys are checked as rows arrive, slower but the same */ }
            await loader.DropIndexesAsync(indexedTables, ct);
            loader._transaction = await connection.BeginTransactionAsync(ct);
            return loader;
        }
        catch
        {
            await loader.DisposeAsync();
            throw;
        }
    }

    public void Insert(EncodedRow row)
    {
        if (!_pending.TryGetValue(row.Table, out var rows)) _pending[row.Table] = rows = [];
        rows.Add(row.Values);
        RowsInTransaction++;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        await _transaction!.CommitAsync(ct);
        await _transaction.DisposeAsync();
        _transaction = await _connection.BeginTransactionAsync(ct);
        RowsInTransaction = 0;
    }

    public async Task CompleteAsync(Action<string> onIndex, CancellationToken ct)
    {
        await FlushAsync(ct);
        await _transaction!.CommitAsync(ct);
        await _transaction.DisposeAsync();
        _transaction = null;
        await RestoreAsync(onIndex, ct);
        var generatedKeys = _tables.Where(t => t.Columns.ToList().IndexOf("Id") is var id and >= 0 && t.ColumnTypes[id] is "bigint" or "integer");
        foreach (var table in generatedKeys.Select(t => t.Table).Distinct())
            await ExecuteAsync($"""
                SELECT setval(s, COALESCE((SELECT MAX("Id") FROM {SqlNames.Quote(table)}), 0) + 1, false)
                FROM pg_get_serial_sequence('{SqlNames.Quote(table).Replace("'", "''")}', 'Id') AS s WHERE s IS NOT NULL
                """, ct);
        await ExecuteAsync("ANALYZE", ct);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_completed) return;
        if (_transaction is not null)
        {
            await _transaction.RollbackAsync();
            await _transaction.DisposeAsync();
            _transaction = null;
        }
        // The load failed or was cancelled: the database keeps what was committed, with its indexes and settings back.
        await RestoreAsync(_ => { }, CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        // Parents before children, in the order the tables were given.
        foreach (var table in _tables)
            if (_pending.TryGetValue(table, out var rows) && rows.Count > 0)
            {
                await PostgreSqlFamily.CopyAsync(_connection, table, rows, ct);
                rows.Clear();
            }
    }

    private async Task DropIndexesAsync(IReadOnlyList<TableMapping> tables, CancellationToken ct)
    {
        foreach (var table in tables)
        {
            // Indexes behind PRIMARY KEY and UNIQUE constraints stay.
            await using var query = new NpgsqlCommand("""
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = @table
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                ORDER BY i.indexname
                """, _connection);
            query.Parameters.AddWithValue("table", table.Table);
            var indexes = new List<(string, string)>();
            await using (var reader = await query.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) indexes.Add((reader.GetString(0), reader.GetString(1)));
            await _indexes.DropAsync(indexes, ct);
        }
    }

    private async Task RestoreAsync(Action<string> onIndex, CancellationToken ct)
    {
        await _indexes.BuildAsync(onIndex, ct);
        try { await ExecuteAsync("SET session_replication_role = DEFAULT", ct); }
        catch (PostgresException) { /* it was never changed */ }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
