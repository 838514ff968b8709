using OmniConsole.Core.Jobs;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Jobs;

/// <summary>
/// Hourly (so a restart or a time-zone edge never skips a day; both steps are no-ops once done): birthday points for
/// customers born today, and tiers of customers whose purchases left the 365-day window.
/// </summary>
internal sealed class LoyaltyDailyJob(BirthdayBonuses birthdays, TierService tiers, JobLeases leases, ILogger<LoyaltyDailyJob> log) : SharedPeriodicJob(leases, log)
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
