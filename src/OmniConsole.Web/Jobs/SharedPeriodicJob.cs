using OmniConsole.Core.Jobs;

namespace OmniConsole.Web.Jobs;

/// <summary>
/// A periodic job of the shared work, run once per <see cref="Period"/> across instances. Every instance that does
/// background work looks once a minute (or each period, if shorter); the one that gets the job's lease
/// (<see cref="JobLeases"/>) runs it when a period has passed since its last run on any instance.
/// </summary>
internal abstract class SharedPeriodicJob(JobLeases leases, ILogger log) : RepeatingJob(log)
{
    protected abstract string Name { get; }
    protected abstract TimeSpan Period { get; }
    /// <summary>Longer than a run takes: a run whose instance died is run by another after this.</summary>
    protected virtual TimeSpan HoldFor => TimeSpan.FromMinutes(10);
    protected abstract Task WorkAsync(CancellationToken ct);

    protected override TimeSpan Every => Period < TimeSpan.FromMinutes(1) ? Period : TimeSpan.FromMinutes(1);
    protected override Task RunOnceAsync(CancellationToken ct) => leases.RunDueAsync(Name, Period, HoldFor, WorkAsync, ct);
}
