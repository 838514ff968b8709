using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Jobs;

/// <summary>
/// Shared background work done once, whichever instance does it. A job's lease is a row taken by a conditional update
/// (free, released, run out, or already this instance's): the database lets one instance win. A holder that dies is
/// replaced when its lease runs out, so a lease's length bounds the takeover.
/// <list type="bullet">
/// <item><see cref="RunDueAsync"/>: a periodic job (the bonus lifecycle, tiers, sizes…) runs once per period across
/// instances: every instance asks, the one that gets the lease runs it and records when.</item>
/// <item><see cref="HoldAsync"/>: a continuous loop (the campaign flow, the export queue) runs on one instance at a
/// time, which renews its lease on every pass.</item>
/// </list>
/// </summary>
public sealed class JobLeases(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, TimeProvider clock, ILogger<JobLeases> log)
{
    /// <summary>This instance's name on the leases it holds: unique per process and start.</summary>
    public string Instance { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    private readonly ConcurrentDictionary<string, bool> _rows = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes or renews the lease of a continuous loop for <paramref name="holdFor"/>; false while another instance holds it.
    /// A holder that stops renewing (it died, or hung) loses it after <paramref name="holdFor"/>.
    /// </summary>
    public async Task<bool> HoldAsync(string name, TimeSpan holdFor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await TakeAsync(name, now, now + holdFor, dueBefore: null, renewOwn: true, ct);
    }

    /// <summary>
    /// Runs <paramref name="work"/> if no run of <paramref name="name"/> started within the last <paramref name="period"/>
    /// and no other instance is running it; true when it ran here. The lease is held for <paramref name="holdFor"/>
    /// (longer than a run takes): a run that dies is run again by an instance after that.
    /// </summary>
    public async Task<bool> RunDueAsync(string name, TimeSpan period, TimeSpan holdFor, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Not even this instance's own lease is taken again: a run still going here is not started twice.
        if (!await TakeAsync(name, now, now + holdFor, dueBefore: now - period, renewOwn: false, ct)) return false;
        try
        {
            await work(ct);
            await FinishAsync(name, ranAt: now, ct);
            return true;
        }
        catch
        {
            // Not done: released, so this or another instance tries again at its next look rather than after holdFor.
            await FinishAsync(name, ranAt: null, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Gives a held lease up (an instance stopping): another instance takes it at once instead of after it runs out.</summary>
    public async Task ReleaseAsync(string name, CancellationToken ct) => await FinishAsync(name, ranAt: null, ct);

    private async Task<bool> TakeAsync(string name, DateTime now, DateTime until, DateTime? dueBefore, bool renewOwn, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EnsureRowAsync(db, name, ct);
        var free = renewOwn
            ? db.JobLeases.Where(l => l.Name == name && (l.Holder == Instance || l.HeldUntilUtc == null || l.HeldUntilUtc < now))
            : db.JobLeases.Where(l => l.Name == name && (l.HeldUntilUtc == null || l.HeldUntilUtc < now));
        if (dueBefore is { } due) free = free.Where(l => l.LastRunAtUtc == null || l.LastRunAtUtc <= due);
        using (await writeGate.EnterAsync(ct))
            return await free.ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, Instance).SetProperty(l => l.HeldUntilUtc, until), ct) == 1;
    }

    private async Task FinishAsync(string name, DateTime? ranAt, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            using (await writeGate.EnterAsync(ct))
            {
                var mine = db.JobLeases.Where(l => l.Name == name && l.Holder == Instance);
                if (ranAt is { } at)
                    await mine.ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.HeldUntilUtc, (DateTime?)null)
                        .SetProperty(l => l.LastRunAtUtc, at), ct);
                else
                    await mine.ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.HeldUntilUtc, (DateTime?)null), ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease then runs out by itself.
            log.LogWarning(ex, "Lease {Name} not released; it runs out by itself", name);
        }
    }

    /// <summary>A job's row, made by whichever instance asks first (another's insert at the same moment wins; that is fine).</summary>
    private async Task EnsureRowAsync(OmniConsoleDbContext db, string name, CancellationToken ct)
    {
        if (_rows.ContainsKey(name)) return;
        if (!await db.JobLeases.AnyAsync(l => l.Name == name, ct))
        {
            db.JobLeases.Add(new JobLease { Name = name });
            try
            {
                using (await writeGate.EnterAsync(ct)) await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                if (!await db.JobLeases.AsNoTracking().AnyAsync(l => l.Name == name, ct)) throw; // not another's insert: a real failure
            }
            db.ChangeTracker.Clear();
        }
        _rows[name] = true;
    }
}
