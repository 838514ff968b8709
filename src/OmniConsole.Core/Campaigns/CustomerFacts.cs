using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// What the dispatcher needs to know about a batch's customers, read in a few queries for the whole batch: names,
/// consents, the identifiers each channel needs, whether the app is installed (push), messages in the last 24 hours
/// per channel (caps) and active points (<c>{{bonusActive}}</c>).
/// </summary>
internal sealed class CustomerFacts
{
    private readonly Dictionary<long, (string? First, string? Last)> _names = [];
    private readonly HashSet<(long, Channel)> _consents = [];
    private readonly Dictionary<long, string> _emails = [];
    private readonly Dictionary<long, string> _phones = [];
    private readonly HashSet<long> _appInstalled = [];
    private readonly Dictionary<(long, Channel), int> _sentLastDay = [];
    private readonly Dictionary<long, long> _bonusActive = [];

    /// <param name="withPush">whether any message may go by push (then app installs are read: a customer's events, the costliest read here)</param>
    public static async Task<CustomerFacts> LoadAsync(OmniConsoleDbContext db, List<long> ids, DateTime now, bool withPush, CancellationToken ct)
    {
        var facts = new CustomerFacts();
        foreach (var c in await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(ct))
            facts._names[c.Id] = (c.FirstName, c.LastName);
        foreach (var c in await db.CustomerConsents.AsNoTracking().Where(c => ids.Contains(c.CustomerId) && c.Granted).Select(c => new { c.CustomerId, c.Channel }).ToListAsync(ct))
            facts._consents.Add((c.CustomerId, c.Channel));
        // The latest e-mail and phone of each customer. By customer id alone: with a condition on the kind too, SQLite
        // (without statistics) walked the (Kind, Value) index over every phone and e-mail of the base, for every batch.
        foreach (var i in (await db.CustomerIdentifiers.AsNoTracking().Where(i => ids.Contains(i.CustomerId))
                     .Select(i => new { i.Id, i.CustomerId, i.Kind, i.Value, i.AddedAtUtc }).ToListAsync(ct))
                     .Where(i => i.Kind is IdentifierKind.Email or IdentifierKind.Phone).OrderBy(i => i.AddedAtUtc).ThenBy(i => i.Id))
            (i.Kind == IdentifierKind.Email ? facts._emails : facts._phones)[i.CustomerId] = i.Value;
        if (withPush)
            foreach (var id in await db.CustomerEvents.AsNoTracking().Where(e => ids.Contains(e.CustomerId) && e.Type == EventType.AppInstalled)
                         .Select(e => e.CustomerId).Distinct().ToListAsync(ct))
                facts._appInstalled.Add(id);
        var dayAgo = now.AddDays(-1);
        foreach (var s in await db.Outbox.AsNoTracking().Where(m => ids.Contains(m.CustomerId) && m.SentAtUtc >= dayAgo)
                     .GroupBy(m => new { m.CustomerId, m.Channel }).Select(g => new { g.Key.CustomerId, g.Key.Channel, Count = g.Count() }).ToListAsync(ct))
            facts._sentLastDay[(s.CustomerId, s.Channel)] = s.Count;
        foreach (var b in await db.BonusLots.AsNoTracking().Where(l => ids.Contains(l.CustomerId)).Where(Loyalty.BonusLot.ActiveAt(now))
                     .GroupBy(l => l.CustomerId).Select(g => new { CustomerId = g.Key, Active = g.Sum(l => l.RemainingMinor) }).ToListAsync(ct))
            facts._bonusActive[b.CustomerId] = b.Active;
        return facts;
    }

    public string? FirstName(long id) => _names.GetValueOrDefault(id).First;
    public string? LastName(long id) => _names.GetValueOrDefault(id).Last;
    public Money BonusActive(long id) => new(_bonusActive.GetValueOrDefault(id));
    public int SentLastDay(long id, Channel channel) => _sentLastDay.GetValueOrDefault((id, channel));

    /// <summary>Where a message of that channel goes for this customer, or why it cannot go (MANAGEMENT-API.md: consent and identifiers).</summary>
    public (Channel Channel, string? Address, SkipReason? Skip) Reach(long id, Channel channel)
    {
        string? address = channel switch
        {
            Channel.Email => _emails.GetValueOrDefault(id),
            Channel.Push => _appInstalled.Contains(id) ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            _ => _phones.GetValueOrDefault(id),
        };
        if (!_consents.Contains((id, channel))) return (channel, null, SkipReason.NoConsent);
        return address is null ? (channel, null, SkipReason.NoIdentifier) : (channel, address, null);
    }
}
