using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace OmniConsole.Core.Data;

/// <summary>
/// One table as the bulk writers (the data-set generator, ingestion's timeline writer) write it: the table and column
/// names the EF model maps the entity to, each column's store type, and per column the entity's value converted by the
/// property's own EF value converter (enums to names, payloads to JSON, times to UTC). Each family's writer binds the
/// values as its provider stores them (SQLite's driver writes times and dates as the ISO text EF uses).
/// </summary>
public sealed class TableMapping
{
    private readonly Func<object, object>[] _columnValues;

    private TableMapping(string table, string[] columns, string[] columnTypes, Func<object, object>[] columnValues)
    {
        Table = table;
        Columns = columns;
        ColumnTypes = columnTypes;
        _columnValues = columnValues;
    }

    public string Table { get; }
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Each column's type in the database, as the model maps it ("bigint", "timestamp with time zone", …).</summary>
    public IReadOnlyList<string> ColumnTypes { get; }

    /// <param name="withGeneratedKey">false leaves out a key the database generates, so it assigns one.</param>
    public static TableMapping For<TEntity>(IModel model, bool withGeneratedKey = true)
    {
        var entityType = model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped to a table.");
        var storeObject = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var properties = entityType.GetProperties()
            .Where(p => withGeneratedKey || !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd)).ToList();
        if (properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
            throw new InvalidOperationException($"{typeof(TEntity).Name}.{shadow.Name} is a shadow property; the bulk loader writes CLR properties only.");
        var columns = properties.Select(p => p.GetColumnName(storeObject)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{p.Name} has no column in {table}.")).ToArray();
        var types = properties.Select(p => p.GetColumnType(storeObject)).ToArray();
        return new TableMapping(table, columns, types, properties.Select(ColumnValue).ToArray());
    }

    /// <summary>The row's values in column order.</summary>
    public object[] Encode(object entity)
    {
        var values = new object[_columnValues.Length];
        for (var i = 0; i < values.Length; i++) values[i] = _columnValues[i](entity);
        return values;
    }

    private static Func<object, object> ColumnValue(IProperty property)
    {
        var getter = property.GetGetter();
        var converter = property.GetTypeMapping().Converter;
        return entity =>
        {
            var value = getter.GetClrValueUsingContainingEntity(entity);
            if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
            return value ?? DBNull.Value;
        };
    }
}
