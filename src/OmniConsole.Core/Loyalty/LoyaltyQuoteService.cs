using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Core.Loyalty;

/// <summary>What a till shows before payment (POST /api/v1/loyalty/quote). Reads only: never creates or merges anyone.</summary>
public sealed class LoyaltyQuoteService(IDbContextFactory<OmniConsoleDbContext> dbFactory, CustomerLookup lookup, Segments.SegmentService segmentService,
    IOptions<OmniConsoleOptions> options, TimeProvider clock)
{
    public sealed record Quote(long CustomerId, Money Active, Money Pending, Money MaxRedeemable, Money AccrualPreview);

    /// <summary>The quote, or null when no customer is found by the first given of card, phone, e-mail, external id.</summary>
    public async Task<Quote?> QuoteAsync(CustomerData customer, Money orderTotal, Channel channel, string? storeCode, string source, CancellationToken ct)
    {
        var query = customer.FirstIdentifier(source);
        if (query is null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await lookup.FindAsync(db, query, ct) is not { } id) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var balance = await BonusBalance.ForCustomerAsync(db, id, now, ct);
        var loyalty = await LoyaltyRules.LoadAsync(db, options.Value.Loyalty.MaxRedeemShare, ct);
        var tier = await db.Customers.Where(c => c.Id == id).Select(c => c.Tier).SingleAsync(ct);
        var segments = new HashSet<int>();
        foreach (var segment in loyalty.Policy.ReferencedSegments)
            if (await segmentService.IsMemberAsync(db, segment, id, ct)) segments.Add(segment);
        // The quote has no lines: rules limited to categories or brands are not counted in the preview.
        var facts = new PurchaseFacts(channel, storeCode, [], orderTotal, Money.Zero, clock.GetUtcNow().UtcDateTime, tier, segments);
        return new Quote(id, balance.Active, balance.Pending, loyalty.Policy.MaxRedeemable(facts, balance.Active), loyalty.Policy.AccrualTotal(facts));
    }
}
