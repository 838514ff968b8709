using OmniConsole.Core.Dashboard;

namespace OmniConsole.Web.Jobs;

/// <summary>Every 30 seconds, a web instance takes in the dashboard figures another instance computed and stored.</summary>
internal sealed class StoredDashboardJob(DashboardFigures figures, ILogger<StoredDashboardJob> log) : RepeatingJob(log)
{
    protected override TimeSpan Every => TimeSpan.FromSeconds(30);
    protected override Task RunOnceAsync(CancellationToken ct) => figures.TakeInStoredAsync(ct);
}
