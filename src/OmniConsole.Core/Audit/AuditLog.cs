using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Audit;

/// <summary>Writes and reads the audit trail (card views, merges, key changes, exports).</summary>
public sealed class AuditLog(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock, WriteGate writeGate)
{
    public sealed record Filter(string? Actor = null, AuditAction? Action = null, long? CustomerId = null, DateTime? FromUtc = null, DateTime? ToUtc = null);
    public sealed record Row(long Id, DateTime AtUtc, string Actor, AuditAction Action, long? CustomerId, string? CustomerName, string? Details);
    /// <param name="Total">entries matching, counted up to the caller's limit</param>
    /// <param name="More">more entries match than <paramref name="Total"/> says</param>
    public sealed record Page(IReadOnlyList<Row> Rows, int Total, bool More = false);

    private readonly System.Collections.Concurrent.ConcurrentQueue<(AuditEntry Entry, TaskCompletionSource Written)> _pending = new();
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>
    /// For reads that happen all day at tills (API lookups, staff searches): written before the caller answers, so a
    /// crash loses none, but together — whoever writes takes every entry waiting at that moment into one transaction
    /// (a group commit), so a hundred lookups at once cost a few commits, not a hundred. It takes its turn in the
    /// <see cref="WriteGate"/> rather than spinning on SQLite's lock beside ingestion. Start it before the read's own
    /// queries and await it before answering: the two overlap. A failure to write fails the read (no unaudited answer).
    /// </summary>
    public async Task RecordBatchedAsync(string actor, AuditAction action, long? customerId, string? details)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue((new AuditEntry { AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = action, CustomerId = customerId, Details = details }, written));
        while (!written.Task.IsCompleted)
        {
            // Not cancellable: an entry once queued is written, whoever's request it was.
            await _writing.WaitAsync();
            try
            {
                if (written.Task.IsCompleted) break; // another caller's commit took ours along
                var batch = new List<(AuditEntry Entry, TaskCompletionSource Written)>();
                while (batch.Count < 5_000 && _pending.TryDequeue(out var next)) batch.Add(next);
                try
                {
                    using (await writeGate.EnterAsync(CancellationToken.None))
                    {
                        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                        db.AuditEntries.AddRange(batch.Select(b => b.Entry));
                        await db.SaveChangesAsync(CancellationToken.None);
                    }
                    foreach (var b in batch) b.Written.TrySetResult();
                }
                catch (Exception e)
                {
                    foreach (var b in batch) b.Written.TrySetException(e);
                }
            }
            finally
            {
                _writing.Release();
            }
        }
        await written.Task;
    }

    public async Task RecordAsync(string actor, AuditAction action, long? customerId, string? details, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(new AuditEntry { AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = action, CustomerId = customerId, Details = details });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A page of entries, newest first. Each filter has an index (who, what, customer, when), so a log of ten million
    /// entries filters in well under a second; "who" is one actor (an e-mail or <c>api:key</c>; <see cref="ActorsAsync"/>
    /// suggests them) for that reason. Matches are counted up to <paramref name="countLimit"/>: nobody pages through more, and counting
    /// millions would cost more than the page.
    /// </summary>
    /// <summary>Staff e-mails and <c>api:</c> key names starting with what was typed, for the "who" filter (small tables, not the log).</summary>
    public async Task<List<string>> ActorsAsync(string? typed, CancellationToken ct)
    {
        var start = (typed ?? "").Trim().ToLower();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staff = await db.Users.Where(u => u.Email != null && u.Email.ToLower().StartsWith(start)).OrderBy(u => u.Email).Select(u => u.Email!).Take(20).ToListAsync(ct);
        var keys = await db.ApiKeys.Select(k => "api:" + k.Name).Where(n => n.ToLower().StartsWith(start)).OrderBy(n => n).Take(20).ToListAsync(ct);
        return [.. staff, .. keys];
    }

    public async Task<Page> ReadAsync(Filter filter, int skip, int take, CancellationToken ct, int countLimit = 10_000)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor)) q = q.Where(a => a.Actor == filter.Actor.Trim());
        if (filter.Action is { } action) q = q.Where(a => a.Action == action);
        if (filter.CustomerId is { } cid) q = q.Where(a => a.CustomerId == cid);
        if (filter.FromUtc is { } from) q = q.Where(a => a.AtUtc >= from);
        if (filter.ToUtc is { } to) q = q.Where(a => a.AtUtc < to);
        var total = await q.OrderByDescending(a => a.AtUtc).Take(countLimit + 1).CountAsync(ct); // ordered as the indexes are
        var rows = await q.OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id).Skip(skip).Take(take)
            .Select(a => new
            {
                a.Id, a.AtUtc, a.Actor, a.Action, a.CustomerId, a.Details,
                Name = db.Customers.Where(c => c.Id == a.CustomerId).Select(c => (c.FirstName ?? "") + " " + (c.LastName ?? "")).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return new Page(rows.Select(r => new Row(r.Id, r.AtUtc, r.Actor, r.Action, r.CustomerId, r.Name?.Trim(), r.Details)).ToList(),
            Math.Min(total, countLimit), total > countLimit);
    }
}
