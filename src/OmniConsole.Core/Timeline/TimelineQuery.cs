using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Timeline;

/// <summary>A page of a customer's timeline, newest first, continued by an opaque cursor (occurredAt + id, so equal times never repeat or skip).</summary>
public static class TimelineQuery
{
    public sealed record Filter(
        IReadOnlyCollection<Channel>? Channels = null,
        IReadOnlyCollection<EventType>? Types = null,
        DateTime? FromUtc = null,
        DateTime? ToUtc = null);

    public sealed record Item(long Id, string SourceEventId, EventType Type, Channel Channel, DateTime OccurredAtUtc,
        string Summary, EventPayload Payload, long? OrderId, string? CampaignId, long? AmountMinor, string? StoreName = null);

    public sealed record Page(IReadOnlyList<Item> Items, string? NextBefore);

    public static async Task<Page> ReadAsync(OmniConsoleDbContext db, long customerId, int limit, string? before, Filter? filter, CancellationToken ct)
    {
        var q = db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == customerId);
        if (filter?.Channels is { Count: > 0 } channels) q = q.Where(e => channels.Contains(e.Channel));
        if (filter?.Types is { Count: > 0 } types) q = q.Where(e => types.Contains(e.Type));
        if (filter?.FromUtc is { } from) q = q.Where(e => e.OccurredAtUtc >= from);
        if (filter?.ToUtc is { } to) q = q.Where(e => e.OccurredAtUtc < to);
        if (before is not null && TryDecode(before, out var at, out var id))
            q = q.Where(e => e.OccurredAtUtc < at || (e.OccurredAtUtc == at && e.Id < id));

        var rows = await q.OrderByDescending(e => e.OccurredAtUtc).ThenByDescending(e => e.Id)
            .Take(limit + 1)
            .Select(e => new Item(e.Id, e.SourceEventId, e.Type, e.Channel, e.OccurredAtUtc, e.Summary, e.Payload, e.OrderId, e.CampaignId, e.AmountMinor,
                e.Store == null ? null : e.Store.Name))
            .ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new Page(rows, more ? Encode(rows[^1].OccurredAtUtc, rows[^1].Id) : null);
    }

    public static bool IsValidCursor(string cursor) => TryDecode(cursor, out _, out _);

    private static string Encode(DateTime at, long id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{at.Ticks}:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string cursor, out DateTime at, out long id)
    {
        at = default;
        id = 0;
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(b64)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out id)
                || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                return false;
            at = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
