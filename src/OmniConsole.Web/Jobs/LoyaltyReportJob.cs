using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Jobs;

/// <summary>
/// A minute after start, then every six hours: builds the loyalty report once, so the months that are over are read
/// before anyone opens /reports, which then reads only the current month.
/// </summary>
internal sealed class LoyaltyReportJob(LoyaltyReport report, ILogger<LoyaltyReportJob> log) : RepeatingJob(log)
{
    protected override TimeSpan FirstAfter => TimeSpan.FromMinutes(1); // after start-up's own work
    protected override TimeSpan Every => TimeSpan.FromHours(6);
    protected override Task RunOnceAsync(CancellationToken ct) => report.BuildAsync(ct);
}
