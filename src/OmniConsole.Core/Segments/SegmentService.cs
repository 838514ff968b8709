using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Segments;

/// <summary>A definition or request that cannot be saved or evaluated; each error names the field (a JSON path).</summary>
public sealed class SegmentValidationException(IReadOnlyList<SegmentError> errors)
    : Exception(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<SegmentError> Errors { get; } = errors;
}

/// <summary>Somebody else saved the segment at the same moment: nothing of this save was kept; load it again and retry.</summary>
public sealed class SegmentConflictException(string message) : Exception(message);

/// <summary>A segment that something still uses (another segment, a bonus rule, a campaign) cannot be archived.</summary>
public sealed class SegmentInUseException(string message) : Exception(message);

/// <summary>
/// Segments for the builder, the API, exports and (next) bonus rules and campaigns: counts, members and reach,
/// evaluated in the database by <see cref="SegmentCompiler"/>; saved segments with versions, audited.
/// </summary>
public sealed class SegmentService(IDbContextFactory<OmniConsoleDbContext> dbFactory, SegmentVocabulary vocabulary,
    IOptions<OmniConsoleOptions> options, TimeProvider clock)
{
    public sealed record Count(int Members, int Total);
    public sealed record Reach(int Members, int Total, IReadOnlyDictionary<Channel, int> ByChannel);
    public sealed record Member(long CustomerId, string? FirstName, string? LastName, string? City, DateTime? LastPurchaseAtUtc, long LifetimeValueMinor);
    public sealed record MembersPage(IReadOnlyList<Member> Items, long? Next);
    public sealed record Summary(int Id, string Name, string? Description, string Owner, int Version, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, DateTime? ArchivedAtUtc);
    public sealed record Details(Summary Segment, SegmentNode Definition, string DefinitionJson);
    public sealed record VersionRow(int Version, string Name, string? Description, string DefinitionJson, string ChangedBy, DateTime ChangedAtUtc);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone);

    /// <summary>Members and all customers; <paramref name="selfId"/> is the segment being edited (for cycle checks).</summary>
    public async Task<Count> CountAsync(SegmentNode definition, CancellationToken ct, int? selfId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var members = await MembersQueryAsync(db, definition, selfId, ct);
        var count = await members.CountAsync(ct);
        var total = await db.Customers.CountAsync(c => c.MergedIntoId == null, ct);
        return new Count(count, total);
    }

    /// <summary>Members, and how many of them each message channel can reach (consent plus the identifier it needs), in one pass.</summary>
    public async Task<Reach> ReachAsync(SegmentNode definition, CancellationToken ct, int? selfId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var members = await MembersQueryAsync(db, definition, selfId, ct);
        // Per member, probes that start from the customer (consent by its key, identifiers by customer, the app install
        // on the customer's timeline index), summed in one pass. A probe by type would read every customer's app installs.
        var consents = db.CustomerConsents;
        var identifiers = db.CustomerIdentifiers;
        var events = db.CustomerEvents;
        var flags = members.Select(c => new
        {
            Email = consents.Any(x => x.CustomerId == c.Id && x.Channel == Channel.Email && x.Granted)
                    && identifiers.Any(i => i.CustomerId == c.Id && i.Kind == IdentifierKind.Email) ? 1 : 0,
            Sms = consents.Any(x => x.CustomerId == c.Id && x.Channel == Channel.Sms && x.Granted)
                  && identifiers.Any(i => i.CustomerId == c.Id && i.Kind == IdentifierKind.Phone) ? 1 : 0,
            Push = consents.Any(x => x.CustomerId == c.Id && x.Channel == Channel.Push && x.Granted)
                   && events.Any(e => e.CustomerId == c.Id && e.Type == EventType.AppInstalled) ? 1 : 0,
            Viber = consents.Any(x => x.CustomerId == c.Id && x.Channel == Channel.Viber && x.Granted)
                    && identifiers.Any(i => i.CustomerId == c.Id && i.Kind == IdentifierKind.Phone) ? 1 : 0,
            Telegram = consents.Any(x => x.CustomerId == c.Id && x.Channel == Channel.Telegram && x.Granted)
                       && identifiers.Any(i => i.CustomerId == c.Id && i.Kind == IdentifierKind.Phone) ? 1 : 0,
        });
        var row = (await flags.GroupBy(f => 1).Select(g => new
        {
            Members = g.Count(), Email = g.Sum(f => f.Email), Sms = g.Sum(f => f.Sms), Push = g.Sum(f => f.Push),
            Viber = g.Sum(f => f.Viber), Telegram = g.Sum(f => f.Telegram),
        }).ToListAsync(ct)).SingleOrDefault();
        var total = await db.Customers.CountAsync(c => c.MergedIntoId == null, ct);
        var byChannel = new Dictionary<Channel, int>
        {
            [Channel.Email] = row?.Email ?? 0, [Channel.Sms] = row?.Sms ?? 0, [Channel.Push] = row?.Push ?? 0,
            [Channel.Viber] = row?.Viber ?? 0, [Channel.Telegram] = row?.Telegram ?? 0,
        };
        return new Reach(row?.Members ?? 0, total, byChannel);
    }

    /// <summary>A page of members by customer id ascending, after the id <paramref name="after"/>.</summary>
    public async Task<MembersPage> MembersAsync(SegmentNode definition, long? after, int limit, CancellationToken ct, int? selfId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var members = await MembersQueryAsync(db, definition, selfId, ct);
        if (after is { } a) members = members.Where(c => c.Id > a);
        var items = await members.OrderBy(c => c.Id).Take(limit + 1)
            .Select(c => new Member(c.Id, c.FirstName, c.LastName, c.City, c.LastPurchaseAtUtc, c.LifetimeValueMinor)).ToListAsync(ct);
        var next = items.Count > limit ? items[limit - 1].CustomerId : (long?)null;
        return new MembersPage(items.Take(limit).ToList(), next);
    }

    /// <summary>The members as a query for other capabilities to build on (exports, campaigns): it runs in the database.</summary>
    public async Task<IQueryable<Customer>> MembersQueryAsync(OmniConsoleDbContext db, SegmentNode definition, int? selfId, CancellationToken ct)
    {
        var compiler = new SegmentCompiler(db, clock.GetUtcNow().UtcDateTime, Zone, vocabulary);
        if (selfId is { } id) compiler.Expanding(id);
        Expression<Func<Customer, bool>> predicate;
        try { predicate = await compiler.CompileAsync(definition, ct); }
        catch (SegmentCompiler.InvalidDefinitionException ex) { throw new SegmentValidationException([ex.Error]); }
        return db.Customers.AsNoTracking().Where(c => c.MergedIntoId == null).Where(predicate);
    }

    /// <summary>Whether one customer is a member of a saved segment now (earning rules ask it at a purchase); an archived or unknown segment has none.</summary>
    public async Task<bool> IsMemberAsync(OmniConsoleDbContext db, int segmentId, long customerId, CancellationToken ct) =>
        (await MembersAmongAsync(db, segmentId, [customerId], ct)).Count > 0;

    /// <summary>Which of these customers are members of a saved segment now, in one query.</summary>
    public async Task<HashSet<long>> MembersAmongAsync(OmniConsoleDbContext db, int segmentId, IReadOnlyCollection<long> customerIds, CancellationToken ct)
    {
        var json = await db.Segments.AsNoTracking().Where(s => s.Id == segmentId && s.ArchivedAtUtc == null).Select(s => s.DefinitionJson).ToListAsync(ct);
        if (json.Count == 0) return [];
        IQueryable<Customer> members;
        try { members = await MembersQueryAsync(db, ParseOrThrow(json[0]), segmentId, ct); }
        catch (SegmentValidationException) { return []; } // it names a segment archived since: it has no members, and a purchase still goes through
        var found = new HashSet<long>();
        foreach (var chunk in customerIds.Chunk(500))
            found.UnionWith(await members.Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct));
        return found;
    }

    public static SegmentNode ParseOrThrow(string json, string path = "definition")
    {
        var parsed = SegmentDefinition.Parse(json, path);
        return parsed.IsValid ? parsed.Node! : throw new SegmentValidationException(parsed.Errors);
    }

    public static SegmentNode ParseOrThrow(System.Text.Json.Nodes.JsonNode? json, string path = "definition")
    {
        var parsed = SegmentDefinition.Parse(json, path);
        return parsed.IsValid ? parsed.Node! : throw new SegmentValidationException(parsed.Errors);
    }

    // ---------- saved segments ----------

    public async Task<List<Summary>> ListAsync(bool includeArchived, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Segments.AsNoTracking();
        if (!includeArchived) q = q.Where(s => s.ArchivedAtUtc == null);
        return await q.OrderBy(s => s.Name).ThenBy(s => s.Id)
            .Select(s => new Summary(s.Id, s.Name, s.Description, s.Owner, s.Version, s.CreatedAtUtc, s.UpdatedAtUtc, s.ArchivedAtUtc)).ToListAsync(ct);
    }

    public async Task<Details?> GetAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Segments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return s is null ? null : new Details(ToSummary(s), ParseOrThrow(s.DefinitionJson), s.DefinitionJson);
    }

    public async Task<Details> CreateAsync(string? name, string? description, SegmentNode definition, string actor, CancellationToken ct)
    {
        var (n, d) = CheckText(name, description);
        await CountAsync(definition, ct); // evaluates once: unknown segments and cycles are refused before anything is saved
        var now = clock.GetUtcNow().UtcDateTime;
        var json = SegmentDefinition.ToJson(definition);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var segment = new Segment { Name = n, Description = d, Owner = actor, DefinitionJson = json, Version = 1, CreatedAtUtc = now, UpdatedAtUtc = now };
        db.Segments.Add(segment);
        await db.SaveChangesAsync(ct);
        db.SegmentVersions.Add(new SegmentVersion { SegmentId = segment.Id, Version = 1, Name = n, Description = d, DefinitionJson = json, ChangedBy = actor, ChangedAtUtc = now });
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.SegmentCreated, Details = AuditText.Format(AuditText.SegmentVersion, segment.Id, n, 1, json) });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Details(ToSummary(segment), definition, json);
    }

    /// <summary>Saves the next version; null when there is no such (unarchived) segment.</summary>
    public async Task<Details?> UpdateAsync(int id, string? name, string? description, SegmentNode definition, string actor, CancellationToken ct)
    {
        var (n, d) = CheckText(name, description);
        await CountAsync(definition, ct, selfId: id);
        var now = clock.GetUtcNow().UtcDateTime;
        var json = SegmentDefinition.ToJson(definition);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var segment = await db.Segments.FirstOrDefaultAsync(s => s.Id == id && s.ArchivedAtUtc == null, ct);
        if (segment is null) return null;
        segment.Version++;
        (segment.Name, segment.Description, segment.DefinitionJson, segment.UpdatedAtUtc) = (n, d, json, now);
        db.SegmentVersions.Add(new SegmentVersion { SegmentId = id, Version = segment.Version, Name = n, Description = d, DefinitionJson = json, ChangedBy = actor, ChangedAtUtc = now });
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.SegmentChanged, Details = AuditText.Format(AuditText.SegmentVersion, id, n, segment.Version, json) });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) // two saves took the same next version: the unique (segment, version) index refused the second
        {
            throw new SegmentConflictException(ServiceMessages.Format(SegmentMessages.ChangedMeanwhile, id));
        }
        await tx.CommitAsync(ct);
        return new Details(ToSummary(segment), definition, json);
    }

    public async Task<Details?> DuplicateAsync(int id, string actor, CancellationToken ct)
    {
        var source = await GetAsync(id, ct);
        if (source is null) return null;
        var name = source.Segment.Name.Length > 190 ? source.Segment.Name[..190] : source.Segment.Name;
        return await CreateAsync($"{name} (copy)", source.Segment.Description, source.Definition, actor, ct);
    }

    /// <summary>Archives a segment nothing uses; false when there is no such segment.</summary>
    public async Task<bool> ArchiveAsync(int id, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var segment = await db.Segments.FirstOrDefaultAsync(s => s.Id == id && s.ArchivedAtUtc == null, ct);
        if (segment is null) return false;
        var users = (await db.Segments.AsNoTracking().Where(s => s.ArchivedAtUtc == null && s.Id != id).Select(s => new { s.Id, s.Name, s.DefinitionJson }).ToListAsync(ct))
            .Where(s => SegmentDefinition.Parse(s.DefinitionJson).Node is { } node && ReferencedSegments(node).Contains(id)).ToList();
        if (users.Count > 0)
            throw new SegmentInUseException(ServiceMessages.Format(users.Count > 1 ? SegmentMessages.UsedBySegments : SegmentMessages.UsedBySegment, id,
                string.Join(", ", users.Select(u => $"#{u.Id} '{u.Name}'"))));
        // Earning rules that have not ended name it by id (their conditions are JSON: the few rules are read whole).
        var rules = (await db.EarningRules.AsNoTracking().Where(r => r.Status != Loyalty.EarningRuleStatus.Ended).ToListAsync(ct))
            .Where(r => r.Conditions.SegmentId == id).ToList();
        if (rules.Count > 0)
            throw new SegmentInUseException(ServiceMessages.Format(rules.Count > 1 ? SegmentMessages.UsedByRules : SegmentMessages.UsedByRule, id,
                string.Join(", ", rules.Select(r => $"#{r.Id} '{r.Name}'"))));
        var now = clock.GetUtcNow().UtcDateTime;
        segment.ArchivedAtUtc = now;
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.SegmentArchived, Details = AuditText.Format(AuditText.SegmentArchived, id, segment.Name) });
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<List<VersionRow>> VersionsAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SegmentVersions.AsNoTracking().Where(v => v.SegmentId == id).OrderByDescending(v => v.Version)
            .Select(v => new VersionRow(v.Version, v.Name, v.Description, v.DefinitionJson, v.ChangedBy, v.ChangedAtUtc)).ToListAsync(ct);
    }

    /// <summary>Each segment's last recorded daily size (the day and the count); a segment not measured yet is absent.</summary>
    public async Task<Dictionary<int, SegmentSize>> LatestSizesAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sizes = await db.SegmentSizes.AsNoTracking().Where(s => ids.Contains(s.SegmentId)
            && s.Day == db.SegmentSizes.Where(x => x.SegmentId == s.SegmentId).Max(x => x.Day)).ToListAsync(ct);
        return sizes.ToDictionary(s => s.SegmentId);
    }

    public async Task<List<SegmentSize>> SizeHistoryAsync(int id, int days, CancellationToken ct)
    {
        var from = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SegmentSizes.AsNoTracking().Where(s => s.SegmentId == id && s.Day >= from).OrderBy(s => s.Day).ToListAsync(ct);
    }

    /// <summary>Today's count of every active segment (the size-history chart); run daily, and again harmlessly.</summary>
    public async Task RecordSizesAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, Zone));
        foreach (var s in await ListAsync(includeArchived: false, ct))
        {
            var details = await GetAsync(s.Id, ct);
            int count;
            try { count = (await CountAsync(details!.Definition, ct, s.Id)).Members; }
            catch (SegmentValidationException) { continue; } // refers to an archived segment: nothing to chart
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var row = await db.SegmentSizes.FirstOrDefaultAsync(x => x.SegmentId == s.Id && x.Day == today, ct);
            if (row is null) db.SegmentSizes.Add(new SegmentSize { SegmentId = s.Id, Day = today, Count = count });
            else row.Count = count;
            await db.SaveChangesAsync(ct);
        }
    }

    public static IEnumerable<int> ReferencedSegments(SegmentNode node) =>
        node.Kind == NodeKind.Condition
            ? node.Attr == "inSegment" && SegmentDefinition.Number(node.Value) is { } id ? [(int)id] : []
            : node.Children.SelectMany(ReferencedSegments);

    private static (string Name, string? Description) CheckText(string? name, string? description)
    {
        var errors = new List<SegmentError>();
        var n = name?.Trim() ?? "";
        if (n.Length is 0 or > 200) errors.Add(new SegmentError("name", SegmentMessages.NeedsName));
        var d = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (d is { Length: > 2000 }) errors.Add(new SegmentError("description", SegmentMessages.DescriptionTooLong));
        return errors.Count > 0 ? throw new SegmentValidationException(errors) : (n, d);
    }

    private static Summary ToSummary(Segment s) => new(s.Id, s.Name, s.Description, s.Owner, s.Version, s.CreatedAtUtc, s.UpdatedAtUtc, s.ArchivedAtUtc);
}
