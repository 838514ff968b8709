using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Core.Channels;

/// <summary>
/// Applies a batch of channel events (POST /api/v1/events): validates each, then applies the valid ones in order in
/// one transaction. On SQLite batches are applied one at a time in this process, in turn with the other writers of the
/// <see cref="WriteGate"/> (SQLite has one writer anyway); on a server database they run side by side. Between batches
/// that race (in this process or another) the customers' and promo codes' concurrency tokens, the unique indexes and the
/// server's serialization errors make the loser retry from scratch.
/// </summary>
public sealed class EventIngestionService(
    IDbContextFactory<OmniConsoleDbContext> dbFactory,
    EventValidator validator,
    WriteGate writeGate,
    IWriterConnection writerConnection,
    IOptions<OmniConsoleOptions> options,
    TimeProvider clock,
    CustomerChangeNotifier notifier,
    ILogger<EventIngestionService> log,
    Segments.SegmentService? segments = null)
{
    public const int MaxBatch = 1000;
    private const int MaxAttempts = 4;
    private readonly Segments.ChannelActivityWrites _activityWrites = new();

    public async Task<IReadOnlyList<EventResult>> IngestAsync(string source, IReadOnlyList<EventRequest> events, CancellationToken ct)
    {
        var timing = new BatchTiming();
        var checkedEvents = events.Select(e => validator.Validate(e, source)).ToList();
        timing.Lap("validate");
        using (await writeGate.EnterOrRefuseAsync(options.Value.RateLimits.MaxWaitingBatches, ct))
        {
            timing.Lap("wait");
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await ApplyAsync(source, events, checkedEvents, timing, ct);
                }
                catch (Exception ex) when (IsLostRace(ex))
                {
                    // Another writer changed a balance, a promo code or an identifier under us: start the batch again.
                    // (A database still locked after the busy timeout, or down, is not retried: the API answers 503 at once.)
                    // Still losing after every retry is busy, not broken: nothing was stored and the sender tries again.
                    if (attempt == MaxAttempts) throw new WriteConflictException(ex);
                    log.LogInformation(ex, "Batch from {Source} conflicted with another writer; retry {Attempt}", source, attempt);
                }
            }
        }
    }

    private bool IsLostRace(Exception ex)
    {
        var family = dbFactory.Family();
        return family.IsConflict(ex) || (ex is DbUpdateException && !family.IsBusy(ex));
    }

    private async Task<IReadOnlyList<EventResult>> ApplyAsync(string source, IReadOnlyList<EventRequest> events,
        List<(ValidEvent? Event, List<FieldError> Errors)> checkedEvents, BatchTiming timing, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        writerConnection.Use(db);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var loyalty = await LoyaltyRules.LoadAsync(db, options.Value.Loyalty.MaxRedeemShare, ct);
        var run = new IngestionRun(db, source, now, loyalty, _activityWrites, segments) { Timing = timing };
        var valid = checkedEvents.Select(c => c.Event).OfType<ValidEvent>().ToList();
        await run.PreloadAsync(valid, ct);
        timing.Lap("catalogue");

        var outcomes = new IngestionRun.Outcome[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            outcomes[i] = checkedEvents[i].Event is { } e
                ? await run.ApplyAsync(e, ct)
                : new IngestionRun.Outcome(EventStatus.Rejected, null, checkedEvents[i].Errors);
        }
        timing.Lap("apply");
        await run.SaveAsync(ct);
        await run.RecordLoyaltyTotalsAsync(ct);
        await tx.CommitAsync(ct);
        timing.Lap("commit");
        _activityWrites.Remember(run.ActivityWritten);
        if (log.IsEnabled(LogLevel.Debug))
            log.LogDebug("Batch from {Source}: {Count} events; {Timing}; {Pages} pages written", source, events.Count, timing, writerConnection.PagesWrittenSinceLastAsked());

        notifier.Publish(run.Touched.Select(c => c.Id).Concat(run.MergedAway).ToHashSet());
        return outcomes.Select((o, i) => new EventResult(
            checkedEvents[i].Event?.EventId ?? events[i].EventId, o.Status,
            o.Customer?.Id.ToString(CultureInfo.InvariantCulture), o.Errors)).ToList();
    }
}
