using OmniConsole.Core.Audit;

namespace OmniConsole.Core.Tests;

public sealed class AuditJournalTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "omni-journal-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// A read of the audit log drains the journal first; the every-second job may be draining at that moment. The read's
    /// drain must wait for the job's to commit, not skip the file the job holds and read the log without its entries
    /// (seen in CI: an API read missing from the log just after the answer).
    /// </summary>
    [Fact]
    public async Task ADrainWaitsForOneInProgressInsteadOfSkippingItsFile()
    {
        using var journal = new AuditJournal(_folder, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));
        await journal.AppendAsync(new AuditEntry { AtUtc = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc), Actor = "api:till", Action = AuditAction.CustomerReadByApi, CustomerId = 7 });

        var committed = new List<AuditEntry>();
        var jobWriting = new TaskCompletionSource();
        var jobMayCommit = new TaskCompletionSource();
        var job = journal.DrainAsync(async entries =>
        {
            jobWriting.SetResult();
            await jobMayCommit.Task; // the job's transaction, still open
            lock (committed) committed.AddRange(entries);
        });
        await jobWriting.Task;

        var read = journal.DrainAsync(entries => { lock (committed) committed.AddRange(entries); return Task.CompletedTask; });
        await Task.Delay(300);
        Assert.False(read.IsCompleted, "the read's drain returned while the job's drain had not committed");

        jobMayCommit.SetResult();
        Assert.Equal(1, await job);
        Assert.Equal(0, await read);
        Assert.Single(committed);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
