using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.IdentityResolution;

/// <summary>
/// Moves everything of one customer onto another: history, orders, bonus lots and ledger, promo codes, identifiers,
/// consents (the latest decision per channel wins) and purchase figures. Runs inside the caller's transaction,
/// so a merge happens whole or not at all. Records a <c>customers_merged</c> timeline item and an audit entry.
/// </summary>
public static class CustomerMerger
{
    /// <summary>The customer that survives a merge: the one registered first (lowest id).</summary>
    public static long PickSurvivor(IEnumerable<long> ids) => ids.Min();

    // A channel both used keeps the wider span; the loser's other channels move over.
    private static async Task MergeChannelActivityAsync(OmniConsoleDbContext db, long survivorId, long loserId, CancellationToken ct)
    {
        var rows = await db.CustomerChannelActivities.Where(a => a.CustomerId == survivorId || a.CustomerId == loserId).ToListAsync(ct);
        foreach (var lost in rows.Where(a => a.CustomerId == loserId).ToList())
        {
            var kept = rows.FirstOrDefault(a => a.CustomerId == survivorId && a.Channel == lost.Channel);
            if (kept is null) db.CustomerChannelActivities.Add(new Segments.CustomerChannelActivity { CustomerId = survivorId, Channel = lost.Channel, FirstAtUtc = lost.FirstAtUtc, LastAtUtc = lost.LastAtUtc });
            else kept.Widen(lost.FirstAtUtc, lost.LastAtUtc);
            db.CustomerChannelActivities.Remove(lost);
        }
    }

    public static async Task MergeAsync(OmniConsoleDbContext db, long survivorId, long loserId, string reason, string actor, DateTime nowUtc, CancellationToken ct)
    {
        var survivor = await db.Customers.Include(c => c.Consents).SingleAsync(c => c.Id == survivorId, ct);
        var loser = await db.Customers.Include(c => c.Consents).SingleAsync(c => c.Id == loserId, ct);

        // Facets have no index by customer (it would slow every ingested event): the loser's stay behind, unused, and the
        // survivor gets its own from the events that move to it.
        foreach (var ev in await db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == loserId).OrderBy(e => e.Id).ToListAsync(ct))
            db.CustomerEventFacets.AddRange(Segments.SegmentFacts.FacetsOf(ev, survivor));
        await db.CustomerEvents.Where(e => e.CustomerId == loserId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, survivorId), ct);
        await db.Orders.Where(e => e.CustomerId == loserId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, survivorId), ct);
        await db.BonusLots.Where(e => e.CustomerId == loserId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, survivorId), ct);
        await db.BonusLedger.Where(e => e.CustomerId == loserId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, survivorId), ct);
        await db.PromoCodes.Where(e => e.CustomerId == loserId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, survivorId), ct);
        await db.PromoCodeRedemptions.Where(e => e.CustomerId == loserId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, survivorId), ct);
        await db.CustomerIdentifiers.Where(e => e.CustomerId == loserId).ExecuteUpdateAsync(s => s.SetProperty(e => e.CustomerId, survivorId), ct);
        await MergeChannelActivityAsync(db, survivorId, loserId, ct);
        // Customers merged into the loser earlier now point at the survivor.
        await db.Customers.Where(c => c.MergedIntoId == loserId).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoId, survivorId), ct);

        foreach (var consent in loser.Consents)
        {
            var mine = survivor.Consents.FirstOrDefault(c => c.Channel == consent.Channel);
            if (mine is null)
                survivor.Consents.Add(new CustomerConsent { Channel = consent.Channel, Granted = consent.Granted, ChangedAtUtc = consent.ChangedAtUtc });
            else if (consent.ChangedAtUtc > mine.ChangedAtUtc)
                (mine.Granted, mine.ChangedAtUtc) = (consent.Granted, consent.ChangedAtUtc);
        }
        loser.Consents.Clear();

        if (survivor.FirstName is null && survivor.LastName is null) survivor.SetName(loser.FirstName, loser.LastName);
        survivor.BirthDate ??= loser.BirthDate;
        survivor.Gender ??= loser.Gender;
        survivor.City ??= loser.City;
        survivor.HomeStoreId ??= loser.HomeStoreId;
        if (loser.RegisteredAtUtc < survivor.RegisteredAtUtc) survivor.RegisteredAtUtc = loser.RegisteredAtUtc;
        survivor.LifetimeValueMinor += loser.LifetimeValueMinor;
        survivor.PurchaseCount += loser.PurchaseCount;
        if (loser.LastPurchaseAtUtc > (survivor.LastPurchaseAtUtc ?? DateTime.MinValue)) survivor.LastPurchaseAtUtc = loser.LastPurchaseAtUtc;
        if (loser.OpenCartAtUtc > (survivor.OpenCartAtUtc ?? DateTime.MinValue)) survivor.OpenCartAtUtc = loser.OpenCartAtUtc;
        loser.OpenCartAtUtc = null;
        survivor.LoyaltyVersion++;
        loser.LoyaltyVersion++;
        loser.MergedIntoId = survivorId;
        loser.LifetimeValueMinor = 0;
        loser.PurchaseCount = 0;

        var payload = new EventPayload { Merge = new MergePayload(loserId, loser.DisplayName, reason) };
        db.CustomerEvents.Add(new CustomerEvent
        {
            CustomerId = survivorId,
            Channel = Channel.System,
            Type = EventType.CustomersMerged,
            OccurredAtUtc = nowUtc,
            ReceivedAtUtc = nowUtc,
            Source = "system",
            SourceEventId = $"merge-{loserId}-into-{survivorId}",
            Payload = payload,
            Summary = TimelineText.Summary(EventType.CustomersMerged, Channel.System, payload, CultureInfo.InvariantCulture),
        });
        db.AuditEntries.Add(new AuditEntry
        {
            AtUtc = nowUtc,
            Actor = actor,
            Action = AuditAction.CustomersMerged,
            CustomerId = survivorId,
            Details = AuditText.Format(AuditText.Merged, loserId, loser.DisplayName, survivorId, reason),
        });
        await db.SaveChangesAsync(ct);
    }
}
