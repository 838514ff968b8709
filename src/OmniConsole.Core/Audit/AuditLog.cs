using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Audit;

/// <summary>Writes and reads the audit trail (card views, merges, key changes, exports).</summary>
public sealed class AuditLog(IDbContextFactory<OmniConsoleDbContext> dbFactory, TimeProvider clock, WriteGate writeGate) : IDisposable
{
    public sealed record Filter(string? Actor = null, AuditAction? Action = null, long? CustomerId = null, DateTime? FromUtc = null, DateTime? ToUtc = null);
    public sealed record Row(long Id, DateTime AtUtc, string Actor, AuditAction Action, long? CustomerId, string? CustomerName, string? Details);
    /// <param name="Total">entries matching, counted up to the caller's limit</param>
    /// <param name="More">more entries match than <paramref name="Total"/> says</param>
    public sealed record Page(IReadOnlyList<Row> Rows, int Total, bool More = false);

    private AuditJournal? _journal;
    private readonly Lock _journalLock = new();

    /// <summary>
    /// For reads that happen all day at tills (API lookups, staff searches): durable before the caller answers, so a
    /// crash loses none, without waiting for the database's writer (a launch or ingestion holds it for tens of
    /// milliseconds at a time): the entry goes to this process's journal file, flushed to disk together with the other
    /// reads of the moment, and <see cref="FlushAsync"/> (every second, and before the log is read) moves it into the
    /// database. A failure to write fails the read (no unaudited answer).
    /// </summary>
    public Task RecordBatchedAsync(string actor, AuditAction action, long? customerId, string? details) =>
        Journal().AppendAsync(new AuditEntry { AtUtc = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = action, CustomerId = customerId, Details = details });

    /// <summary>Moves journaled entries (this process's, and those of processes gone) into the database; how many.</summary>
    public Task<int> FlushAsync(CancellationToken ct) => Journal().DrainAsync(async entries =>
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.AuditEntries.AddRange(entries);
            await db.SaveChangesAsync(ct);
        }
    });

    /// <summary>Closes the journal's file without moving it: what it holds is moved by the next drain, here or in another instance.</summary>
    public void Dispose() => _journal?.Dispose();

    /// <summary>The journal's folder belongs to the database: beside a SQLite file (<c>omniconsole.db-audit</c>), else <c>audit-journal/&lt;database&gt;</c>.</summary>
    private AuditJournal Journal()
    {
        if (_journal is { } journal) return journal;
        lock (_journalLock)
        {
            if (_journal is not null) return _journal;
            using var db = dbFactory.CreateDbContext();
            var connection = db.Database.GetDbConnection();
            var folder = db.Family().DatabaseFile(db.Database.GetConnectionString()!) is { } file
                ? file + "-audit"
                : Path.Combine("audit-journal", string.Concat((connection.DataSource + "-" + connection.Database).Select(c => char.IsLetterOrDigit(c) ? c : '_')));
            return _journal = new AuditJournal(folder, clock);
        }
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
        var keys = await db.ApiKeys.Select(k => AuditActors.ApiKeyPrefix + k.Name).Where(n => n.ToLower().StartsWith(start)).OrderBy(n => n).Take(20).ToListAsync(ct);
        return [.. staff, .. keys];
    }

    public async Task<Page> ReadAsync(Filter filter, int skip, int take, CancellationToken ct, int countLimit = 10_000)
    {
        await FlushAsync(ct); // the last second's reads too
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
