using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// Moves recipients through their campaign's flow, in chunks and in turn with the other writers: enrols a launched
/// campaign's audience (resuming where it stopped after a restart), lets those who reacted during a wait leave,
/// starts waits, and writes a send step's outbox rows (one per recipient, unique, in the same transaction as the
/// recipient's move, so a crash can neither lose nor double them). The dispatcher sends; when a recipient's message is
/// done, their next step becomes due.
/// </summary>
public sealed class CampaignFlow(IDbContextFactory<OmniConsoleDbContext> dbFactory, SegmentService segments, WriteGate writeGate, TimeProvider clock,
    ILogger<CampaignFlow> log)
{
    public const int EnrolChunk = 20_000;
    public const int StepChunk = 5_000;

    /// <summary>One pass over the running campaigns; true when anything moved (the job then goes again at once).</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        List<Campaign> running;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            running = await db.Campaigns.AsNoTracking().Where(c => c.Status == CampaignStatus.Running).OrderBy(c => c.LaunchedAtUtc).ToListAsync(ct);
        var moved = false;
        foreach (var campaign in running)
        {
            var input = JsonValue.Deserialize<CampaignInput>(campaign.DefinitionJson ?? "{}");
            var steps = CampaignDefinition.Parse(input);
            if (steps.Count == 0) continue;
            if (input.Trigger is null && !campaign.EnrollmentDone) moved |= await EnrolAsync(campaign, input, steps[0], ct);
            for (var j = 0; j <= steps.Count; j++) moved |= await AdvanceAsync(campaign.Id, steps, j, ct);
            if (input.Trigger is null && (campaign.EnrollmentDone || moved)) await CompleteIfDoneAsync(campaign.Id, ct);
        }
        return moved;
    }

    private async Task<bool> EnrolAsync(Campaign campaign, CampaignInput input, ParsedStep first, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        List<long> ids = [];
        if (await CampaignTriggers.AudienceAsync(segments, db, campaign.SegmentId, input, ct) is { } members)
        {
            var after = campaign.EnrolledUpToId;
            ids = await members.Where(c => c.Id > after).OrderBy(c => c.Id).Select(c => c.Id).Take(EnrolChunk).ToListAsync(ct);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        using (await writeGate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await HoldIfRunningAsync(db, campaign.Id, ct)) return false;
            // A first send step's outbox rows are written with the recipients (half the writes of taking step 0 later).
            // The control group is recorded and goes no further.
            var recipients = ids.Select(id => Experiment.IsControl(campaign.Id, id, input.ControlGroupPercent)
                ? new CampaignRecipient { CampaignId = campaign.Id, CustomerId = id, State = RecipientState.Control, EnteredAtUtc = now }
                : new CampaignRecipient
                {
                    CampaignId = campaign.Id, CustomerId = id, State = RecipientState.Active, EnteredAtUtc = now,
                    StepIndex = first.IsSend ? 1 : 0, DueAtUtc = first.IsSend ? null : now,
                }).ToList();
            await db.Family().InsertRowsAsync(db, recipients, null, (r, id) => r.Id = id, ct);
            if (first.IsSend)
                await db.Family().InsertRowsAsync(db, recipients.Where(r => r.State == RecipientState.Active)
                    .Select(r => Message(campaign.Id, first, r.Id, r.CustomerId, now)).ToList(), null, null, ct);
            var done = ids.Count < EnrolChunk;
            var last = ids.Count > 0 ? ids[^1] : campaign.EnrolledUpToId;
            await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.EnrolledUpToId, last).SetProperty(c => c.EnrollmentDone, done).SetProperty(c => c.Audience, c => c.Audience + ids.Count), ct);
            await tx.CommitAsync(ct);
            campaign.EnrolledUpToId = last;
            campaign.EnrollmentDone = done;
        }
        if (ids.Count > 0) log.LogInformation("Campaign {Campaign}: {Count} more recipients enrolled", campaign.Id, ids.Count);
        return ids.Count > 0;
    }

    /// <summary>Recipients whose turn has come at step <paramref name="j"/> (or past the last step), one chunk.</summary>
    private async Task<bool> AdvanceAsync(string campaignId, List<ParsedStep> steps, int j, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = db.CampaignRecipients.Where(r => r.State == RecipientState.Active && r.CampaignId == campaignId && r.StepIndex == j && r.DueAtUtc <= now);
        if (!await due.AnyAsync(ct)) return false;
        using (await writeGate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await HoldIfRunningAsync(db, campaignId, ct)) return false;
            // Chosen inside the writers' turn, so the chunk is still as chosen when it is written; written by id alone, so
            // SQLite looks each row up by key instead of walking the state index over every active recipient.
            // One parameter for the chunk's ids (a JSON array): EF would otherwise make 5,000 parameters of them.
            var ids = await due.OrderBy(r => r.Id).Select(r => r.Id).Take(StepChunk).ToListAsync(ct);
            var chunk = db.CampaignRecipients.Where(r => EF.Parameter(ids).Contains(r.Id));
            // Those who reacted during the wait before this step leave the flow: the next message is for the others.
            if (j > 0 && steps[j - 1] is { Wait: not null, Unless: { } unless })
            {
                var reacted = unless switch
                {
                    WaitUnless.Opened => chunk.Where(r => db.Outbox.Any(m => m.Id == r.LastMessageId && m.OpenedAtUtc != null)),
                    WaitUnless.Clicked => chunk.Where(r => db.Outbox.Any(m => m.Id == r.LastMessageId && m.ClickedAtUtc != null)),
                    _ => chunk.Where(r => db.Orders.Any(o => o.CustomerId == r.CustomerId && o.Status == OrderStatus.Purchased
                        && o.OccurredAtUtc >= (r.LastSentAtUtc ?? r.EnteredAtUtc))),
                };
                var left = await reacted.Select(r => r.Id).ToListAsync(ct);
                if (left.Count > 0)
                {
                    await db.CampaignRecipients.Where(r => EF.Parameter(left).Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RecipientState.Left), ct);
                    ids = ids.Except(left).ToList();
                    chunk = db.CampaignRecipients.Where(r => EF.Parameter(ids).Contains(r.Id));
                }
            }
            if (j == steps.Count)
                await chunk.ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RecipientState.Finished).SetProperty(r => r.DueAtUtc, (DateTime?)null), ct);
            else if (steps[j].Wait is { } wait)
                await chunk.ExecuteUpdateAsync(s => s.SetProperty(r => r.StepIndex, j + 1).SetProperty(r => r.DueAtUtc, now + wait), ct);
            else
            {
                var going = await chunk.Select(r => new { r.Id, r.CustomerId }).ToListAsync(ct);
                await db.Family().InsertRowsAsync(db, going.Select(r => Message(campaignId, steps[j], r.Id, r.CustomerId, now)).ToList(), null, null, ct);
                await chunk.ExecuteUpdateAsync(s => s.SetProperty(r => r.StepIndex, j + 1).SetProperty(r => r.DueAtUtc, (DateTime?)null), ct);
            }
            await tx.CommitAsync(ct);
        }
        return true;
    }

    /// <summary>A send step's message to one recipient: in the channel of the variant they get, when the step has variants.</summary>
    private static OutboxMessage Message(string campaignId, ParsedStep step, long recipientId, long customerId, DateTime now)
    {
        var variant = Experiment.VariantOf(campaignId, step.Index, customerId, step.Variants);
        return new OutboxMessage
        {
            CampaignId = campaignId, StepIndex = step.Index, RecipientId = recipientId, CustomerId = customerId, Variant = variant,
            Channel = step.ForVariant(variant).Channel!.Value, Status = MessageStatus.Pending, DueAtUtc = now,
        };
    }

    /// <summary>
    /// First thing in a transaction that writes recipients or messages: true while the campaign still runs, and then
    /// its row is held until the transaction ends. A pause or stop either came first (nothing is written: a stopped
    /// campaign's million enrolled after its stop would wait in the outbox for ever) or waits for this commit and then
    /// skips what it wrote.
    /// </summary>
    private static async Task<bool> HoldIfRunningAsync(OmniConsoleDbContext db, string campaignId, CancellationToken ct) =>
        await db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Version, c => c.Version), ct) == 1;

    private async Task CompleteIfDoneAsync(string campaignId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.FirstAsync(c => c.Id == campaignId, ct);
        if (campaign.Status != CampaignStatus.Running || !campaign.EnrollmentDone) return;
        if (await db.CampaignRecipients.AnyAsync(r => r.CampaignId == campaignId && r.State == RecipientState.Active, ct)) return;
        if (await db.Outbox.AnyAsync(m => m.CampaignId == campaignId && m.Status == MessageStatus.Pending, ct)) return;
        campaign.Status = CampaignStatus.Completed;
        campaign.FinishedAtUtc = clock.GetUtcNow().UtcDateTime;
        campaign.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { } // paused or stopped meanwhile: that status stands
    }
}
