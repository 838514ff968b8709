using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Loyalty;

/// <summary>What a till shows before payment (POST /api/v1/loyalty/quote). Reads only: never creates or merges anyone.</summary>
public sealed class LoyaltyQuoteService(IDbContextFactory<OmniConsoleDbContext> dbFactory, CustomerLookup lookup, IOptions<OmniConsoleOptions> options, TimeProvider clock)
{
    public sealed record Quote(long CustomerId, Money Active, Money Pending, Money MaxRedeemable, Money AccrualPreview);

    /// <summary>The quote, or null when no customer is found by the first given of card, phone, e-mail, external id.</summary>
    public async Task<Quote?> QuoteAsync(CustomerData customer, Money orderTotal, Channel channel, string source, CancellationToken ct)
    {
        var query = FirstIdentifier(customer, source);
        if (query is null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await lookup.FindAsync(db, query, ct) is not { } id) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var balance = await BonusBalance.ForCustomerAsync(db, id, now, ct);
        var rules = await db.EarningRules.AsNoTracking().Where(r => r.IsActive).ToListAsync(ct);
        var policy = new LoyaltyPolicy(rules, options.Value.Loyalty.MaxRedeemShare);
        return new Quote(id, balance.Active, balance.Pending, policy.MaxRedeemable(orderTotal, channel, balance.Active), policy.AccrualTotal(orderTotal, channel));
    }

    public static CustomerLookup.Query? FirstIdentifier(CustomerData c, string source) =>
        !string.IsNullOrWhiteSpace(c.CardNumber) ? new(IdentifierKind.Card, c.CardNumber)
        : !string.IsNullOrWhiteSpace(c.Phone) ? new(IdentifierKind.Phone, c.Phone)
        : !string.IsNullOrWhiteSpace(c.Email) ? new(IdentifierKind.Email, c.Email)
        : !string.IsNullOrWhiteSpace(c.ExternalId) ? new(IdentifierKind.External, c.ExternalId, source)
        : null;
}
