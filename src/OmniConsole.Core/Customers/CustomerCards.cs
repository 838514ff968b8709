using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Customers;

/// <summary>
/// One customer's data as staff and integrations read it: the 360° card, its timeline, the API's lookup answer. Each
/// read that shows personal data records who read it here, so no page or endpoint can forget the audit.
/// </summary>
public sealed class CustomerCards(IDbContextFactory<OmniConsoleDbContext> dbFactory, CustomerLookup lookup, AuditLog audit, TimeProvider clock)
{
    public sealed record Card(CustomerCard.Header Header, CustomerCard.Kpis Kpis, CustomerCard.Interests Interests);

    /// <summary>The customer a number stands for now (a merged customer's survivor), or null when there is none.</summary>
    public async Task<long?> CurrentIdAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CustomerLookup.CurrentIdAsync(db, id, ct);
    }

    /// <summary>Opens the card as <paramref name="actor"/> (audited as a card view); null when there is no such customer.</summary>
    public async Task<Card?> OpenAsync(long id, string actor, CancellationToken ct)
    {
        var card = await ReadAsync(id, ct);
        if (card is not null) await audit.RecordAsync(actor, AuditAction.CustomerViewed, id, null, ct);
        return card;
    }

    /// <summary>Reads an open card again (a live refresh of a view already audited).</summary>
    public async Task<Card?> ReadAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await CustomerCard.HeaderAsync(db, id, now, ct) is not { } header) return null;
        return new Card(header, await CustomerCard.KpisAsync(db, id, ct), await CustomerCard.InterestsAsync(db, id, now, ct));
    }

    /// <summary>The header and figures shown beside a follow-up, audited as a card view.</summary>
    public async Task<(CustomerCard.Header Header, CustomerCard.Kpis Kpis)?> SummaryAsync(long id, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CustomerCard.HeaderAsync(db, id, clock.GetUtcNow().UtcDateTime, ct) is not { } header) return null;
        var kpis = await CustomerCard.KpisAsync(db, id, ct);
        await audit.RecordAsync(actor, AuditAction.CustomerViewed, id, null, ct);
        return (header, kpis);
    }

    /// <summary>A page of an open card's timeline (the card's opening was audited).</summary>
    public async Task<TimelineQuery.Page> TimelineAsync(long customerId, int limit, string? before, TimelineQuery.Filter? filter, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await TimelineQuery.ReadAsync(db, customerId, limit, before, filter, ct);
    }

    /// <summary>What the channel API's lookup answers about a customer.</summary>
    public sealed record Profile(long Id, string? FirstName, string? LastName, string Tier, BonusBalance Bonus, IReadOnlyList<Channel> Channels,
        DateTime? LastPurchaseAtUtc, long LifetimeValueMinor);

    /// <summary>
    /// The channel API's lookup by one identifier (<paramref name="identifier"/> names which, for the audit): the
    /// customer's profile, or null; the read is in the audit log before the answer leaves.
    /// </summary>
    public async Task<Profile?> LookupForApiAsync(IdentifierKind kind, string raw, string identifier, string apiKey, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await lookup.FindAsync(db, new CustomerLookup.Query(kind, raw, apiKey), ct) is not { } id) return null;
        var audited = audit.RecordBatchedAsync(AuditActors.ApiKey(apiKey), AuditAction.CustomerReadByApi, id, $"Lookup by {identifier}");
        var c = await db.Customers.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.FirstName, c.LastName, c.Tier, c.LastPurchaseAtUtc, c.LifetimeValueMinor }).FirstAsync(ct);
        var bonus = await BonusBalance.ForCustomerAsync(db, id, clock.GetUtcNow().UtcDateTime, ct);
        var channels = await CustomerLookup.ChannelsUsedAsync(db, id, ct);
        await audited;
        return new Profile(id, c.FirstName, c.LastName, c.Tier, bonus, channels, c.LastPurchaseAtUtc, c.LifetimeValueMinor);
    }

    /// <summary>
    /// A page of the timeline for the channel API, of the customer the number stands for now (null: no such customer);
    /// audited before the answer leaves.
    /// </summary>
    public async Task<(long CustomerId, TimelineQuery.Page Page)?> TimelineForApiAsync(long id, int limit, string? before, TimelineQuery.Filter filter,
        string apiKey, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CustomerLookup.CurrentIdAsync(db, id, ct) is not { } current) return null;
        var audited = audit.RecordBatchedAsync(AuditActors.ApiKey(apiKey), AuditAction.CustomerReadByApi, current, "Timeline");
        var page = await TimelineQuery.ReadAsync(db, current, limit, before, filter, ct);
        await audited;
        return (current, page);
    }
}
