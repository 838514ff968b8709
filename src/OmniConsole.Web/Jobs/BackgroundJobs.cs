using OmniConsole.Core;
using OmniConsole.Core.Jobs;

namespace OmniConsole.Web.Jobs;

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
