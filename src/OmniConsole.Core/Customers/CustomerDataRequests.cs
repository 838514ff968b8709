using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Customers;

/// <summary>
/// A customer's request for their data: everything stored about them (profile, identifiers, consents, orders, the bonus
/// ledger, the timeline), read once and audited as an export with the customer, whoever writes the file.
/// </summary>
public sealed class CustomerDataRequests(IDbContextFactory<OmniConsoleDbContext> dbFactory, AuditLog audit)
{
    /// <summary>Each list holds at most this many rows, oldest first.</summary>
    public const int MaxRows = 100_000;

    public sealed record OrderRow(string OrderNumber, OrderStatus Status, Channel Channel, DateTime OccurredAtUtc, long TotalMinor, long BonusRedeemedMinor, long RefundedMinor, string? PromoCode);
    public sealed record LedgerRow(DateTime AtUtc, BonusEntryKind Kind, long AmountMinor, string? Note);
    public sealed record EventRow(DateTime OccurredAtUtc, EventType Type, Channel Channel, EventPayload Payload);
    public sealed record CustomerData(Customer Customer, IReadOnlyList<OrderRow> Orders, IReadOnlyList<LedgerRow> Ledger, IReadOnlyList<EventRow> Events);

    /// <summary>The customer's data (null: no such customer), audited as <paramref name="actor"/>'s export.</summary>
    public async Task<CustomerData?> ReadAsync(long customerId, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Customers.AsNoTracking().Include(x => x.Identifiers).Include(x => x.Consents).SingleOrDefaultAsync(x => x.Id == customerId, ct);
        if (c is null) return null;
        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId).OrderBy(o => o.OccurredAtUtc).Take(MaxRows)
            .Select(o => new OrderRow(o.OrderNumber, o.Status, o.Channel, o.OccurredAtUtc, o.TotalMinor, o.BonusRedeemedMinor, o.RefundedMinor, o.PromoCode)).ToListAsync(ct);
        var ledger = await db.BonusLedger.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.AtUtc).ThenBy(e => e.Id).Take(MaxRows)
            .Select(e => new LedgerRow(e.AtUtc, e.Kind, e.AmountMinor, e.Note)).ToListAsync(ct);
        var events = await db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id).Take(MaxRows)
            .Select(e => new EventRow(e.OccurredAtUtc, e.Type, e.Channel, e.Payload)).ToListAsync(ct);
        await audit.RecordAsync(actor, AuditAction.Exported, customerId, AuditText.CustomerDataExported, ct);
        return new CustomerData(c, orders, ledger, events);
    }
}
