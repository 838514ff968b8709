using OmniConsole.Core.Jobs;

namespace OmniConsole.Web.Jobs;

/// <summary>Hourly: exports past their retention period lose their file and read "expired".</summary>
internal sealed class ExportRetentionJob(OmniConsole.Core.Exports.ExportService exports, JobLeases leases, ILogger<ExportRetentionJob> log) : SharedPeriodicJob(leases, log)
{
    protected override string Name => "export-retention";
    protected override TimeSpan Period => TimeSpan.FromHours(1);

    protected override async Task WorkAsync(CancellationToken ct)
    {
        var expired = await exports.ExpireAsync(ct);
        if (expired > 0) Log.LogInformation("Exports: {Count} past their retention period deleted", expired);
    }
}
