using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Customers;

/// <summary>
/// The consultant's one search box: a phone in any format, an e-mail, a card number or a name.
/// Identifiers are tried in that order and lead to exactly one customer; a name gives a short list.
/// </summary>
public sealed class CustomerSearch(CustomerLookup lookup)
{
    public sealed record Hit(long Id, string Name, string? City, string? Phone, DateTime? LastPurchaseAtUtc, IdentifierKind? MatchedBy);

    public async Task<IReadOnlyList<Hit>> SearchAsync(OmniConsoleDbContext db, string query, int limit, CancellationToken ct)
    {
        query = query.Trim();
        if (query.Length < 2) return [];

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
        if (digits > 0) return [];

        var key = Customer.NameKey(query);
        var keys = new List<string> { key };
        var words = key.Split(' ');
        if (words.Length == 2) keys.Add($"{words[1]} {words[0]}"); // "Иван Петров" as well as "Петров Иван"
        var ids = new List<long>();
        foreach (var k in keys)
        {
            var (lo, hi) = CustomerList.PrefixRange(k);
            ids.AddRange(await db.Customers.AsNoTracking()
                .Where(c => c.MergedIntoId == null && string.Compare(c.SearchName, lo) >= 0 && string.Compare(c.SearchName, hi) < 0)
                .OrderBy(c => c.SearchName).Select(c => c.Id).Take(limit).ToListAsync(ct));
        }
        return await HitsAsync(db, ids.Distinct().Take(limit).ToList(), null, ct);
    }

    private static async Task<IReadOnlyList<Hit>> HitsAsync(OmniConsoleDbContext db, List<long> ids, IdentifierKind? matchedBy, CancellationToken ct)
    {
        var rows = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                c.Id, c.FirstName, c.LastName, c.City, c.LastPurchaseAtUtc,
                Phone = c.Identifiers.Where(i => i.Kind == IdentifierKind.Phone).Select(i => i.Value).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.OrderBy(r => ids.IndexOf(r.Id))
            .Select(r => new Hit(r.Id, new Customer { Id = r.Id, FirstName = r.FirstName, LastName = r.LastName }.DisplayName, r.City, r.Phone, r.LastPurchaseAtUtc, matchedBy))
            .ToList();
    }
}
