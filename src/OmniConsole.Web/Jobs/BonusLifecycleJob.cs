using OmniConsole.Core.Jobs;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Jobs;

/// <summary>Once a minute, puts due bonus activations and expiries on the timeline.</summary>
internal sealed class BonusLifecycleJob(BonusLifecycle lifecycle, JobLeases leases, ILogger<BonusLifecycleJob> log) : SharedPeriodicJob(leases, log)
{
    protected override string Name => "bonus-lifecycle";
    protected override TimeSpan Period => TimeSpan.FromMinutes(1);
    protected override TimeSpan HoldFor => TimeSpan.FromMinutes(5);

    // What is due is decided by the injected clock inside RunOnceAsync; a conflict with ingestion is retried at the next look.
    protected override async Task WorkAsync(CancellationToken ct)
    {
        var handled = await lifecycle.RunOnceAsync(ct);
        if (handled > 0) Log.LogInformation("Bonus lifecycle: {Count} lots activated or expired", handled);
    }
}
