namespace OmniConsole.Web.Jobs;

/// <summary>
/// The export worker: segment reports are written one at a time in the background. A queue worker rather than a periodic
/// job: it wakes when a job is queued here, and looks for other instances' jobs every second (ExportService.RunQueueAsync).
/// </summary>
internal sealed class ExportJob(OmniConsole.Core.Exports.ExportService exports) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await exports.RunQueueAsync(stoppingToken); }
        catch (OperationCanceledException) { } // shutting down; an unfinished job is picked up by the next holder of the queue
    }
}
