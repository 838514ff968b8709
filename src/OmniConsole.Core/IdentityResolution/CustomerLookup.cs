using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.IdentityResolution;

/// <summary>Finds the one customer an identifier belongs to (normalised first; blocklisted identifiers find no one).</summary>
public sealed class CustomerLookup(IdentifierNormalizer normalizer)
{
    public sealed record Query(IdentifierKind Kind, string Raw, string Source = "");

    /// <summary>The customer's id, following merges; null when unknown, invalid or blocklisted.</summary>
    public async Task<long?> FindAsync(OmniConsoleDbContext db, Query query, CancellationToken ct)
    {
        if (!normalizer.TryNormalize(query.Kind, query.Raw, out var value, out _) || normalizer.IsBlocked(value)) return null;
        var source = query.Kind == IdentifierKind.External ? query.Source : "";
        var id = await db.CustomerIdentifiers.AsNoTracking()
            .Where(i => i.Kind == query.Kind && i.Value == value && i.Source == source)
            .Select(i => (long?)i.CustomerId).FirstOrDefaultAsync(ct);
        return id;
    }

    /// <summary>The id a card should show: a customer merged away leads to the one it was merged into.</summary>
    public static async Task<long?> CurrentIdAsync(OmniConsoleDbContext db, long id, CancellationToken ct)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            var row = await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.MergedIntoId }).FirstOrDefaultAsync(ct);
            if (row is null) return null;
            if (row.MergedIntoId is not { } next) return id;
            id = next;
        }
        return id;
    }

    /// <summary>The distinct channels a customer used (not OmniConsole's own), in the order of <see cref="ChannelNames.ClientChannels"/>.</summary>
    /// <remarks>One pass over the customer's entries in the timeline index (which holds the channel), never the table.</remarks>
    public static async Task<List<Channel>> ChannelsUsedAsync(OmniConsoleDbContext db, long customerId, CancellationToken ct)
    {
        var used = await db.CustomerEvents.Where(e => e.CustomerId == customerId).Select(e => e.Channel).Distinct().ToListAsync(ct);
        return ChannelNames.ClientChannels.Where(used.Contains).ToList();
    }
}
