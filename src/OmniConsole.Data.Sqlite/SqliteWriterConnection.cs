using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.Sqlite;

/// <summary>
/// One open SQLite connection kept for batch ingestion, which uses it while it holds the <see cref="WriteGate"/>. SQLite keeps its
/// page cache per connection and drops it whenever another connection has written since, so pooled connections taken
/// in turn start each batch cold; this one keeps the index pages a batch needs (identifiers, customers, the timeline
/// index's interior pages) from one batch to the next, with a larger cache than the readers' (a write by another
/// connection, or the checkpoint job's log restart, still empties it). Use it only while holding the gate.
/// </summary>
internal sealed class SqliteWriterConnection : IWriterConnection
{
    /// <summary>256 MB of page cache for the writer (readers keep SQLite's 64 MB per pooled connection).</summary>
    private const string WriterPragmas = "PRAGMA cache_size=-262144;";
    private SqliteConnection? _connection;

    public void Use(OmniConsoleDbContext db)
    {
        if (_connection is null)
        {
            var connection = new SqliteConnection(db.Database.GetConnectionString());
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = SqlitePragmas.Sql + WriterPragmas;
            pragmas.ExecuteNonQuery();
            _connection = connection;
        }
        db.Database.SetDbConnection(_connection, contextOwnsConnection: false);
    }

    /// <summary>Database pages this connection wrote (to the log) since the last call, for the ingestion debug log.</summary>
    public int PagesWrittenSinceLastAsked()
    {
        if (_connection?.Handle is not { } handle) return 0;
        SQLitePCL.raw.sqlite3_db_status(handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_WRITE, out var written, out _, 1);
        return written;
    }

    public void Dispose() => _connection?.Dispose();
}
