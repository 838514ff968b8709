namespace OmniConsole.Web.Jobs;

/// <summary>Every second, the audit journal's entries (API reads, staff searches) into the database; once more on the way out.</summary>
internal sealed class AuditJournalJob(OmniConsole.Core.Audit.AuditLog audit, ILogger<AuditJournalJob> log) : RepeatingJob(log)
{
    // A failed move leaves the journal on disk: the next tick tries again.
    protected override TimeSpan Every => TimeSpan.FromSeconds(1);
    protected override Task RunOnceAsync(CancellationToken ct) => audit.FlushAsync(ct);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await audit.FlushAsync(cancellationToken); }
        catch (Exception ex) { Log.LogWarning(ex, "Audit journal left on disk at shutdown; the next start moves it"); }
    }
}
