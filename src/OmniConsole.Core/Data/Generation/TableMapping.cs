using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Data.Generation;

/// <summary>
/// One table as the bulk loader writes it: the table and column names the EF model maps the entity to, and per
/// column the entity's value converted by the property's own EF value converter (enums to names, payloads to JSON,
/// times to UTC), then put in the form EF's SQLite provider stores (times and dates as ISO text, booleans as 0/1).
/// </summary>
internal sealed class TableMapping
{
    private const string SqliteDateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    private readonly Func<object, object>[] _columnValues;

    private TableMapping(string table, string[] columns, Func<object, object>[] columnValues)
    {
        Table = table;
        Columns = columns;
        _columnValues = columnValues;
    }

    public string Table { get; }
    public IReadOnlyList<string> Columns { get; }

    public static TableMapping For<TEntity>(IModel model)
    {
        var entityType = model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped to a table.");
        var storeObject = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var properties = entityType.GetProperties().ToList();
        if (properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
            throw new InvalidOperationException($"{typeof(TEntity).Name}.{shadow.Name} is a shadow property; the bulk loader writes CLR properties only.");
        var columns = properties.Select(p => p.GetColumnName(storeObject)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{p.Name} has no column in {table}.")).ToArray();
        return new TableMapping(table, columns, properties.Select(ColumnValue).ToArray());
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
            return value switch
            {
                null => DBNull.Value,
                DateTime t => t.ToString(SqliteDateTimeFormat, CultureInfo.InvariantCulture),
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bool b => b ? 1L : 0L,
                _ => value,
            };
        };
    }
}

/// <summary>The tables the generator writes.</summary>
internal sealed class GeneratedTables(IModel model)
{
    public TableMapping Stores { get; } = TableMapping.For<Store>(model);
    public TableMapping Products { get; } = TableMapping.For<Product>(model);
    public TableMapping Campaigns { get; } = TableMapping.For<Campaign>(model);
    public TableMapping Customers { get; } = TableMapping.For<Customer>(model);
    public TableMapping Identifiers { get; } = TableMapping.For<CustomerIdentifier>(model);
    public TableMapping Consents { get; } = TableMapping.For<CustomerConsent>(model);
    public TableMapping Orders { get; } = TableMapping.For<Order>(model);
    public TableMapping OrderLines { get; } = TableMapping.For<OrderLine>(model);
    public TableMapping PromoCodes { get; } = TableMapping.For<PromoCode>(model);
    public TableMapping Lots { get; } = TableMapping.For<BonusLot>(model);
    public TableMapping Allocations { get; } = TableMapping.For<RedemptionAllocation>(model);
    public TableMapping Ledger { get; } = TableMapping.For<BonusLedgerEntry>(model);
    public TableMapping PromoRedemptions { get; } = TableMapping.For<PromoCodeRedemption>(model);
    public TableMapping Events { get; } = TableMapping.For<CustomerEvent>(model);

    public IReadOnlyList<TableMapping> All =>
        [Stores, Products, Campaigns, .. PerCustomer];

    /// <summary>The tables that grow with the number of customers.</summary>
    public IReadOnlyList<TableMapping> PerCustomer =>
        [Customers, Identifiers, Consents, Orders, OrderLines, PromoCodes, Lots, Allocations, Ledger, PromoRedemptions, Events];

    /// <summary>A customer's rows, parents before children.</summary>
    public void Encode(GeneratedCustomer c, List<EncodedRow> rows)
    {
        rows.Add(new(Customers, Customers.Encode(c.Customer)));
        foreach (var x in c.Customer.Identifiers) rows.Add(new(Identifiers, Identifiers.Encode(x)));
        foreach (var x in c.Customer.Consents) rows.Add(new(Consents, Consents.Encode(x)));
        foreach (var order in c.Orders)
        {
            rows.Add(new(Orders, Orders.Encode(order)));
            foreach (var line in order.Lines) rows.Add(new(OrderLines, OrderLines.Encode(line)));
        }
        foreach (var x in c.PromoCodes) rows.Add(new(PromoCodes, PromoCodes.Encode(x)));
        foreach (var x in c.Lots) rows.Add(new(Lots, Lots.Encode(x)));
        foreach (var x in c.Allocations) rows.Add(new(Allocations, Allocations.Encode(x)));
        foreach (var x in c.Ledger) rows.Add(new(Ledger, Ledger.Encode(x)));
        foreach (var x in c.PromoRedemptions) rows.Add(new(PromoRedemptions, PromoRedemptions.Encode(x)));
        foreach (var x in c.Events) rows.Add(new(Events, Events.Encode(x)));
    }
}

internal readonly record struct EncodedRow(TableMapping Table, object[] Values);
