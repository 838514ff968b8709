using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Core.Customers;

/// <summary>
/// The consultant's one search box: a phone in any format (or its first digits), an e-mail, a card number or a name
/// (first, last, or both in either order). A whole identifier leads to exactly one customer; the rest give a short list.
/// Every branch is a seek on an index: identifiers by (kind, value), names by the lower-cased name keys.
/// Every search is audited here, whoever calls it and however the page is rendered.
/// </summary>
public sealed class CustomerSearch(IDbContextFactory<OmniConsoleDbContext> dbFactory, CustomerLookup lookup, IdentifierNormalizer normalizer, AuditLog audit)
{
    /// <param name="MatchedBy">
    /// The identifier that was typed in full and found this customer; a consultant sees it unmasked. Null for a phone
    /// prefix and for a name: what was typed is not the customer's identifier, so every contact stays masked.
    /// </param>
    /// <param name="Phone">E.164, as stored: the page formats it for reading, or masks it as everywhere else.</param>
    public sealed record Hit(long Id, string Name, string? City, string? Phone, DateTime? LastPurchaseAtUtc, IdentifierKind? MatchedBy);

    /// <summary>Shorter queries are not searched (the page says what to type).</summary>
    public const int MinLength = 2;

    /// <summary>A partial phone needs this many digits, so "+7 9" does not list the first twenty customers of a million.</summary>
    public const int MinPhoneDigits = 4;

    /// <inheritdoc cref="SearchAsync(OmniConsoleDbContext, string, int, string, CancellationToken)"/>
    public async Task<IReadOnlyList<Hit>> SearchAsync(string query, int limit, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SearchAsync(db, query, limit, actor, ct);
    }

    /// <inheritdoc cref="FindOneAsync(OmniConsoleDbContext, string, string, CancellationToken)"/>
    public async Task<Hit?> FindOneAsync(string query, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await FindOneAsync(db, query, actor, ct);
    }

    /// <summary>Finds customers and audits the search as <paramref name="actor"/>'s, in the database before the answer (a group commit shared with other reads of the moment).</summary>
    public async Task<IReadOnlyList<Hit>> SearchAsync(OmniConsoleDbContext db, string query, int limit, string actor, CancellationToken ct)
    {
        query = query.Trim();
        if (query.Length < MinLength) return [];
        var hits = await FindAsync(db, query, limit, ct);
        await audit.RecordBatchedAsync(actor, AuditAction.CustomersSearched, hits is [var one] ? one.Id : null, AuditText.Format(AuditText.Lookup, query, hits.Count));
        return hits;
    }

    /// <summary>
    /// The one customer a whole identifier (phone, e-mail, card, external id) typed in full names, or null; audited
    /// when it finds someone. For a page's first, prerendered response: a link from a till opens the card at once,
    /// and nothing else is searched before the page is live.
    /// </summary>
    public async Task<Hit?> FindOneAsync(OmniConsoleDbContext db, string query, string actor, CancellationToken ct)
    {
        query = query.Trim();
        if (query.Length < MinLength || await ExactAsync(db, query, ct) is not [var one]) return null;
        await audit.RecordBatchedAsync(actor, AuditAction.CustomersSearched, one.Id, AuditText.Format(AuditText.Lookup, query, 1));
        return one;
    }

    private async Task<IReadOnlyList<Hit>?> ExactAsync(OmniConsoleDbContext db, string query, CancellationToken ct)
    {
        var digits = query.Count(char.IsAsciiDigit);
        var kinds = query.Contains('@') ? [IdentifierKind.Email]
            : digits >= 6 ? new[] { IdentifierKind.Phone, IdentifierKind.Card, IdentifierKind.External }
            : [];
        foreach (var kind in kinds)
        {
            if (kind == IdentifierKind.Phone && digits < 10) continue;
            if (await lookup.FindAsync(db, new CustomerLookup.Query(kind, query), ct) is { } id
                && await CustomerLookup.CurrentIdAsync(db, id, ct) is { } current)
                return await HitsAsync(db, [current], kind, ct);
        }
        return null;
    }

    private async Task<IReadOnlyList<Hit>> FindAsync(OmniConsoleDbContext db, string query, int limit, CancellationToken ct)
    {
        if (await ExactAsync(db, query, ct) is { } exact) return exact;
        var digits = query.Count(char.IsAsciiDigit);
        if (LooksLikePhone(query))
            return digits >= MinPhoneDigits ? await PhonePrefixAsync(db, query, limit, ct) : [];
        if (digits > 0) return [];

        var (namePrefixes, firstNamePrefix) = Customer.NamePrefixes(query);
        var ids = new List<long>();
        foreach (var prefix in namePrefixes)
            if (ids.Count < limit) ids.AddRange(await ByLastName(db, prefix).Take(limit).ToListAsync(ct));
        if (firstNamePrefix is not null && ids.Count < limit)
            ids.AddRange(await ByFirstName(db, firstNamePrefix).Take(limit).ToListAsync(ct));
        return await HitsAsync(db, ids.Distinct().Take(limit).ToList(), null, ct);
    }

    private static bool LooksLikePhone(string query) => query.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')');

    private async Task<IReadOnlyList<Hit>> PhonePrefixAsync(OmniConsoleDbContext db, string query, int limit, CancellationToken ct)
    {
        var (lo, hi) = CustomerList.PrefixRange(normalizer.PhonePrefix(query));
        var owners = await db.CustomerIdentifiers.AsNoTracking()
            .Where(i => i.Kind == IdentifierKind.Phone && string.Compare(i.Value, lo) >= 0 && string.Compare(i.Value, hi) < 0)
            .OrderBy(i => i.Value).Select(i => i.CustomerId).Take(limit).ToListAsync(ct);
        var ids = new List<long>();
        foreach (var owner in owners.Distinct())
            if (await CustomerLookup.CurrentIdAsync(db, owner, ct) is { } current) ids.Add(current);
        return await HitsAsync(db, ids.Distinct().ToList(), null, ct); // the first digits of a phone are no one's phone
    }

    // Range seeks on the name indexes ([prefix, prefix + U+FFFF)), in index order. Merged-away customers are dropped
    // afterwards (HitsAsync): a MergedIntoId condition here lets SQLite pick that index and walk every live customer.
    private static IQueryable<long> ByLastName(OmniConsoleDbContext db, string prefix)
    {
        var (lo, hi) = CustomerList.PrefixRange(prefix);
        return db.Customers.AsNoTracking()
            .Where(c => string.Compare(c.SearchName, lo) >= 0 && string.Compare(c.SearchName, hi) < 0)
            .OrderBy(c => c.SearchName).Select(c => c.Id);
    }

    private static IQueryable<long> ByFirstName(OmniConsoleDbContext db, string prefix)
    {
        var (lo, hi) = CustomerList.PrefixRange(prefix);
        return db.Customers.AsNoTracking()
            .Where(c => string.Compare(c.SearchFirstName, lo) >= 0 && string.Compare(c.SearchFirstName, hi) < 0)
            .OrderBy(c => c.SearchFirstName).Select(c => c.Id);
    }

    private static async Task<IReadOnlyList<Hit>> HitsAsync(OmniConsoleDbContext db, List<long> ids, IdentifierKind? matchedBy, CancellationToken ct)
    {
        var rows = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id) && c.MergedIntoId == null)
            .Select(c => new
            {
                c.Id, c.FirstName, c.LastName, c.City, c.LastPurchaseAtUtc,
                Phone = c.Identifiers.Where(i => i.Kind == IdentifierKind.Phone).OrderBy(i => i.Id).Select(i => i.Value).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.OrderBy(r => ids.IndexOf(r.Id))
            .Select(r => new Hit(r.Id, new Customer { Id = r.Id, FirstName = r.FirstName, LastName = r.LastName }.DisplayName, r.City,
                r.Phone, r.LastPurchaseAtUtc, matchedBy))
            .ToList();
    }
}
