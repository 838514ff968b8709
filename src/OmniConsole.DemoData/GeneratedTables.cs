using Microsoft.EntityFrameworkCore.Metadata;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.DemoData;

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
    public TableMapping Facets { get; } = TableMapping.For<CustomerEventFacet>(model, withGeneratedKey: false);
    public TableMapping ChannelActivity { get; } = TableMapping.For<CustomerChannelActivity>(model);
    public TableMapping Recipients { get; } = TableMapping.For<CampaignRecipient>(model);
    public TableMapping Messages { get; } = TableMapping.For<OutboxMessage>(model);

    public IReadOnlyList<TableMapping> All =>
        [Stores, Products, Campaigns, .. PerCustomer];

    /// <summary>The tables that grow with the number of customers.</summary>
    public IReadOnlyList<TableMapping> PerCustomer =>
        [Customers, Identifiers, Consents, Orders, OrderLines, PromoCodes, Lots, Allocations, Ledger, PromoRedemptions, Events, Facets, ChannelActivity, Recipients, Messages];

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
        foreach (var x in c.Facets) rows.Add(new(Facets, Facets.Encode(x)));
        foreach (var x in c.ChannelActivity) rows.Add(new(ChannelActivity, ChannelActivity.Encode(x)));
        foreach (var x in c.Recipients) rows.Add(new(Recipients, Recipients.Encode(x)));
        foreach (var x in c.Messages) rows.Add(new(Messages, Messages.Encode(x)));
    }
}

