using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Customers;

public enum ErasureOutcome { Done, ReasonRequired, ReasonTooLong, NotFound, AlreadyErased }

/// <summary>
/// Erases a customer's personal data on their request (an administrator's action): name, birth date, gender, city,
/// phones, e-mails, cards, external ids and consents go, and so do the free texts of their timeline (call notes,
/// reviews, merge names). Orders, amounts, points and the timeline's items stay, so revenue, liability and segment
/// counts do not change; the customer is then "#id, erased". Rows merged into this customer are erased too. The
/// customer's identifiers are freed: a later event with the same phone makes a new customer, not this one.
/// </summary>
public sealed class CustomerErasure(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, CustomerChangeNotifier notifier)
{
    public const int MaxReasonLength = 300;

    public async Task<ErasureOutcome> EraseAsync(long customerId, string? reason, string actor, CancellationToken ct)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return ErasureOutcome.ReasonRequired;
        if (reason.Length > MaxReasonLength) return ErasureOutcome.ReasonTooLong;

        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId && c.MergedIntoId == null, ct);
            if (customer is null) return ErasureOutcome.NotFound;
            if (customer.ErasedAtUtc is not null) return ErasureOutcome.AlreadyErased;

            var now = clock.GetUtcNow().UtcDateTime;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var merged = await db.Customers.Where(c => c.MergedIntoId == customerId).ToListAsync(ct);
            var ids = merged.Select(c => c.Id).Append(customerId).ToList();
            foreach (var row in merged.Append(customer))
            {
                row.SetName(null, null);
                (row.BirthDate, row.Gender, row.City, row.ErasedAtUtc) = (null, null, null, now);
            }
            await db.CustomerIdentifiers.Where(i => ids.Contains(i.CustomerId)).ExecuteDeleteAsync(ct);
            await db.CustomerConsents.Where(c => ids.Contains(c.CustomerId)).ExecuteDeleteAsync(ct);

            // Any client item may carry a note; staff adjustments carry a reason; a merge names the other row. Rule names
            // on granted points are OmniConsole's own and stay.
            var events = await db.CustomerEvents.Where(e => e.CustomerId == customerId).ToListAsync(ct);
            foreach (var ev in events.Where(e => (e.Payload.Text is not null && e.Type != EventType.BonusGranted) || e.Payload.Merge?.MergedCustomerName is not null))
            {
                ev.Payload = WithoutFreeText(ev.Payload);
                ev.Summary = TimelineText.Summary(ev.Type, ev.Channel, ev.Payload, CultureInfo.InvariantCulture);
            }
            db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.CustomerErased, CustomerId = customerId, Details = reason });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        notifier.Publish([customerId]);
        return ErasureOutcome.Done;
    }

    private static EventPayload WithoutFreeText(EventPayload p) => new()
    {
        Order = p.Order, Product = p.Product, Cart = p.Cart, Message = p.Message, Consents = p.Consents, StoreCode = p.StoreCode, Bonus = p.Bonus,
        Merge = p.Merge is { } m ? m with { MergedCustomerName = null } : null,
        Text = null,
    };
}
