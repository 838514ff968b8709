using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace OmniConsole.Core.Data;

/// <summary>
/// Inserts many new rows of one entity in the context's current transaction. On SQLite one prepared statement writes
/// them (EF sends one command per row, parsed each time, and tracks every row: that limited ingestion, enrolment and
/// the dispatcher); on other providers EF writes them.
/// </summary>
internal static class BulkRows
{
    private static readonly ConcurrentDictionary<(IModel, Type), TableMapping> Mappings = new();

    /// <param name="setKey">receives the key the database generated, for rows that others point at</param>
    public static async Task InsertAsync<T>(DbContext db, IReadOnlyCollection<T> rows, Action<T, long>? setKey, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (!db.Database.IsSqlite())
        {
            db.AddRange(rows); // EF sets the generated keys itself
            await db.SaveChangesAsync(ct);
            return;
        }
        await db.Database.OpenConnectionAsync(ct);
        try { InsertSqlite(db, rows, linkKeys: null, setKey); }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>The SQLite path alone, for a writer that already holds the connection open in its transaction.</summary>
    /// <param name="linkKeys">copies the keys of the rows it points at (known by now) into its foreign keys</param>
    public static void InsertSqlite<T>(DbContext db, IEnumerable<T> rows, Action<T>? linkKeys, Action<T, long>? setKey) where T : class
    {
        var table = Mappings.GetOrAdd((db.Model, typeof(T)), key => TableMapping.For<T>(key.Item1, withGeneratedKey: false));
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
}
