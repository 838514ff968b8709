using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OmniConsole.Data.Sqlite;

/// <summary>
/// WAL lets readers work while a writer writes; the busy timeout makes a second writer wait instead of failing;
/// synchronous=NORMAL is safe in WAL mode and keeps commits cheap.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    // cache_size (64 MB) and mmap_size (1 GB) keep the hot parts of a large database in memory per pooled connection.
    // Commits do not checkpoint the WAL (at 20M events that made every batch wait); SqliteCheckpointer does, beside them,
    // and journal_size_limit (128 MB) gives the disk back when the log is started afresh after a burst.
    // secure_delete=FAST zeroes what an update or delete frees inside a page as the page is written anyway (no extra I/O):
    // otherwise an old copy of a customer's row stays in the file's free space after their data is changed or erased.
    public const string Sql = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; " +
                              "PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=134217728; " +
                              "PRAGMA secure_delete=FAST;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }
}
