using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core.Exports;

/// <summary>
/// Segment reports as background jobs: queued in the database, written one at a time by the instance that holds the
/// export queue's lease (<see cref="RunQueueAsync"/>), cancellable from any instance, with progress any instance reads,
/// kept as files in <c>ExportFolder</c> (a folder every instance shares when there are several) to download. The members are fixed when the job starts (their ids, read once), then
/// written in id order a thousand at a time, so every member is in the file exactly once and the file's row count is
/// checked against that list before the job is called completed.
/// </summary>
public sealed class ExportService(IDbContextFactory<OmniConsoleDbContext> dbFactory, SegmentService segments,
    IOptions<OmniConsoleOptions> options, TimeProvider clock, IExportText text, Jobs.JobLeases leases, ILogger<ExportService> log)
{
    private const int Chunk = 1000;
    /// <summary>The queue's lease: renewed while a file is written, so another instance takes the queue over within this after a crash.</summary>
    public static readonly TimeSpan QueueLease = TimeSpan.FromMinutes(2);
    private const string QueueLeaseName = "export-queue";
    /// <summary>How often a running job saves its progress, renews the lease and looks for a cancel from another instance.</summary>
    private static readonly TimeSpan Checkpoint = TimeSpan.FromSeconds(2);
    /// <summary>Wakes this instance's worker when a job is queued here; other instances' jobs are seen within a second.</summary>
    private readonly SemaphoreSlim _queued = new(0);
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<long, int> _progress = new();

    public string Folder => Path.GetFullPath(options.Value.ExportFolder);

    public string PathOf(long exportId) => Path.Combine(Folder, $"export-{exportId}.xlsx");

    /// <summary>Queues a report of the segment's members; null when there is no such (active) segment.</summary>
    /// <param name="culture">the requester's UI culture (the installation's default when null)</param>
    public async Task<ExportJob?> QueueAsync(int segmentId, string requestedBy, bool fullContacts, CancellationToken ct, string? culture = null)
    {
        var segment = await segments.GetAsync(segmentId, ct);
        if (segment is null || segment.Segment.ArchivedAtUtc is not null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var job = new ExportJob
        {
            SegmentId = segmentId, SegmentName = segment.Segment.Name, SegmentVersion = segment.Segment.Version, RequestedBy = requestedBy,
            FullContacts = fullContacts, Status = ExportStatus.Queued, CreatedAtUtc = now, Culture = culture ?? options.Value.DefaultCulture,
            FileName = $"segment-{segmentId}-{FileNames.Slug(segment.Segment.Name, "segment")}-{TimeZoneInfo.ConvertTimeFromUtc(now, segments.Zone):yyyyMMdd-HHmm}.xlsx",
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ExportJobs.Add(job);
            await db.SaveChangesAsync(ct);
        }
        _queued.Release();
        return job;
    }

    /// <summary>The job with live progress; null when unknown or, with <paramref name="requestedBy"/>, somebody else's.</summary>
    public async Task<ExportJob?> GetAsync(long id, string? requestedBy, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && (requestedBy == null || j.RequestedBy == requestedBy), ct);
        if (job is not null && _progress.TryGetValue(id, out var rows) && job.Status == ExportStatus.Running) job.RowsWritten = rows;
        return job;
    }

    /// <summary>Recent jobs, newest first: one requester's, or everybody's when <paramref name="requestedBy"/> is null.</summary>
    public async Task<List<ExportJob>> RecentAsync(string? requestedBy, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.ExportJobs.AsNoTracking();
        if (requestedBy is not null) q = q.Where(j => j.RequestedBy == requestedBy);
        var jobs = await q.OrderByDescending(j => j.Id).Take(take).ToListAsync(ct);
        foreach (var job in jobs.Where(j => j.Status == ExportStatus.Running))
            if (_progress.TryGetValue(job.Id, out var rows)) job.RowsWritten = rows;
        return jobs;
    }

    /// <summary>Cancels a queued or running job; false when it is unknown (or another's) or already finished.</summary>
    public async Task<bool> CancelAsync(long id, string? requestedBy, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ExportJobs.FirstOrDefaultAsync(j => j.Id == id && (requestedBy == null || j.RequestedBy == requestedBy), ct);
        if (job is null || job.Status is not (ExportStatus.Queued or ExportStatus.Running)) return false;
        if (_running.TryGetValue(id, out var cts)) { await cts.CancelAsync(); return true; }
        job.Status = ExportStatus.Cancelled;
        job.FinishedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// The worker, until the app stops: while this instance holds the queue's lease, runs the oldest unfinished job
    /// (queued, or left running by an instance that stopped or died), one at a time.
    /// </summary>
    public async Task RunQueueAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    // Looked for first, so an idle queue costs one read a second and no write.
                    if (await NextAsync(stopping) is { } id && await leases.HoldAsync(QueueLeaseName, QueueLease, stopping))
                    {
                        await RunAsync(id, stopping);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is down or restarting: the worker outlives it (an escaping exception would stop the app).
                    log.LogWarning(ex, "Export queue unreachable; looking again shortly");
                }
                await _queued.WaitAsync(TimeSpan.FromSeconds(1), stopping);
            }
        }
        finally
        {
            try { await leases.ReleaseAsync(QueueLeaseName, CancellationToken.None); }
            catch (Exception ex) { log.LogWarning(ex, "Export queue lease not released; it lapses within {Lease}", QueueLease); }
        }
    }

    private async Task<long?> NextAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ExportJobs.Where(j => j.Status == ExportStatus.Queued || j.Status == ExportStatus.Running)
            .OrderBy(j => j.Id).Select(j => (long?)j.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Runs one job now (the worker calls this; tests too).</summary>
    public async Task RunAsync(long id, CancellationToken stopping)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (!_running.TryAdd(id, cts)) return; // already being written here
        ExportJob? job;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(stopping);
            job = await db.ExportJobs.FirstOrDefaultAsync(j => j.Id == id, stopping);
            if (job is null || job.Status is not (ExportStatus.Queued or ExportStatus.Running))
            {
                _running.TryRemove(id, out _);
                return;
            }
            job.Status = ExportStatus.Running;
            job.RowsWritten = 0;
            await db.SaveChangesAsync(stopping);
        }
        catch
        {
            _running.TryRemove(id, out _); // not started: the queue picks it up again
            throw;
        }
        _progress[id] = 0;
        // The file speaks the requester's language: the words come from IExportText in this culture, for this job only.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(job.Culture);
        var path = PathOf(id);
        try
        {
            var (rows, total) = (0, 0);
            // A customer erased while the file was written may be in it (their chunk read before): written again then.
            for (var attempt = 1; ; attempt++)
            {
                var started = clock.GetUtcNow().UtcDateTime;
                (rows, total) = await WriteAsync(job, path, cts.Token);
                if (!await ErasedSinceAsync(started, cts.Token)) break;
                if (attempt == 3) throw new InvalidOperationException("Customers were erased while each of three attempts was written; nothing was kept.");
                log.LogInformation("Export {Id}: a customer was erased while it was written; writing it again", id);
            }
            await FinishAsync(id, ExportStatus.Completed, rows, total, null, new FileInfo(path).Length);
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            db.AuditEntries.Add(new AuditEntry
            {
                AtUtc = clock.GetUtcNow().UtcDateTime, Actor = job.RequestedBy, Action = AuditAction.Exported,
                Details = AuditText.Format(AuditText.SegmentExported, job.SegmentId, job.SegmentName, job.SegmentVersion, rows, job.FullContacts ? AuditText.InFull : AuditText.Masked, id),
            });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            File.Delete(path);
            await FinishAsync(id, ExportStatus.Cancelled, _progress.GetValueOrDefault(id), null, null, null);
        }
        catch (OperationCanceledException)
        {
            File.Delete(path); // the app is stopping: the job stays running and is picked up again at the next start
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Export {Id} of segment {Segment} failed", id, job.SegmentId);
            File.Delete(path);
            var message = ex is SegmentValidationException v ? v.Message : $"The export failed ({ex.GetType().Name}: {ex.Message}); nothing was kept.";
            await FinishAsync(id, ExportStatus.Failed, _progress.GetValueOrDefault(id), null, message.Length > 2000 ? message[..2000] : message, null);
        }
        finally
        {
            _running.TryRemove(id, out _);
            _progress.TryRemove(id, out _);
        }
    }

    private async Task<bool> ErasedSinceAsync(DateTime since, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.CustomerErased && a.AtUtc >= since, ct);
    }

    /// <summary>
    /// Marks every completed export made before <paramref name="before"/> expired, in the caller's transaction (an
    /// erasure's): any of them could list the erased customer, and which ones do is not recorded. Their files go with
    /// <see cref="DeleteExpiredFilesAsync"/> once that transaction is committed.
    /// </summary>
    public static Task<int> ExpireMadeBeforeAsync(OmniConsoleDbContext db, DateTime before, CancellationToken ct) =>
        db.ExportJobs.Where(j => j.Status == ExportStatus.Completed && j.CreatedAtUtc <= before)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, ExportStatus.Expired).SetProperty(j => j.FileBytes, (long?)null), ct);

    /// <summary>
    /// The retention pass (a background job, hourly): completed exports older than <c>Exports:RetentionDays</c> are marked
    /// expired, and the files of expired jobs deleted — so the list says "expired" rather than offering a broken link,
    /// and a file an erasure marked but could not delete (the app stopped between) goes now.
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.Exports.RetentionDays);
        int expired;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            expired = await db.ExportJobs.Where(j => j.Status == ExportStatus.Completed && j.FinishedAtUtc < cutoff)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, ExportStatus.Expired).SetProperty(j => j.FileBytes, (long?)null), ct);
        await DeleteExpiredFilesAsync(ct);
        return expired;
    }

    /// <summary>Deletes the files of expired jobs still on disk; a file that cannot be deleted now is tried on the next pass.</summary>
    public async Task<int> DeleteExpiredFilesAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Folder)) return 0;
        var onDisk = Directory.EnumerateFiles(Folder, "export-*.xlsx")
            .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f)["export-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).ToList();
        if (onDisk.Count == 0) return 0;
        List<long> expired;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            expired = await db.ExportJobs.Where(j => j.Status == ExportStatus.Expired && onDisk.Contains(j.Id)).Select(j => j.Id).ToListAsync(ct);
        var deleted = 0;
        foreach (var id in expired)
        {
            try
            {
                File.Delete(PathOf(id));
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning(e, "Expired export {Id}'s file could not be deleted; trying again on the next pass", id);
            }
        }
        return deleted;
    }

    private async Task FinishAsync(long id, ExportStatus status, int rows, int? total, string? error, long? bytes)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var job = await db.ExportJobs.FirstAsync(j => j.Id == id);
        (job.Status, job.RowsWritten, job.Error, job.FileBytes, job.FinishedAtUtc) = (status, rows, error, bytes, clock.GetUtcNow().UtcDateTime);
        if (total is not null) job.TotalRows = total;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<(int Rows, int Total)> WriteAsync(ExportJob job, string path, CancellationToken ct)
    {
        var segment = await segments.GetAsync(job.SegmentId, ct) ?? throw new SegmentValidationException([new SegmentError("segmentId", $"Segment #{job.SegmentId} no longer exists.")]);
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            var members = await segments.MembersQueryAsync(db, segment.Definition, job.SegmentId, ct);
            ids = await members.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        }
        log.LogInformation("Export {Id}: {Count} members of segment {Segment} found in {Ms:N0} ms", job.Id, ids.Count, job.SegmentId, (clock.GetUtcNow().UtcDateTime - now).TotalMilliseconds);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var entity = await db.ExportJobs.FirstAsync(j => j.Id == job.Id, ct);
            entity.TotalRows = ids.Count;
            await db.SaveChangesAsync(ct);
        }

        Directory.CreateDirectory(Folder);
        var names = (await segments.ListAsync(includeArchived: true, ct)).ToDictionary(s => s.Id, s => s.Name);
        var summary = new List<(string, object)>
        {
            (text["xlsx.Segment"], EnglishExportText.Format(text, "xlsx.#{0} {1} (version {2})", job.SegmentId, segment.Segment.Name, segment.Segment.Version)),
            (text["xlsx.Definition"], SegmentDescriber.Describe(segment.Definition, i => names.GetValueOrDefault(i), text)),
            (text["xlsx.Member count"], ids.Count),
            (text["xlsx.Exported at"], TimeZoneInfo.ConvertTimeFromUtc(now, segments.Zone)),
            (text["xlsx.Time zone"], segments.Zone.Id),
            (text["xlsx.Exported by"], job.RequestedBy),
            (text["xlsx.Contacts"], text[job.FullContacts ? "xlsx.contacts in full" : "xlsx.contacts masked"]),
        };
        if (segment.Segment.Description is { } description) summary.Insert(1, (text["xlsx.Description"], description));

        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var workbook = new MembersWorkbook(file, summary, text);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, segments.Zone));
        // The next thousand are read while this thousand is written: the database and the writer each keep a core busy.
        var chunks = ids.Chunk(Chunk).ToList();
        var checkpoint = clock.GetTimestamp();
        Task<List<MemberLine>>? next = chunks.Count > 0 ? LinesAsync(chunks[0], job.FullContacts, now, today, ct) : null;
        for (var i = 0; next is not null; i++)
        {
            var lines = await next;
            next = i + 1 < chunks.Count ? LinesAsync(chunks[i + 1], job.FullContacts, now, today, ct) : null;
            ct.ThrowIfCancellationRequested();
            foreach (var line in lines) workbook.Add(line);
            _progress[job.Id] = workbook.RowsWritten;
            if (clock.GetElapsedTime(checkpoint) >= Checkpoint)
            {
                await CheckpointAsync(job.Id, workbook.RowsWritten, ct);
                checkpoint = clock.GetTimestamp();
            }
        }
        log.LogInformation("Export {Id}: {Rows} rows written {Ms:N0} ms after the job started", job.Id, workbook.RowsWritten, (clock.GetUtcNow().UtcDateTime - now).TotalMilliseconds);
        if (workbook.RowsWritten != ids.Count)
            throw new InvalidOperationException($"Export {job.Id} wrote {workbook.RowsWritten} rows for {ids.Count} members.");
        workbook.Complete();
        return (workbook.RowsWritten, ids.Count);
    }

    /// <summary>
    /// While a file is written: its progress saved for the other instances' pages, the queue's lease renewed, and a cancel
    /// made on another instance (the job's row marked cancelled) obeyed.
    /// </summary>
    private async Task CheckpointAsync(long id, int rows, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var cancelled = await db.ExportJobs.Where(j => j.Id == id).Select(j => j.Status).FirstAsync(ct) == ExportStatus.Cancelled;
            if (cancelled && _running.TryGetValue(id, out var cts)) await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            await db.ExportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(u => u.SetProperty(j => j.RowsWritten, rows), ct);
        }
        await leases.HoldAsync(QueueLeaseName, QueueLease, ct);
    }

    private async Task<List<MemberLine>> LinesAsync(long[] ids, bool fullContacts, DateTime now, DateOnly today, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new
        {
            c.Id, c.FirstName, c.LastName, c.City, c.Gender, c.BirthDate, c.RegisteredAtUtc, c.PurchaseCount, c.LifetimeValueMinor, c.LastPurchaseAtUtc, c.Tier,
        }).ToDictionaryAsync(c => c.Id, ct);
        var identifiers = (await db.CustomerIdentifiers.AsNoTracking().Where(i => ids.Contains(i.CustomerId))
            .OrderBy(i => i.Id).Select(i => new { i.CustomerId, i.Kind, i.Value }).ToListAsync(ct)).ToLookup(i => i.CustomerId);
        var consents = (await db.CustomerConsents.AsNoTracking().Where(x => ids.Contains(x.CustomerId) && x.Granted)
            .Select(x => new { x.CustomerId, x.Channel }).ToListAsync(ct)).ToLookup(x => x.CustomerId, x => x.Channel);
        var channels = (await db.CustomerChannelActivities.AsNoTracking().Where(a => ids.Contains(a.CustomerId) && a.Channel != Common.Channel.System)
            .Select(a => new { a.CustomerId, a.Channel }).ToListAsync(ct)).ToLookup(a => a.CustomerId, a => a.Channel);
        var balances = await Loyalty.BonusBalance.ByCustomerAsync(db.BonusLots.Where(l => ids.Contains(l.CustomerId)), now, ct);

        var lines = new List<MemberLine>(ids.Length);
        foreach (var id in ids)
        {
            // A member merged away between reading the ids and now is still written: the file holds every member listed.
            var c = customers[id];
            string? First(IdentifierKind kind) => identifiers[id].FirstOrDefault(i => i.Kind == kind)?.Value;
            var phone = First(IdentifierKind.Phone);
            var email = First(IdentifierKind.Email);
            var card = First(IdentifierKind.Card);
            var balance = balances.GetValueOrDefault(id);  // none: no points
            lines.Add(new MemberLine(
                id, c.FirstName, c.LastName,
                fullContacts ? phone : ContactMask.Phone(phone), fullContacts ? email : ContactMask.Email(email), fullContacts ? card : ContactMask.Card(card),
                c.City, c.Gender is { } g ? text[$"value.{g.ToString().ToLowerInvariant()}"] : null, c.BirthDate is { } b ? Age(b, today) : null,
                TimeZoneInfo.ConvertTimeFromUtc(c.RegisteredAtUtc, segments.Zone), c.PurchaseCount, new Money(c.LifetimeValueMinor).Major,
                c.PurchaseCount > 0 ? Math.Round(new Money(c.LifetimeValueMinor).Major / c.PurchaseCount, 2) : null,
                c.LastPurchaseAtUtc is { } last ? TimeZoneInfo.ConvertTimeFromUtc(last, segments.Zone) : null,
                ChannelList(channels[id]), balance.Active.Major, balance.Pending.Major, c.Tier,
                ChannelList(consents[id])));
        }
        return lines;
    }

    /// <summary>Channels by their names in the file's language ("Магазин, Сайт"), not their API codes.</summary>
    private string ChannelList(IEnumerable<Common.Channel> list) =>
        string.Join(", ", list.Order().Select(ch => text[Common.ChannelNames.ApiName(ch)]));

    private static int Age(DateOnly birth, DateOnly today) => today.Year - birth.Year - (today < birth.AddYears(today.Year - birth.Year) ? 1 : 0);
}

/// <summary>Contacts as a role that may not see them in full sees them: enough to recognise, not to use.</summary>
public static class ContactMask
{
    public static string? Phone(string? phone) => phone is null ? null : phone.Length <= 6 ? new string('•', phone.Length) : phone[..4] + new string('•', phone.Length - 6) + phone[^2..];
    public static string? Email(string? email)
    {
        if (email is null) return null;
        var at = email.IndexOf('@');
        return at <= 0 ? new string('•', email.Length) : email[0] + new string('•', Math.Max(at - 1, 1)) + email[at..];
    }
    public static string? Card(string? card) => card is null ? null : card.Length <= 4 ? new string('•', card.Length) : new string('•', card.Length - 4) + card[^4..];
}
