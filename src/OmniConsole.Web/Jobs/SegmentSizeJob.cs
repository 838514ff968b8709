using OmniConsole.Core.Jobs;

namespace OmniConsole.Web.Jobs;

/// <summary>Once an hour, today's count of every segment for its size-history chart (one row a day, overwritten).</summary>
internal sealed class SegmentSizeJob(OmniConsole.Core.Segments.SegmentService segments, JobLeases leases, ILogger<SegmentSizeJob> log) : SharedPeriodicJob(leases, log)
{
    protected override string Name => "segment-sizes";
    protected override TimeSpan Period => TimeSpan.FromHours(1);
    protected override TimeSpan HoldFor => TimeSpan.FromMinutes(30);

    protected override Task WorkAsync(CancellationToken ct) => segments.RecordSizesAsync(ct);
}
