using OmniConsole.Core;
using OmniConsole.Core.Dashboard;
using OmniConsole.Core.Data;
using OmniConsole.Core.Jobs;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Setup;

/// <summary>
/// The background work, by what it is for (see docs/operations.md, several instances):
/// <list type="bullet">
/// <item>every instance's own: its audit journal into the database, its database housekeeping;</item>
/// <item>a web instance's (<c>All</c> or <c>Web</c>): the loyalty report's settled months, the dashboard's figures another
/// instance stored, live cards;</item>
/// <item>the shared work (<c>All</c> or <c>Worker</c>), done once across instances through <see cref="JobLeases"/>: the
/// periodic jobs once per period, the campaign flow and the export queue on one instance at a time, sending on every
/// worker (each message claimed by one).</item>
/// </list>
/// </summary>
public static class BackgroundJobs
{
    public static void AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        var role = builder.Configuration.GetValue($"{OmniConsoleOptions.Section}:{nameof(OmniConsoleOptions.Role)}", InstanceRole.All);
        builder.Services.AddHostedService<AuditJournalJob>();
        builder.Services.AddHostedService<DatabaseMaintenanceJob>();
        if (role != InstanceRole.Worker)
        {
            builder.Services.AddHostedService<LoyaltyReportJob>();
            builder.Services.AddHostedService<StoredDashboardJob>();
            builder.Services.AddHostedService<LiveCardsJob>();
        }
        if (role == InstanceRole.Web) return;
        builder.Services.AddHostedService<BonusLifecycleJob>();
        builder.Services.AddHostedService<DashboardFiguresJob>();
        builder.Services.AddHostedService<ExportJob>();
        builder.Services.AddHostedService<ExportRetentionJob>();
        builder.Services.AddHostedService<SegmentSizeJob>();
        builder.Services.AddHostedService<LoyaltyDailyJob>();
        builder.Services.AddHostedService<CampaignJob>();
    }
}

/// <summary>Runs its work at start, then every <see cref="Every"/> until the app stops; a failure is logged and the work runs again at the next tick.</summary>
internal abstract class RepeatingJob(ILogger log) : BackgroundService
{
    protected abstract TimeSpan Every { get; }
    protected abstract Task RunOnceAsync(CancellationToken ct);
    protected ILogger Log => log;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Every);
            do
            {
                try { await RunOnceAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "{Job} failed; it runs again in {Every}", GetType().Name, Every); }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { } // shutting down
    }
}

/// <summary>
/// A periodic job of the shared work. Every instance that does background work looks once a minute (or each period, if
/// shorter); the one that gets the job's lease runs it when a period has passed since its last run on any instance.
/// </summary>
internal abstract class PeriodicJob(JobLeases leases, ILogger log) : RepeatingJob(log)
{
    protected abstract string Name { get; }
    protected abstract TimeSpan Period { get; }
    /// <summary>Longer than a run takes: a run whose instance died is run by another after this.</summary>
    protected virtual TimeSpan HoldFor => TimeSpan.FromMinutes(10);
    protected abstract Task WorkAsync(CancellationToken ct);

    protected override TimeSpan Every => Period < TimeSpan.FromMinutes(1) ? Period : TimeSpan.FromMinutes(1);
    protected override Task RunOnceAsync(CancellationToken ct) => leases.RunDueAsync(Name, Period, HoldFor, WorkAsync, ct);
}

/// <summary>
/// Campaigns at work: triggers (customers entering triggered campaigns), the flow (enrolment, waits, the outbox rows of
/// send steps), the dispatcher (sending, a loop per channel), and the sandbox's simulated opens and clicks. It goes again at once while there is work, else once a second.
/// </summary>
internal sealed class CampaignJob(Core.Campaigns.CampaignFlow flow, Core.Campaigns.CampaignTriggers triggers, Core.Campaigns.SegmentTriggers segmentTriggers,
    Core.Campaigns.OutboxDispatcher dispatcher,
    Core.Campaigns.MessageTracking tracking, JobLeases leases, Microsoft.Extensions.Options.IOptions<Core.Campaigns.MessagingOptions> options, ILogger<CampaignJob> log) : BackgroundService
{
    /// <summary>
    /// The flow (triggers, enrolment, waits) and the sandbox's reactions run on one instance at a time, which renews its
    /// lease every pass; another takes over within this after it dies. Sending runs on every worker: a message is
    /// claimed by one dispatcher (see OutboxClaims).
    /// </summary>
    private static readonly TimeSpan FlowLease = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Dispatch) return;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken); // after start-up's own work
            // Loops side by side: filling the outbox does not wait for sending, nor sending for filling.
            var nextTriggers = 0L;
            await Task.WhenAll(
                LoopAsync("flow", async ct =>
                {
                    if (!await leases.HoldAsync("campaign-flow", FlowLease, ct)) return false;
                    var busy = false;
                    // The cart and birthday checks read every customer: once a minute, not every second.
                    if (Environment.TickCount64 >= nextTriggers)
                    {
                        busy |= await triggers.RunOnceAsync(ct) > 0;
                        busy |= await segmentTriggers.RunOnceAsync(ct) > 0;
                        nextTriggers = Environment.TickCount64 + (long)Core.Campaigns.SegmentTriggers.Every.TotalMilliseconds;
                    }
                    return busy | await flow.RunOnceAsync(ct);
                }, stoppingToken, restShare: FlowRestShare),
                dispatcher.RunAsync(stoppingToken), // a loop per channel: a hanging provider holds up only its own channel
                LoopAsync("sandbox reactions", async ct => await leases.HoldAsync("campaign-sandbox", FlowLease, ct) && await tracking.ApplySandboxAsync(ct) > 0, stoppingToken));
        }
        catch (OperationCanceledException) { }
        finally
        {
            try
            {
                await leases.ReleaseAsync("campaign-flow", CancellationToken.None);
                await leases.ReleaseAsync("campaign-sandbox", CancellationToken.None);
            }
            catch (Exception ex) { log.LogWarning(ex, "Campaign leases not released; they lapse within {Lease}", FlowLease); }
        }
    }

    /// <summary>
    /// After a busy pass the flow rests as long as the pass took: enrolling a million recipients then takes ~50 s instead
    /// of ~25 s (the outbox must be full within 2 minutes), and lookups keep a core while it runs (their p95 was 10.1 ms
    /// during a flat-out launch on 2 cores, 6-8 ms otherwise; README → Campaigns).
    /// </summary>
    private const double FlowRestShare = 1.0;

    /// <summary>
    /// Goes again while there is work (after resting <paramref name="restShare"/> × the pass's time), else once a second;
    /// a failure is logged and tried again.
    /// </summary>
    private async Task LoopAsync(string name, Func<CancellationToken, Task<bool>> once, CancellationToken stoppingToken, double restShare = 0)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            var started = Environment.TickCount64;
            try { busy = await once(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "Campaign {Loop} work failed; trying again shortly", name); }
            if (!busy) await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            else if (restShare > 0) await Task.Delay(TimeSpan.FromMilliseconds((Environment.TickCount64 - started) * restShare), stoppingToken);
        }
    }
}

/// <summary>Every second, open cards hear of their customers' new timeline rows, whichever instance wrote them (<see cref="Core.Channels.CustomerChangeCursor"/>).</summary>
internal sealed class LiveCardsJob(Core.Channels.CustomerChangeCursor cursor, ILogger<LiveCardsJob> log) : RepeatingJob(log)
{
    protected override TimeSpan Every => TimeSpan.FromSeconds(1);
    protected override Task RunOnceAsync(CancellationToken ct) => cursor.PollAsync(ct);
}

/// <summary>Every second, the database family's housekeeping, if it has any (SQLite: moves the write-ahead log into the database file and keeps it short).</summary>
internal sealed class DatabaseMaintenanceJob(IEnumerable<IDatabaseMaintenance> maintenance, ILogger<DatabaseMaintenanceJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var passes = maintenance.ToList();
        if (passes.Count == 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var pass in passes) await RunAsync(pass, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    private async Task RunAsync(IDatabaseMaintenance pass, CancellationToken ct)
    {
        try
        {
            if (await pass.RunAsync(ct) is { } done) log.LogDebug("{Done}", done);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Database maintenance failed; trying again shortly");
        }
    }
}

/// <summary>Once a minute, puts due bonus activations and expiries on the timeline.</summary>
internal sealed class BonusLifecycleJob(BonusLifecycle lifecycle, JobLeases leases, ILogger<BonusLifecycleJob> log) : PeriodicJob(leases, log)
{
    protected override string Name => "bonus-lifecycle";
    protected override TimeSpan Period => TimeSpan.FromMinutes(1);
    protected override TimeSpan HoldFor => TimeSpan.FromMinutes(5);

    // What is due is decided by the injected clock inside RunOnceAsync; a conflict with ingestion is retried at the next look.
    protected override async Task WorkAsync(CancellationToken ct)
    {
        var handled = await lifecycle.RunOnceAsync(ct);
        if (handled > 0) Log.LogInformation("Bonus lifecycle: {Count} lots activated or expired", handled);
    }
}

/// <summary>The export worker: segment reports are written one at a time in the background.</summary>
internal sealed class ExportJob(OmniConsole.Core.Exports.ExportService exports) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await exports.RunQueueAsync(stoppingToken); }
        catch (OperationCanceledException) { } // shutting down; an unfinished job is picked up by the next holder of the queue
    }
}

/// <summary>Every second, the audit journal's entries (API reads, staff searches) into the database; once more on the way out.</summary>
internal sealed class AuditJournalJob(OmniConsole.Core.Audit.AuditLog audit, ILogger<AuditJournalJob> log) : RepeatingJob(log)
{
    // A failed move leaves the journal on disk: the next tick tries again.
    protected override TimeSpan Every => TimeSpan.FromSeconds(1);
    protected override Task RunOnceAsync(CancellationToken ct) => audit.FlushAsync(ct);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await audit.FlushAsync(cancellationToken); }
        catch (Exception ex) { Log.LogWarning(ex, "Audit journal left on disk at shutdown; the next start moves it"); }
    }
}

/// <summary>Hourly: exports past their retention period lose their file and read "expired".</summary>
internal sealed class ExportRetentionJob(OmniConsole.Core.Exports.ExportService exports, JobLeases leases, ILogger<ExportRetentionJob> log) : PeriodicJob(leases, log)
{
    protected override string Name => "export-retention";
    protected override TimeSpan Period => TimeSpan.FromHours(1);

    protected override async Task WorkAsync(CancellationToken ct)
    {
        var expired = await exports.ExpireAsync(ct);
        if (expired > 0) Log.LogInformation("Exports: {Count} past their retention period deleted", expired);
    }
}

/// <summary>Once an hour, today's count of every segment for its size-history chart (one row a day, overwritten).</summary>
internal sealed class SegmentSizeJob(OmniConsole.Core.Segments.SegmentService segments, JobLeases leases, ILogger<SegmentSizeJob> log) : PeriodicJob(leases, log)
{
    protected override string Name => "segment-sizes";
    protected override TimeSpan Period => TimeSpan.FromHours(1);
    protected override TimeSpan HoldFor => TimeSpan.FromMinutes(30);

    protected override Task WorkAsync(CancellationToken ct) => segments.RecordSizesAsync(ct);
}

/// <summary>
/// Hourly (so a restart or a time-zone edge never skips a day; both steps are no-ops once done): birthday points for
/// customers born today, and tiers of customers whose purchases left the 365-day window.
/// </summary>
internal sealed class LoyaltyDailyJob(BirthdayBonuses birthdays, TierService tiers, JobLeases leases, ILogger<LoyaltyDailyJob> log) : PeriodicJob(leases, log)
{
    protected override string Name => "loyalty-daily";
    protected override TimeSpan Period => TimeSpan.FromHours(1);
    protected override TimeSpan HoldFor => TimeSpan.FromMinutes(30);

    protected override async Task WorkAsync(CancellationToken ct)
    {
        var granted = await birthdays.RunOnceAsync(ct);
        var changed = await tiers.RecomputeAgedAsync(ct);
        if (granted + changed > 0) Log.LogInformation("Loyalty: {Granted} birthday bonus(es), {Changed} tier change(s)", granted, changed);
    }
}

/// <summary>
/// A minute after start, then every six hours: builds the loyalty report once, so the months that are over are read
/// (1.9 s for all eleven at a million customers) before anyone opens /reports, which then reads only the current month.
/// </summary>
internal sealed class LoyaltyReportJob(LoyaltyReport report, ILogger<LoyaltyReportJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken); // after start-up's own work
            using var timer = new PeriodicTimer(TimeSpan.FromHours(6));
            do
            {
                try { await report.BuildAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "Loyalty report not prepared; trying again in six hours"); }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }
}

/// <summary>
/// At start, then every <see cref="DashboardFigures.RefreshEvery"/>, on one instance: the dashboard's figures of every period,
/// stored for every web instance (a period takes seconds at a million customers), so the page shows kept figures at once
/// and says when they were computed.
/// </summary>
internal sealed class DashboardFiguresJob(DashboardFigures figures, JobLeases leases, ILogger<DashboardFiguresJob> log) : PeriodicJob(leases, log)
{
    protected override string Name => "dashboard-figures";
    protected override TimeSpan Period => DashboardFigures.RefreshEvery;

    protected override async Task WorkAsync(CancellationToken ct)
    {
        foreach (var period in Enum.GetValues<DashboardPeriod>()) // the page's default period first
        {
            var s = await figures.RefreshAsync(period, ct);
            Log.LogDebug("Dashboard figures for {Period} computed in {Ms:0} ms", period, s.Took.TotalMilliseconds);
        }
    }
}

/// <summary>Every 30 seconds, a web instance takes in the dashboard figures another instance computed and stored.</summary>
internal sealed class StoredDashboardJob(DashboardFigures figures, ILogger<StoredDashboardJob> log) : RepeatingJob(log)
{
    protected override TimeSpan Every => TimeSpan.FromSeconds(30);
    protected override Task RunOnceAsync(CancellationToken ct) => figures.TakeInStoredAsync(ct);
}
