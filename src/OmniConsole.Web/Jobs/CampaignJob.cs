using OmniConsole.Core.Jobs;

namespace OmniConsole.Web.Jobs;

/// <summary>
/// Campaigns at work: triggers (customers entering triggered campaigns), the flow (enrolment, waits, the outbox rows of
/// send steps), the dispatcher (sending, a loop per channel), and the sandbox's simulated opens and clicks. Unlike the
/// periodic jobs (<see cref="RepeatingJob"/>) it is a worker: each loop goes again at once while there is work, else once a second.
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
    /// After a busy pass the flow rests as long as the pass took: a launch to a million recipients fills the outbox in
    /// twice the time, well inside its target, and lookups at the tills keep a core meanwhile (docs/benchmarks.md).
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
