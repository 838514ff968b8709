using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;

namespace OmniConsole.Core.Customers;

/// <summary>The customer list: filtered, sorted and paged in the database, fast at a million customers.</summary>
public sealed class CustomerList(IDbContextFactory<OmniConsoleDbContext> dbFactory, IdentifierNormalizer normalizer, Audit.AuditLog audit, Segments.SegmentService segments)
{
    public enum SortBy { Name, City, LastPurchase, LifetimeValue, Registered }

    public sealed record Filter(string? Name = null, string? Phone = null, string? Email = null, string? Card = null,
        string? City = null, string? Tier = null, DateTime? LastPurchaseFromUtc = null, DateTime? LastPurchaseToUtc = null, int? SegmentId = null);

    public sealed record Row(long Id, string? FirstName, string? LastName, string? City, string Tier, DateTime? LastPurchaseAtUtc,
        long LifetimeValueMinor, int PurchaseCount, DateTime RegisteredAtUtc, string? Phone, string? Email, string? Card);

    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    /// <summary>Identifier filters narrow to at most this many customers before the list query.</summary>
    private const int MaxIdentifierMatches = 5000;

    /// <summary>
    /// A page of the list. A search for people (by name or contact) is audited here, as <paramref name="actor"/>'s, once
    /// per search: on its first page, not on the pages after it.
    /// </summary>
    public async Task<Page> ReadAsync(Filter filter, SortBy sort, bool descending, int skip, int take, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync(db, filter, sort, descending, skip, take, actor, ct);
    }

    /// <inheritdoc cref="ReadAsync(Filter, SortBy, bool, int, int, string, CancellationToken)"/>
    public async Task<Page> ReadAsync(OmniConsoleDbContext db, Filter filter, SortBy sort, bool descending, int skip, int take, string actor, CancellationToken ct)
    {
        var page = await ReadPageAsync(db, filter, sort, descending, skip, take, ct);
        var parts = new[] { (Audit.AuditText.ListName, filter.Name), (Audit.AuditText.ListPhone, filter.Phone), (Audit.AuditText.ListEmail, filter.Email), (Audit.AuditText.ListCard, filter.Card) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => Audit.AuditText.Format(p.Item1, p.Item2!.Trim())).ToList();
        if (skip == 0 && parts.Count > 0)
            await audit.RecordBatchedAsync(actor, Audit.AuditAction.CustomersSearched, null,
                Audit.AuditText.Format(Audit.AuditText.CustomersListed, string.Join(", ", parts), page.Total));
        return page;
    }

    private async Task<Page> ReadPageAsync(OmniConsoleDbContext db, Filter filter, SortBy sort, bool descending, int skip, int take, CancellationToken ct)
    {
        var filtered = new[] { filter.Name, filter.Phone, filter.Email, filter.Card, filter.City, filter.Tier }.Any(f => !string.IsNullOrWhiteSpace(f))
            || filter.LastPurchaseFromUtc is not null || filter.LastPurchaseToUtc is not null || filter.SegmentId is not null;
        var q = db.Customers.AsNoTracking().Where(filtered ? Customer.LiveBesideAnIndexedCondition : c => c.MergedIntoId == null);

        if (!string.IsNullOrWhiteSpace(filter.Name))
        {
            // As the lookup box reads a name: the last name first or the first name first, or a first name alone.
            var (namePrefixes, firstNamePrefix) = Customer.NamePrefixes(filter.Name);
            var (lo, hi) = PrefixRange(namePrefixes[0]);
            if (namePrefixes.Count > 1)
            {
                var (lo2, hi2) = PrefixRange(namePrefixes[1]);
                q = q.Where(c => (string.Compare(c.SearchName, lo) >= 0 && string.Compare(c.SearchName, hi) < 0)
                    || (string.Compare(c.SearchName, lo2) >= 0 && string.Compare(c.SearchName, hi2) < 0));
            }
            else if (firstNamePrefix is not null)
            {
                var (firstLo, firstHi) = PrefixRange(firstNamePrefix);
                q = q.Where(c => (string.Compare(c.SearchName, lo) >= 0 && string.Compare(c.SearchName, hi) < 0)
                    || (string.Compare(c.SearchFirstName, firstLo) >= 0 && string.Compare(c.SearchFirstName, firstHi) < 0));
            }
            else q = q.Where(c => string.Compare(c.SearchName, lo) >= 0 && string.Compare(c.SearchName, hi) < 0);
        }
        if (filter.SegmentId is { } segmentId)
        {
            // A saved segment's members as they are now; an archived or unknown segment has none.
            if (await segments.GetAsync(segmentId, ct) is not { Segment.ArchivedAtUtc: null } segment) return new Page([], 0);
            var members = (await segments.MembersQueryAsync(db, segment.Definition, null, ct)).Select(m => m.Id);
            q = q.Where(c => members.Contains(c.Id));
        }
        if (!string.IsNullOrWhiteSpace(filter.City)) q = q.Where(c => c.City == filter.City);
        if (!string.IsNullOrWhiteSpace(filter.Tier)) q = q.Where(c => c.Tier == filter.Tier);
        if (filter.LastPurchaseFromUtc is { } from) q = q.Where(c => c.LastPurchaseAtUtc >= from);
        if (filter.LastPurchaseToUtc is { } to) q = q.Where(c => c.LastPurchaseAtUtc < to);

        foreach (var (kind, prefix) in IdentifierPrefixes(filter))
        {
            var (lo, hi) = PrefixRange(prefix);
            var ids = await db.CustomerIdentifiers.AsNoTracking()
                .Where(i => i.Kind == kind && string.Compare(i.Value, lo) >= 0 && string.Compare(i.Value, hi) < 0)
                .OrderBy(i => i.Value).Select(i => i.CustomerId).Take(MaxIdentifierMatches).ToListAsync(ct);
            q = q.Where(c => ids.Contains(c.Id));
        }

        var total = await q.CountAsync(ct);
        q = (sort, descending) switch
        {
            (SortBy.City, false) => q.OrderBy(c => c.City).ThenBy(c => c.Id),
            (SortBy.City, true) => q.OrderByDescending(c => c.City).ThenByDescending(c => c.Id),
            (SortBy.LastPurchase, false) => q.OrderBy(c => c.LastPurchaseAtUtc).ThenBy(c => c.Id),
            (SortBy.LastPurchase, true) => q.OrderByDescending(c => c.LastPurchaseAtUtc).ThenByDescending(c => c.Id),
            (SortBy.LifetimeValue, false) => q.OrderBy(c => c.LifetimeValueMinor).ThenBy(c => c.Id),
            (SortBy.LifetimeValue, true) => q.OrderByDescending(c => c.LifetimeValueMinor).ThenByDescending(c => c.Id),
            (SortBy.Registered, false) => q.OrderBy(c => c.RegisteredAtUtc).ThenBy(c => c.Id),
            (SortBy.Registered, true) => q.OrderByDescending(c => c.RegisteredAtUtc).ThenByDescending(c => c.Id),
            (_, true) => q.OrderByDescending(c => c.SearchName).ThenByDescending(c => c.Id),
            _ => q.OrderBy(c => c.SearchName).ThenBy(c => c.Id),
        };
        var page = await q.Skip(skip).Take(take)
            .Select(c => new
            {
                c.Id, c.FirstName, c.LastName, c.City, c.Tier, c.LastPurchaseAtUtc, c.LifetimeValueMinor, c.PurchaseCount, c.RegisteredAtUtc,
            })
            .ToListAsync(ct);
        var pageIds = page.Select(c => c.Id).ToList();
        var identifiers = await db.CustomerIdentifiers.AsNoTracking()
            .Where(i => pageIds.Contains(i.CustomerId) && i.Kind != IdentifierKind.External)
            .OrderBy(i => i.Id)
            .Select(i => new { i.CustomerId, i.Kind, i.Value }).ToListAsync(ct);
        string? First(long id, IdentifierKind kind) => identifiers.FirstOrDefault(i => i.CustomerId == id && i.Kind == kind)?.Value;

        return new Page(page.Select(c => new Row(c.Id, c.FirstName, c.LastName, c.City, c.Tier, c.LastPurchaseAtUtc, c.LifetimeValueMinor,
            c.PurchaseCount, c.RegisteredAtUtc, First(c.Id, IdentifierKind.Phone), First(c.Id, IdentifierKind.Email), First(c.Id, IdentifierKind.Card))).ToList(), total);
    }

    /// <summary>Cities that have customers, for the filter's drop-down (customers live in more cities than there are stores).</summary>
    /// <remarks>Reads the City index alone; merged-away customers are not excluded, as that would read every row.</remarks>
    public async Task<List<string>> CitiesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CitiesAsync(db, ct);
    }

    /// <inheritdoc cref="CitiesAsync(CancellationToken)"/>
    public static Task<List<string>> CitiesAsync(OmniConsoleDbContext db, CancellationToken ct) =>
        db.Customers.AsNoTracking().Where(c => c.City != null && c.City != "").Select(c => c.City!).Distinct().OrderBy(c => c).Take(2000).ToListAsync(ct);

    private IEnumerable<(IdentifierKind, string)> IdentifierPrefixes(Filter f)
    {
        if (!string.IsNullOrWhiteSpace(f.Phone))
        {
            // A full phone normalises to E.164; a partial one is matched as the start of one.
            var digits = f.Phone.Count(char.IsAsciiDigit);
            yield return (IdentifierKind.Phone, normalizer.TryPhone(f.Phone, out var e164, out _) && digits >= 10 ? e164 : normalizer.PhonePrefix(f.Phone));
        }
        if (!string.IsNullOrWhiteSpace(f.Email)) yield return (IdentifierKind.Email, f.Email.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(f.Card)) yield return (IdentifierKind.Card, string.Concat(f.Card.Where(c => !char.IsWhiteSpace(c))));
    }

    /// <summary>[prefix, next prefix): a range the index can seek, unlike LIKE on SQLite.</summary>
    internal static (string Lo, string Hi) PrefixRange(string prefix) => (prefix, prefix + '\uffff');
}
