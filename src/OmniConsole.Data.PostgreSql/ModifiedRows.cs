using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.PostgreSql;

/// <summary>
/// Saves a context's changes with many rows changed alike written by one statement each: tracked rows of one table
/// whose changed columns are the same go as arrays into <c>UPDATE … FROM unnest(…)</c>, checked against their
/// concurrency tokens as EF checks them; everything else (new rows, deletions, a few odd rows) goes through EF's own
/// <c>SaveChanges</c>. EF sends one <c>UPDATE</c> statement per row, which on a server the database parses and plans
/// row by row: the dispatcher's batches and ingestion's customers spent most of their write time there.
/// </summary>
internal static class ModifiedRows
{
    /// <summary>Fewer rows changed alike than this are left to EF (a statement of its own gains nothing for them).</summary>
    private const int SmallestGroup = 8;

    public static async Task SaveChangesAsync(DbContext db, Func<string, NpgsqlDbType> columnType, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var groups = db.ChangeTracker.Entries()
            .Where(e => e.State == EntityState.Modified && Writable(e))
            .GroupBy(e => new GroupKey(e.Metadata, string.Join(',', e.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name))))
            .Where(g => g.Count() >= SmallestGroup)
            .ToList();
        if (groups.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                foreach (var group in groups)
                {
                    var entries = group.ToList();
                    var changed = entries[0].Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToList();
                    await UpdateAsync(connection, group.Key.EntityType, changed, entries, columnType, ct);
                    foreach (var entry in entries)
                    {
                        // What is stored now is what they hold: it is also what the next save's token check compares with.
                        entry.OriginalValues.SetValues(entry.CurrentValues);
                        entry.State = EntityState.Unchanged;
                    }
                }
            }
            finally { await db.Database.CloseConnectionAsync(); }
            await db.SaveChangesAsync(ct);
            if (ownTransaction is not null) await ownTransaction.CommitAsync(ct);
        }
        finally
        {
            if (ownTransaction is not null) await ownTransaction.DisposeAsync();
        }
    }

    private sealed record GroupKey(IEntityType EntityType, string Changed);

    /// <summary>A row of a plain table, changed in plain columns whose values are final (no key waiting for an insert).</summary>
    private static bool Writable(EntityEntry entry) =>
        entry.Metadata.GetTableName() is not null && entry.Metadata.GetViewName() is null && !entry.Metadata.IsOwned()
        && !entry.Metadata.GetProperties().Any(p => p.ValueGenerated.HasFlag(ValueGenerated.OnUpdate))
        && !entry.Properties.Any(p => p.IsTemporary)
        && entry.Properties.Any(p => p.IsModified) && !entry.Properties.Any(p => p.IsModified && p.Metadata.IsKey());

    private static async Task UpdateAsync(NpgsqlConnection connection, IEntityType entityType, List<IProperty> changed, List<EntityEntry> entries,
        Func<string, NpgsqlDbType> columnType, CancellationToken ct)
    {
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var keys = entityType.FindPrimaryKey()!.Properties;
        var tokens = entityType.GetProperties().Where(p => p.IsConcurrencyToken).ToList();
        // Arrays: the keys and tokens as they were read, the changed columns as they are now.
        var columns = keys.Select(p => (Property: p, Original: true, Name: "k_" + p.Name))
            .Concat(tokens.Select(p => (Property: p, Original: true, Name: "o_" + p.Name)))
            .Concat(changed.Select(p => (Property: p, Original: false, Name: "n_" + p.Name)))
            .ToList();
        string Column(IProperty p) => SqlNames.Quote(p.GetColumnName(table)!);
        var sql = $"""
            UPDATE {SqlNames.Quote(table.Name)} AS t SET {string.Join(", ", changed.Select(p => $"{Column(p)} = v.{SqlNames.Quote("n_" + p.Name)}"))}
            FROM unnest({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) AS v({string.Join(", ", columns.Select(c => SqlNames.Quote(c.Name)))})
            WHERE {string.Join(" AND ", keys.Select(p => $"t.{Column(p)} = v.{SqlNames.Quote("k_" + p.Name)}")
                .Concat(tokens.Select(p => $"t.{Column(p)} IS NOT DISTINCT FROM v.{SqlNames.Quote("o_" + p.Name)}")))}
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < columns.Count; i++)
        {
            var (property, original, _) = columns[i];
            command.Parameters.Add(new NpgsqlParameter($"p{i}", NpgsqlDbType.Array | columnType(property.GetColumnType(table)!))
            {
                Value = ValuesOf(property, entries, original),
            });
        }
        var updated = await command.ExecuteNonQueryAsync(ct);
        if (updated != entries.Count)
            throw new DbUpdateConcurrencyException(
                $"{entityType.DisplayName()}: {entries.Count - updated} of {entries.Count} rows were changed or deleted since they were read.");
    }

    /// <summary>One column's values in the provider's type (through the property's converter), as a typed array with nulls.</summary>
    private static Array ValuesOf(IProperty property, List<EntityEntry> entries, bool original)
    {
        var converter = property.GetTypeMapping().Converter;
        var type = converter?.ProviderClrType ?? property.ClrType;
        var elementType = Nullable.GetUnderlyingType(type) ?? type;
        if (elementType.IsValueType) elementType = typeof(Nullable<>).MakeGenericType(elementType);
        var values = Array.CreateInstance(elementType, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i].Property(property.Name);
            var value = original ? entry.OriginalValue : entry.CurrentValue;
            if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
            values.SetValue(value, i);
        }
        return values;
    }
}
