using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Campaigns.Delivery;

/// <summary>
/// Which dispatcher holds which outbox rows. A claim is a conditional update (rows nobody holds, or whose holder's claim
/// ran out after a crash), so two instances never take the same row; it counts an attempt, so a batch that never
/// finishes still uses its attempts up. Before each send to a real provider the holder renews its claim on what is left
/// of the batch and checks it still holds the message: a claim that ran out while it stalled is another's now.
/// </summary>
internal sealed class OutboxClaims(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, IOptions<MessagingOptions> messaging)
{
    /// <summary>This dispatcher's name on its claims: unique per process and start.</summary>
    public string Instance { get; } = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Channel, bool> _more = new();

    private TimeSpan ClaimFor => TimeSpan.FromSeconds(Math.Max(5, messaging.Value.ClaimSeconds));

    /// <summary>
    /// A claim's end, in whole milliseconds: it is compared with what the database gives back, and databases keep
    /// times at different precision (PostgreSQL to the microsecond; .NET's clock ticks in 100 ns).
    /// </summary>
    private DateTime ClaimEnd(DateTime now)
    {
        var until = now + ClaimFor;
        return until.AddTicks(-(until.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Claims up to <paramref name="size"/> of the channel's due messages of running campaigns, oldest first.</summary>
    public async Task<List<OutboxMessage>> ClaimAsync(Channel channel, DateTime now, int size, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = db.Campaigns.Where(c => c.Status == CampaignStatus.Running).Select(c => c.Id);
        var free = db.Outbox.Where(m => m.Status == MessageStatus.Pending && m.Channel == channel && m.DueAtUtc <= now
            && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now) && running.Contains(m.CampaignId));
        // Looked for first only when the last claim found the channel's queue short: no writer's turn, no transaction
        // while idle; a full batch says there is more (and a claim that then finds nothing costs one empty read).
        if (!_more.GetValueOrDefault(channel) && !await free.AnyAsync(ct)) return [];
        var until = ClaimEnd(now);
        List<long> candidates;
        using (await writeGate.EnterAsync(ct))
            candidates = await db.Family().ClaimOutboxAsync(db, free, new OutboxClaim(Instance, now, until, size), ct);
        _more[channel] = candidates.Count == size;
        return (await db.Outbox.AsNoTracking().Where(m => candidates.Contains(m.Id)).ToListAsync(ct))
            .Where(m => m.ClaimedBy == Instance && m.ClaimedUntilUtc == until).OrderBy(m => m.Id).ToList();
    }

    public enum Hold { Ours, Lost, CampaignNotRunning }

    /// <summary>
    /// Right before a send: renews this dispatcher's claim on the rest of its batch, holds the message itself for the
    /// claim plus <paramref name="sendTakesAtMost"/> (a send in flight is never taken by another instance; only a crashed
    /// holder's message is, with the same message id for the provider to drop the repeat), and says whether the message
    /// is still ours and pending (a stop marks it skipped; a claim that ran out may be another's) and its campaign still
    /// running (a pause or stop since the claim).
    /// </summary>
    public async Task<Hold> RenewAsync(OutboxMessage message, IReadOnlyCollection<long> restOfBatch, DateTime now, TimeSpan sendTakesAtMost, CancellationToken ct)
    {
        var until = ClaimEnd(now);
        var held = ClaimEnd(now + sendTakesAtMost);
        var rest = restOfBatch.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using (await writeGate.EnterAsync(ct))
        {
            // By key and holder alone (a condition on the status would let SQLite walk the status index instead).
            await db.Outbox.Where(m => m.Id == message.Id && m.ClaimedBy == Instance)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntilUtc, held), ct);
            if (rest.Count > 0)
                await db.Outbox.Where(m => rest.Contains(m.Id) && m.ClaimedBy == Instance)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntilUtc, until), ct);
        }
        var row = await db.Outbox.AsNoTracking().Where(m => m.Id == message.Id)
            .Select(m => new { m.ClaimedBy, m.ClaimedUntilUtc, m.Status, Campaign = db.Campaigns.Where(c => c.Id == m.CampaignId).Select(c => c.Status).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (row is null || row.ClaimedBy != Instance || row.ClaimedUntilUtc != held || row.Status != MessageStatus.Pending) return Hold.Lost;
        return row.Campaign == CampaignStatus.Running ? Hold.Ours : Hold.CampaignNotRunning;
    }
}
