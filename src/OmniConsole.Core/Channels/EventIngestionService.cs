using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Core.Channels;

/// <summary>
/// Applies a batch of channel events (POST /api/v1/events): validates each, then applies the valid ones in order in
/// one transaction. Batches are applied one at a time in this process (SQLite has one writer anyway); across processes
/// the customers' and promo codes' concurrency tokens and the unique indexes make a racing batch retry from scratch.
/// </summary>
public sealed class EventIngestionService(
    IDbContextFactory<OmniConsoleDbContext> dbFactory,
    EventValidator validator,
    IOptions<OmniConsoleOptions> options,
    TimeProvider clock,
    CustomerChangeNotifier notifier,
    ILogger<EventIngestionService> log)
{
    public const int MaxBatch = 1000;
    private const int MaxAttempts = 4;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<IReadOnlyList<EventResult>> IngestAsync(string source, IReadOnlyList<EventRequest> events, CancellationToken ct)
    {
        var checkedEvents = events.Select(e => validator.Validate(e, source)).ToList();
        await _writer.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await ApplyAsync(source, events, checkedEvents, ct);
                }
                catch (DbUpdateException ex) when (attempt < MaxAttempts)
                {
                    // Another writer changed a balance, a promo code or an identifier under us: start the batch again.
                    log.LogInformation(ex, "Batch from {Source} conflicted with another writer; retry {Attempt}", source, attempt);
                }
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<IReadOnlyList<EventResult>> ApplyAsync(string source, IReadOnlyList<EventRequest> events,
        List<(ValidEvent? Event, List<FieldError> Errors)> checkedEvents, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rules = await db.EarningRules.AsNoTracking().Where(r => r.IsActive).ToListAsync(ct);
        var run = new IngestionRun(db, source, now, new LoyaltyPolicy(rules, options.Value.Loyalty.MaxRedeemShare));
        var valid = checkedEvents.Select(c => c.Event).OfType<ValidEvent>().ToList();
        await run.PreloadAsync(valid, ct);

        var outcomes = new IngestionRun.Outcome[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            outcomes[i] = checkedEvents[i].Event is { } e
                ? await run.ApplyAsync(e, ct)
                : new IngestionRun.Outcome(EventStatus.Rejected, null, checkedEvents[i].Errors);
        }
        await run.SaveAsync(ct);
        await tx.CommitAsync(ct);

        notifier.Publish(run.Touched.Select(c => c.Id).Concat(run.MergedAway).ToHashSet());
        return outcomes.Select((o, i) => new EventResult(
            checkedEvents[i].Event?.EventId ?? events[i].EventId, o.Status,
            o.Customer?.Id.ToString(CultureInfo.InvariantCulture), o.Errors)).ToList();
    }
}
