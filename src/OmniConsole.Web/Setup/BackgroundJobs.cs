using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Setup;

public static class BackgroundJobs
{
    public static void AddBackgroundJobs(this WebApplicationBuilder builder) =>
        builder.Services.AddHostedService<BonusLifecycleJob>();
}

/// <summary>Once a minute, puts due bonus activations and expiries on the timeline.</summary>
internal sealed class BonusLifecycleJob(BonusLifecycle lifecycle, TimeProvider clock, ILogger<BonusLifecycleJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
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
