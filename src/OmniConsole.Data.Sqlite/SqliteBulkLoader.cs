using System.Data.Common;
using System.Globalization;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.Sqlite;

/// <summary>
/// Writes rows into an empty SQLite database as fast as the connection allows: one prepared parameterised INSERT per
/// table reused for every row, explicit keys, large transactions, and for the length of the load no fsync, a big page
/// cache, temporary data and the rollback journal in memory, no foreign-key checks (the generator writes consistent
/// rows; a check can run after). The tables' secondary indexes are dropped first and each is built once at the end,
/// which is far faster than maintaining them row by row. <see cref="CompleteAsync"/> — or, when the load fails,
/// <see cref="DisposeAsync"/> — puts indexes and settings back as they were.
/// </summary>
internal sealed class SqliteBulkLoader : IBulkLoader
{
    private static readonly string[] LoadSettings = ["foreign_keys", "synchronous", "cache_size", "temp_store", "journal_mode"];

    private readonly DbConnection _connection;
    private readonly Dictionary<TableMapping, PreparedInsert> _inserts = [];
    private readonly Dictionary<string, string> _savedSettings = [];
    private readonly DeferredIndexes _indexes;
    private DbTransaction? _transaction;
    private bool _completed;

    private SqliteBulkLoader(DbConnection connection)
    {
        _connection = connection;
        _indexes = new DeferredIndexes(ExecuteAsync);
    }

    public long RowsInTransaction { get; private set; }

    /// <param name="indexedTables">The tables whose secondary indexes are built after the load rather than during it.</param>
    public static async Task<SqliteBulkLoader> StartAsync(DbConnection connection, IReadOnlyList<TableMapping> tables,
        IReadOnlyList<TableMapping> indexedTables, CancellationToken ct)
    {
        var loader = new SqliteBulkLoader(connection);
        try
        {
            await loader.ApplyLoadSettingsAsync(ct);
            await loader.DropIndexesAsync(indexedTables, ct);
            loader._transaction = await connection.BeginTransactionAsync(ct);
            foreach (var table in tables) loader.PrepareInsert(table);
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
        _inserts[row.Table].Insert(row.Values);
        RowsInTransaction++;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await _transaction!.CommitAsync(ct);
        await _transaction.DisposeAsync();
        _transaction = await _connection.BeginTransactionAsync(ct);
        foreach (var insert in _inserts.Values) insert.Transaction = _transaction;
        RowsInTransaction = 0;
    }

    /// <summary>Commits the last rows, builds the dropped indexes (reporting each) and restores the connection's settings.</summary>
    public async Task CompleteAsync(Action<string> onIndex, CancellationToken ct)
    {
        await _transaction!.CommitAsync(ct);
        await _transaction.DisposeAsync();
        _transaction = null;
        await RestoreAsync(onIndex, ct);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var insert in _inserts.Values) insert.Dispose();
        _inserts.Clear();
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

    private void PrepareInsert(TableMapping table) => _inserts[table] = new PreparedInsert(_connection, _transaction, table);

    private async Task ApplyLoadSettingsAsync(CancellationToken ct)
    {
        foreach (var setting in LoadSettings)
            _savedSettings[setting] = Convert.ToString(await ScalarAsync($"PRAGMA {setting}", ct), CultureInfo.InvariantCulture) ?? "";
        // Leaving WAL needs the only connection to the file; if another is open SQLite stays in WAL, which works too, a bit slower.
        await ExecuteAsync("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; PRAGMA journal_mode = MEMORY;", ct);
    }

    private async Task DropIndexesAsync(IReadOnlyList<TableMapping> tables, CancellationToken ct)
    {
        foreach (var table in tables)
        {
            await using var query = _connection.CreateCommand();
            // Indexes behind PRIMARY KEY and UNIQUE constraints have no SQL and stay.
            query.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL ORDER BY name";
            var parameter = query.CreateParameter();
            parameter.ParameterName = "$table";
            parameter.Value = table.Table;
            query.Parameters.Add(parameter);
            var indexes = new List<(string, string)>();
            await using (var reader = await query.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) indexes.Add((reader.GetString(0), reader.GetString(1)));
            await _indexes.DropAsync(indexes, ct);
        }
    }

    private async Task RestoreAsync(Action<string> onIndex, CancellationToken ct)
    {
        await _indexes.BuildAsync(onIndex, ct);
        foreach (var (setting, value) in _savedSettings) await ExecuteAsync($"PRAGMA {setting} = {value}", ct);
        _savedSettings.Clear();
        await ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }
}
