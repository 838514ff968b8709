using Microsoft.EntityFrameworkCore;

namespace OmniConsole.DemoData;

/// <summary>
/// The primary keys the generator gives its rows: explicit, consecutive, after whatever the tables already hold,
/// so rows can reference each other before anything is written.
/// </summary>
internal sealed class IdSequences
{
    private long _customer, _identifier, _order, _orderLine, _lot, _allocation, _ledger, _promoRedemption, _event, _recipient, _message;
    private int _promoCode;

    public long NextCustomer() => ++_customer;
    public long NextIdentifier() => ++_identifier;
    public long NextOrder() => ++_order;
    public long NextOrderLine() => ++_orderLine;
    public long NextLot() => ++_lot;
    public long NextAllocation() => ++_allocation;
    public long NextLedgerEntry() => ++_ledger;
    public long NextPromoRedemption() => ++_promoRedemption;
    public long NextEvent() => ++_event;
    public long NextRecipient() => ++_recipient;
    public long NextMessage() => ++_message;
    public int NextPromoCode() => ++_promoCode;

    public static async Task<IdSequences> AfterExistingAsync(OmniConsoleDbContext db, CancellationToken ct) => new()
    {
        _customer = await db.Customers.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _identifier = await db.CustomerIdentifiers.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _order = await db.Orders.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _orderLine = await db.OrderLines.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _lot = await db.BonusLots.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _allocation = await db.RedemptionAllocations.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _ledger = await db.BonusLedger.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _promoRedemption = await db.PromoCodeRedemptions.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _event = await db.CustomerEvents.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _recipient = await db.CampaignRecipients.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _message = await db.Outbox.MaxAsync(x => (long?)x.Id, ct) ?? 0,
        _promoCode = await db.PromoCodes.MaxAsync(x => (int?)x.Id, ct) ?? 0,
    };
}
