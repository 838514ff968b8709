using OmniConsole.Core.Dashboard;
using OmniConsole.Core.Jobs;

namespace OmniConsole.Web.Jobs;

/// <summary>
/// At start, then every <see cref="DashboardFigures.RefreshEvery"/>, on one instance: the dashboard's figures of every period,
/// stored for every web instance (a period takes seconds at a million customers), so the page shows kept figures at once
/// and says when they were computed.
/// </summary>
internal sealed class DashboardFiguresJob(DashboardFigures figures, JobLeases leases, ILogger<DashboardFiguresJob> log) : SharedPeriodicJob(leases, log)
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
