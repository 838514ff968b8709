using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using OmniConsole.Core.Data;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// Starts campaigns whose trigger is entering (or leaving) a saved segment (MANAGEMENT-API.md, Segment triggers). Each
/// pass re-evaluates every watched segment with the segment engine — so any cause counts: an event, a profile change,
/// points, time passing — and compares its members with those of the last pass, kept in <see cref="SegmentWatchMember"/>.
/// The first pass after launch only takes that snapshot: those already in the segment do not enter. Those who entered
/// (or left) and are in the campaign's audience enter the flow, each pass's change one occurrence, never twice at the
/// same time; their entry and the new snapshot are written in one transaction, so a crash neither loses nor repeats
/// an entry. Run by the campaign job every <see cref="Every"/> on one instance at a time (its lease).
/// </summary>
public sealed class SegmentTriggers(IDbContextFactory<OmniConsoleDbContext> dbFactory, SegmentService segments, WriteGate writeGate, TimeProvider clock,
    ILogger<SegmentTriggers> log)
{
    /// <summary>How often watched segments are compared: entries are seen within this and a pass's time (the contract: 5 minutes).</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    /// <summary>Snapshot rows written or deleted per statement.</summary>
    private const int Chunk = 2_000;

    /// <summary>One pass over the running segment-triggered campaigns; how many customers entered a flow.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Campaign> running;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            running = await db.Campaigns.AsNoTracking().Where(c => c.Status == CampaignStatus.Running).OrderBy(c => c.LaunchedAtUtc).ToListAsync(ct);
            // A stopped campaign's snapshot is of no more use (a paused one keeps its own, to compare with when it resumes).
            foreach (var done in await db.SegmentWatches.Where(w => db.Campaigns.Any(c => c.Id == w.CampaignId && c.Status == CampaignStatus.Stopped))
                         .Select(w => w.CampaignId).ToListAsync(ct))
                using (await writeGate.EnterAsync(ct))
                {
                    await db.SegmentWatchMembers.Where(m => m.CampaignId == done).ExecuteDeleteAsync(ct);
                    await db.SegmentWatches.Where(w => w.CampaignId == done).ExecuteDeleteAsync(ct);
                }
        }
        var entered = 0;
        foreach (var campaign in running)
        {
            var input = JsonValue.Deserialize<CampaignInput>(campaign.DefinitionJson ?? "{}");
            if (CampaignDefinition.ParseTrigger(input) is not { SegmentId: { } watched } trigger || !trigger.Kind.WatchesSegment()) continue;
            try { entered += await PassAsync(campaign, input, trigger.Kind, watched, ct); }
            catch (SegmentValidationException ex)
            {
                log.LogWarning("Campaign {Campaign}: its segments cannot be computed ({Error}); no one entered", campaign.Id, ex.Message);
            }
        }
        return entered;
    }

    private async Task<int> PassAsync(Campaign campaign, CampaignInput input, TriggerKind kind, int watchedId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var watchedJson = await db.Segments.Where(s => s.Id == watchedId).Select(s => s.DefinitionJson).FirstOrDefaultAsync(ct);
        if (watchedJson is null) return 0;
        var current = (await (await segments.MembersQueryAsync(db, SegmentService.ParseOrThrow(watchedJson), null, ct)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
        var watch = await db.SegmentWatches.AsNoTracking().FirstOrDefaultAsync(w => w.CampaignId == campaign.Id, ct);
        var previous = watch is null ? [] : (await db.SegmentWatchMembers.AsNoTracking().Where(m => m.CampaignId == campaign.Id).Select(m => m.CustomerId).ToListAsync(ct)).ToHashSet();
        var came = current.Where(id => !previous.Contains(id)).Order().ToList();
        var went = previous.Where(id => !current.Contains(id)).Order().ToList();

        // Who enters the flow: those who moved the trigger's way, and are in the campaign's audience now.
        List<(long Id, string Occurrence)> picks = [];
        if (watch is not null && (kind == TriggerKind.SegmentEntered ? came : went) is { Count: > 0 } movers
            && await CampaignTriggers.AudienceAsync(segments, db, campaign.SegmentId, input, ct) is { } audience)
        {
            var occurrence = (kind == TriggerKind.SegmentEntered ? "entered:" : "left:") + (watch.Passes + 1).ToString(CultureInfo.InvariantCulture) + ":"
                + now.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            foreach (var chunk in movers.Chunk(Chunk))
                picks.AddRange((await audience.Where(c => EF.Parameter(chunk).Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).Select(id => (id, occurrence)));
        }

        int inserted;
        using (await writeGate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Still running: a campaign paused or stopped meanwhile takes no one (its next pass after a resume sees them).
            if (await db.Campaigns.Where(c => c.Id == campaign.Id && c.Status == CampaignStatus.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Version, c => c.Version), ct) != 1)
                return 0;
            inserted = picks.Count == 0 ? 0
                : await CampaignTriggers.InsertRecipientsAsync(db, tx.GetDbTransaction(), campaign.Id, picks, input.ControlGroupPercent, now, ct);
            await db.Family().InsertRowsAsync(db, came.Select(id => new SegmentWatchMember { CampaignId = campaign.Id, CustomerId = id }).ToList(), null, null, ct);
            foreach (var chunk in went.Chunk(Chunk))
                await db.SegmentWatchMembers.Where(m => m.CampaignId == campaign.Id && EF.Parameter(chunk).Contains(m.CustomerId)).ExecuteDeleteAsync(ct);
            if (watch is null)
                db.SegmentWatches.Add(new SegmentWatch { CampaignId = campaign.Id, SegmentId = watchedId, TakenAtUtc = now, LastPassAtUtc = now, Passes = 1, Members = current.Count });
            else
                await db.SegmentWatches.Where(w => w.CampaignId == campaign.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.LastPassAtUtc, now).SetProperty(w => w.Passes, w => w.Passes + 1).SetProperty(w => w.Members, current.Count), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (watch is null) log.LogInformation("Campaign {Campaign}: watching segment {Segment} ({Count} members now, who do not enter)", campaign.Id, watchedId, current.Count);
        else if (inserted > 0) log.LogInformation("Campaign {Campaign}: {Count} customers entered on {Kind} of segment {Segment}", campaign.Id, inserted, kind, watchedId);
        return inserted;
    }
}
