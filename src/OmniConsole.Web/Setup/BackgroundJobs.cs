using OmniConsole.Core.Dashboard;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Setup;

public static class BackgroundJobs
{
    public static void AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<BonusLifecycleJob>();
        builder.Services.AddHostedService<DatabaseMaintenanceJob>();
        builder.Services.AddHostedService<ExportJob>();
        builder.Services.AddHostedService<AuditJournalJob>();
        builder.Services.AddHostedService<ExportRetentionJob>();
        builder.Services.AddHostedService<SegmentSizeJob>();
        builder.Services.AddHostedService<LoyaltyDailyJob>();
        builder.Services.AddHostedService<LoyaltyReportJob>();
        builder.Services.AddHostedService<DashboardFiguresJob>();
        builder.Services.AddHostedService<CampaignJob>();
    }
}

/// <summary>
/// Campaigns at work: triggers (customers entering triggered campaigns), the flow (enrolment, waits, the outbox rows of
/// send steps), the dispatcher (sending, a loop per channel), and the sandbox's simulated opens and clicks. It goes again at once while there is work, else once a second.
/// </summary>
internal sealed class CampaignJob(Core.Campaigns.CampaignFlow flow, Core.Campaigns.CampaignTriggers triggers, Core.Campaigns.OutboxDispatcher dispatcher,
    Core.Campaigns.MessageTracking tracking, Microsoft.Extensions.Options.IOptions<Core.Campaigns.MessagingOptions> options, ILogger<CampaignJob> log) : BackgroundService
{
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
                    var busy = false;
                    // The cart and birthday checks read every customer: once a minute, not every second.
                    if (Environment.TickCount64 >= nextTriggers)
                    {
                        busy |= await triggers.RunOnceAsync(ct) > 0;
                        nextTriggers = Environment.TickCount64 + 60_000;
                    }
                    return busy | await flow.RunOnceAsync(ct);
                }, stoppingToken, restShare: FlowRestShare),
                dispatcher.RunAsync(stoppingToken), // a loop per channel: a hanging provider holds up only its own channel
                LoopAsync("sandbox reactions", async ct => await tracking.ApplySandboxAsync(ct) > 0, stoppingToken));
        }
        catch (OperationCanceledException) { }
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
internal sealed class BonusLifecycleJob(BonusLifecycle lifecycle, ILogger<BonusLifecycleJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The interval is wall-clock time; what is due is decided by the injected clock inside RunOnceAsync.
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        do
        {
            try
            {
                var handled = await lifecycle.RunOnceAsync(stoppingToken);
                if (handled > 0) log.LogInformation("Bonus lifecycle: {Count} lots activated or expired", handled);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A conflict with ingestion is retried on the next tick.
                log.LogWarning(ex, "Bonus lifecycle run failed; retrying next minute");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>The export worker: segment reports are written one at a time in the background.</summary>
internal sealed class ExportJob(OmniConsole.Core.Exports.ExportService exports) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await exports.RunQueueAsync(stoppingToken); }
        catch (OperationCanceledException) { } // shutting down; unfinished jobs are picked up at the next start
    }
}

/// <summary>At start and then hourly: exports past their retention period lose their file and read "expired".</summary>
/// <summary>Every second, the audit journal's entries (API reads, staff searches) into the database; once more on the way out.</summary>
internal sealed class AuditJournalJob(OmniConsole.Core.Audit.AuditLog audit, ILogger<AuditJournalJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                try { await audit.FlushAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "Audit journal not moved into the database; it stays on disk and is tried again"); }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await audit.FlushAsync(cancellationToken); }
        catch (Exception ex) { log.LogWarning(ex, "Audit journal left on disk at shutdown; the next start moves it"); }
    }
}

internal sealed class ExportRetentionJob(OmniConsole.Core.Exports.ExportService exports, ILogger<ExportRetentionJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
            do
            {
                try
                {
                    var expired = await exports.ExpireAsync(stoppingToken);
                    if (expired > 0) log.LogInformation("Exports: {Count} past their retention period deleted", expired);
                }
                catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "Export retention pass failed; trying again in an hour"); }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }
}

/// <summary>Once an hour, today's count of every segment for its size-history chart (one row a day, overwritten).</summary>
internal sealed class SegmentSizeJob(OmniConsole.Core.Segments.SegmentService segments, ILogger<SegmentSizeJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try { await segments.RecordSizesAsync(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "Segment sizes not recorded; trying again in an hour"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// Hourly (so a restart or a time-zone edge never skips a day; both steps are no-ops once done): birthday points for
/// customers born today, and tiers of customers whose purchases left the 365-day window.
/// </summary>
internal sealed class LoyaltyDailyJob(BirthdayBonuses birthdays, TierService tiers, ILogger<LoyaltyDailyJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        try
        {
            do
            {
                try
                {
                    var granted = await birthdays.RunOnceAsync(stoppingToken);
                    var changed = await tiers.RecomputeAgedAsync(stoppingToken);
                    if (granted + changed > 0) log.LogInformation("Loyalty: {Granted} birthday bonus(es), {Changed} tier change(s)", granted, changed);
                }
                catch (Exception ex) when (ex is not OperationCanceledException) { log.LogWarning(ex, "Loyalty daily job failed; trying again in an hour"); }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { } // shutting down
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
/// At start, then every <see cref="DashboardFigures.RefreshEvery"/>: the dashboard's figures of every period, so the
/// page shows kept figures at once (a period takes seconds at a million customers) and says when they were computed.
/// </summary>
internal sealed class DashboardFiguresJob(DashboardFigures figures, ILogger<DashboardFiguresJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(DashboardFigures.RefreshEvery);
            do
            {
                foreach (var period in Enum.GetValues<DashboardPeriod>()) // the page's default period first
                {
                    try
                    {
                        var s = await figures.RefreshAsync(period, stoppingToken);
                        log.LogDebug("Dashboard figures for {Period} computed in {Ms:0} ms", period, s.Took.TotalMilliseconds);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        log.LogWarning(ex, "Dashboard figures for {Period} not computed; the page computes them when opened", period);
                    }
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }
}
