using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Channels;

/// <summary>
/// Live cards across instances: each web instance reads the timeline rows written since its last look (by any instance)
/// and tells its open cards whose customer they belong to. A cursor over the timeline's key works on every database
/// (PostgreSQL's LISTEN/NOTIFY would serve one only), costs one key-range read a second, and needs no message broker.
/// </summary>
public sealed class CustomerChangeCursor(IDbContextFactory<OmniConsoleDbContext> dbFactory, CustomerChangeNotifier notifier)
{
    /// <summary>
    /// Keys read again below the highest seen: a server database hands keys out before commit, so a slower transaction can
    /// commit a lower key after a higher one was read. Rows already told are remembered and not told twice.
    /// </summary>
    public const int Lookback = 2_000;
    private const int MaxRows = 20_000;
    private long _highest = -1;
    private readonly HashSet<long> _seen = [];

    /// <summary>One look; the number of customers found changed. The first look only notes where the timeline ends.</summary>
    public async Task<int> PollAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var from = _highest < 0 ? (await db.CustomerEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0) - Lookback : _highest - Lookback;
        var rows = await db.CustomerEvents.AsNoTracking().Where(e => e.Id > from).OrderBy(e => e.Id).Take(MaxRows)
            .Select(e => new { e.Id, e.CustomerId }).ToListAsync(ct);
        var first = _highest < 0;
        var changed = rows.Where(r => _seen.Add(r.Id)).Select(r => r.CustomerId).Distinct().ToList();
        if (rows.Count > 0) _highest = Math.Max(_highest, rows[^1].Id);
        else if (first) _highest = Math.Max(0, from + Lookback);
        _seen.RemoveWhere(id => id <= _highest - Lookback);
        if (first || changed.Count == 0) return 0;
        notifier.PublishFound(changed);
        return changed.Count;
    }
}
