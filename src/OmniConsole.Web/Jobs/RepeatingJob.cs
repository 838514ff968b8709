namespace OmniConsole.Web.Jobs;

/// <summary>
/// The base of every periodic job: what it does (<see cref="RunOnceAsync"/>), how often (<see cref="Every"/>), when it
/// first runs (<see cref="FirstAfter"/>), and its failure handling: a failure is logged and the work runs again at the
/// next tick, so a database that is down or restarting never stops the app; only stopping the app ends the loop.
/// </summary>
internal abstract class RepeatingJob(ILogger log) : BackgroundService
{
    protected abstract TimeSpan Every { get; }
    /// <summary>How long after start the first run waits (none: at once).</summary>
    protected virtual TimeSpan FirstAfter => TimeSpan.Zero;
    protected abstract Task RunOnceAsync(CancellationToken ct);
    protected ILogger Log => log;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (FirstAfter > TimeSpan.Zero) await Task.Delay(FirstAfter, stoppingToken);
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
