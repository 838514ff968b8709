using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Campaigns;

/// <summary>
/// Enrols customers in running triggered campaigns when their trigger holds now: members of the
/// campaign's segment (less its exclusions) who meet the trigger enter the flow at step 0, once per occurrence (the cart,
/// the lapse, the order, the year, the activation, the expiry date; the unique (campaign, customer, occurrence) index)
/// and never twice at the same time (the filtered unique index on active rows). The flow and the dispatcher take them
/// on from there. Called periodically by the campaign job; each call looks at what holds at <c>now</c>.
/// </summary>
public sealed class CampaignTriggers(IDbContextFactory<OmniConsoleDbContext> dbFactory, SegmentService segments, WriteGate writeGate, TimeProvider clock,
    IOptions<OmniConsoleOptions> options, ILogger<CampaignTriggers> log)
{
    /// <summary>Customers looked at and written per transaction; 2,000 ids also stay under SQL Server's 2,100 parameters if a list is expanded.</summary>
    public const int Chunk = 2_000;

    /// <summary>Carts older than this do not start a campaign: a campaign launched today does not write about last year's cart.</summary>
    public static readonly TimeSpan CartLookBack = TimeSpan.FromDays(30);

    /// <summary>The welcome after a first purchase is for purchases this recent.</summary>
    public static readonly TimeSpan FirstPurchaseLookBack = TimeSpan.FromDays(7);

    /// <summary>Activations this recent start a "bonuses are active" campaign.</summary>
    public static readonly TimeSpan BonusLookBack = TimeSpan.FromHours(24);

    /// <summary>An afterEvent campaign asks about events up to this long after their hours have passed (a campaign launched today does not ask about last month's visit).</summary>
    public static readonly TimeSpan AfterEventLookBack = TimeSpan.FromDays(2);

    /// <summary>One pass over the running triggered campaigns; returns how many customers entered.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Campaign> running;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            running = await db.Campaigns.AsNoTracking().Where(c => c.Status == CampaignStatus.Running).OrderBy(c => c.LaunchedAtUtc).ToListAsync(ct);
        var enrolled = 0;
        foreach (var campaign in running)
        {
            var input = JsonValue.Deserialize<CampaignInput>(campaign.DefinitionJson ?? "{}");
            if (CampaignDefinition.ParseTrigger(input) is not { } trigger || CampaignDefinition.Parse(input).Count == 0) continue;
            if (trigger.Kind.WatchesSegment()) continue; // SegmentTriggers' work
            try { enrolled += await RunCampaignAsync(campaign, input, trigger, ct); }
            catch (SegmentValidationException ex)
            {
                // A segment archived or broken since launch: this campaign has no audience now; the others still run.
                log.LogWarning("Campaign {Campaign}: its audience cannot be computed ({Error}); no one enrolled", campaign.Id, ex.Message);
            }
        }
        return enrolled;
    }

    private async Task<int> RunCampaignAsync(Campaign campaign, CampaignInput input, ParsedTrigger trigger, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.DisplayTimeZone);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await AudienceAsync(segments, db, campaign.SegmentId, input, ct) is not { } members) return 0;
        var campaignId = campaign.Id;
        var rule = Rule.For(db, trigger, now, zone);
        // Who is in a step of this campaign now waits until they are out of it (IX_CampaignRecipients_OneActive).
        var candidates = rule.Candidates(members)
            .Where(c => !db.CampaignRecipients.Any(r => r.CampaignId == campaignId && r.CustomerId == c.Id && r.State == RecipientState.Active));
        candidates = rule.NotEnteredYet(candidates, db.CampaignRecipients.Where(r => r.CampaignId == campaignId));

        var enrolled = 0;
        var after = 0L;
        while (true)
        {
            var ids = await candidates.Where(c => c.Id > after).OrderBy(c => c.Id).Select(c => c.Id).Take(Chunk).ToListAsync(ct);
            if (ids.Count == 0) break;
            after = ids[^1];
            var occurrences = await rule.OccurrencesAsync(ids, ct);
            var entered = (await db.CampaignRecipients.AsNoTracking().Where(r => r.CampaignId == campaignId && ids.Contains(r.CustomerId))
                .Select(r => new { r.CustomerId, r.Occurrence }).ToListAsync(ct)).Select(r => (r.CustomerId, r.Occurrence)).ToHashSet();
            // One occurrence per customer and pass (the earliest not entered yet): a second one waits until the first is done.
            var picks = ids.Select(id => (Id: id, Occurrence: occurrences.GetValueOrDefault(id)?.FirstOrDefault(o => !entered.Contains((id, o)))))
                .Where(p => p.Occurrence is not null).Select(p => (p.Id, p.Occurrence!)).ToList();
            if (picks.Count > 0) enrolled += await EnrolAsync(db, campaignId, picks, input.ControlGroupPercent, now, ct);
            if (ids.Count < Chunk) break;
        }
        if (enrolled > 0) log.LogInformation("Campaign {Campaign}: {Count} customers entered on trigger {Trigger}", campaignId, enrolled, trigger.Kind);
        return enrolled;
    }

    /// <summary>
    /// A campaign's audience: its segment less its exclusions (the launch's enrolment and every trigger); null when the
    /// segment is gone. An excluded segment that is gone excludes no one.
    /// </summary>
    internal static async Task<IQueryable<Customer>?> AudienceAsync(SegmentService segments, OmniConsoleDbContext db, int? segmentId, CampaignInput input, CancellationToken ct)
    {
        var segmentJson = await db.Segments.Where(s => s.Id == segmentId).Select(s => s.DefinitionJson).FirstOrDefaultAsync(ct);
        if (segmentJson is null) return null;
        var members = await segments.MembersQueryAsync(db, SegmentService.ParseOrThrow(segmentJson), null, ct);
        foreach (var excludedId in input.ExcludeSegmentIds ?? [])
            if (await db.Segments.Where(s => s.Id == excludedId).Select(s => s.DefinitionJson).FirstOrDefaultAsync(ct) is { } excludedJson)
            {
                var excluded = (await segments.MembersQueryAsync(db, SegmentService.ParseOrThrow(excludedJson), null, ct)).Select(c => c.Id);
                members = members.Where(c => !excluded.Contains(c.Id));
            }
        return members;
    }

    /// <summary>
    /// Inserts the chunk's recipients in one short transaction, in turn with the other writers. Each row is an
    /// INSERT … SELECT … WHERE NOT EXISTS on the two unique keys: a row another pass or app instance wrote meanwhile is
    /// skipped, not an error, and only rows really written count towards the audience.
    /// </summary>
    private static async Task<int> InsertAsync(OmniConsoleDbContext db, string campaignId, List<(long Id, string Occurrence)> picks, int? controlPercent,
        DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = await InsertRecipientsAsync(db, tx.GetDbTransaction(), campaignId, picks, controlPercent, now, ct);
        await tx.CommitAsync(ct);
        return inserted;
    }

    /// <summary>The recipients' rows and the audience's count, in the caller's transaction (see <see cref="InsertAsync"/>).</summary>
    internal static async Task<int> InsertRecipientsAsync(OmniConsoleDbContext db, DbTransaction tx, string campaignId, IReadOnlyList<(long Id, string Occurrence)> picks,
        int? controlPercent, DateTime now, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO "CampaignRecipients" ("CampaignId", "CustomerId", "Occurrence", "State", "StepIndex", "DueAtUtc", "EnteredAtUtc")
            SELECT @campaign, @customer, @occurrence, CASE WHEN @control = 1 THEN 'Control' ELSE 'Active' END, 0,
                   CASE WHEN @control = 1 THEN NULL ELSE @now END, @now
            WHERE NOT EXISTS (SELECT 1 FROM "CampaignRecipients" r
                              WHERE r."CampaignId" = @campaign AND r."CustomerId" = @customer AND (r."Occurrence" = @occurrence OR r."State" = 'Active'))
            """;
        var campaign = Parameter(command, "@campaign", campaignId);
        var customer = Parameter(command, "@customer", 0L);
        var occurrence = Parameter(command, "@occurrence", "");
        var control = Parameter(command, "@control", 0); // a control group member is recorded and takes no step
        Parameter(command, "@now", now); // SQLite's driver writes a time as EF's ISO text; the others as their time type
        await command.PrepareAsync(ct);
        var inserted = 0;
        foreach (var (id, key) in picks)
        {
            customer.Value = id;
            occurrence.Value = key;
            control.Value = Experiment.IsControl(campaignId, id, controlPercent) ? 1 : 0;
            inserted += await command.ExecuteNonQueryAsync(ct);
        }
        if (inserted > 0)
            await db.Campaigns.Where(c => c.Id == campaignId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Audience, c => c.Audience + inserted), ct);
        return inserted;

        static DbParameter Parameter(DbCommand command, string name, object value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
            return p;
        }
    }

    private async Task<int> EnrolAsync(OmniConsoleDbContext db, string campaignId, List<(long Id, string Occurrence)> picks, int? controlPercent, DateTime now,
        CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
            return await InsertAsync(db, campaignId, picks, controlPercent, now, ct);
    }

    /// <summary>
    /// One trigger kind: who meets it now (a filter on the members, seeking an index where the model has one), what
    /// occurrence(s) each candidate is at, and — where the occurrence can be told in SQL — a filter that leaves out
    /// those who entered for it already, so a repeated pass reads only new candidates.
    /// </summary>
    private abstract class Rule(OmniConsoleDbContext db, DateTime now)
    {
        protected OmniConsoleDbContext Db { get; } = db;
        protected DateTime Now { get; } = now;

        public abstract IQueryable<Customer> Candidates(IQueryable<Customer> members);

        public virtual IQueryable<Customer> NotEnteredYet(IQueryable<Customer> candidates, IQueryable<CampaignRecipient> recipients) => candidates;

        /// <summary>Per candidate, its occurrence keys, earliest first.</summary>
        public abstract Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct);

        public static Rule For(OmniConsoleDbContext db, ParsedTrigger trigger, DateTime now, TimeZoneInfo zone) => trigger.Kind switch
        {
            TriggerKind.CartAbandoned => new CartAbandoned(db, now, TimeSpan.FromHours(trigger.Hours ?? 1)),
            TriggerKind.FirstPurchase => new FirstPurchase(db, now),
            TriggerKind.NoPurchase => new NoPurchase(db, now, trigger.Days ?? 1),
            TriggerKind.AfterPurchase => new AfterPurchase(db, now, trigger.Days ?? 1),
            TriggerKind.Birthday => new Birthday(db, now, zone),
            TriggerKind.BonusActivated => new BonusActivated(db, now),
            TriggerKind.PointsExpiring => new PointsExpiring(db, now, trigger.Days ?? 1),
            TriggerKind.AfterEvent when trigger.EventType is { } type => new AfterEvent(db, now, type, trigger.Channel, trigger.Hours ?? 1),
            _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger.Kind, "Unknown trigger kind."),
        };

        protected static string Time(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

        protected static Dictionary<long, List<string>> One<T>(IEnumerable<T> rows, Func<T, long> id, Func<T, string> key) =>
            rows.GroupBy(id).ToDictionary(g => g.Key, g => g.Select(key).ToList());
    }

    /// <summary>
    /// An event of the type (and channel) that happened <c>hours</c> ago, at most two days before that →
    /// <c>event:{OccurredAtUtc:O}</c>, with <c>@{storeId}</c> where the event was in a store (the survey's summary by
    /// store reads it): once per event. Read from the segment facts' index by type and arrival, not from the timeline.
    /// </summary>
    private sealed class AfterEvent(OmniConsoleDbContext db, DateTime now, Timeline.EventType type, Common.Channel? channel, int hours) : Rule(db, now)
    {
        private IQueryable<Segments.CustomerEventFacet> Due()
        {
            var to = Now.AddHours(-hours);
            var from = to - AfterEventLookBack;
            // An event is received at or after it happened: the arrival range bounds the index's range.
            var due = Db.CustomerEventFacets.Where(f => f.Type == type && f.Kind == Segments.FacetKind.Event && f.Value == ""
                && f.ReceivedAtUtc >= from && f.OccurredAtUtc >= from && f.OccurredAtUtc <= to);
            return channel is { } ch ? due.Where(f => f.Channel == ch) : due;
        }

        public override IQueryable<Customer> Candidates(IQueryable<Customer> members)
        {
            var due = Due().Select(f => f.CustomerId);
            return members.Where(c => due.Contains(c.Id));
        }

        public override async Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct) =>
            One(await Due().Where(f => ids.Contains(f.CustomerId)).OrderBy(f => f.OccurredAtUtc).Select(f => new { f.CustomerId, f.OccurredAtUtc, f.StoreId }).ToListAsync(ct),
                f => f.CustomerId, f => EventOccurrence(f.OccurredAtUtc, f.StoreId));
    }

    /// <summary>An afterEvent occurrence: the event's time, and its store where there is one.</summary>
    internal static string EventOccurrence(DateTime at, int? storeId) =>
        "event:" + DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture) + (storeId is { } s ? "@" + s.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>The store an afterEvent occurrence names, if any.</summary>
    public static int? StoreOf(string occurrence) =>
        occurrence.StartsWith("event:", StringComparison.Ordinal) && occurrence.LastIndexOf('@') is var at and > 0
        && int.TryParse(occurrence[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var store) ? store : null;

    /// <summary>
    /// The cart left for <c>hours</c> and still open (a purchase or order after it closes it), at most 30 days old →
    /// <c>cart:{OpenCartAtUtc:O}</c>. The model has no index on OpenCartAtUtc: this walks the customers' primary key in
    /// chunks (one pass per call).
    /// </summary>
    private sealed class CartAbandoned(OmniConsoleDbContext db, DateTime now, TimeSpan hours) : Rule(db, now)
    {
        public override IQueryable<Customer> Candidates(IQueryable<Customer> members)
        {
            var (from, to) = (Now - CartLookBack, Now - hours);
            return members.Where(c => c.OpenCartAtUtc != null && c.OpenCartAtUtc >= from && c.OpenCartAtUtc <= to);
        }

        public override async Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct) =>
            One(await Db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id) && c.OpenCartAtUtc != null).Select(c => new { c.Id, At = c.OpenCartAtUtc!.Value }).ToListAsync(ct),
                c => c.Id, c => $"cart:{Time(c.At)}");
    }

    /// <summary>One purchase so far, made in the last 7 days → <c>first</c> (seeks IX_Customers_LastPurchaseAtUtc).</summary>
    private sealed class FirstPurchase(OmniConsoleDbContext db, DateTime now) : Rule(db, now)
    {
        private const string Key = "first";

        public override IQueryable<Customer> Candidates(IQueryable<Customer> members)
        {
            var since = Now - FirstPurchaseLookBack;
            return members.Where(c => c.LastPurchaseAtUtc >= since && c.LastPurchaseAtUtc <= Now && c.PurchaseCount == 1);
        }

        public override IQueryable<Customer> NotEnteredYet(IQueryable<Customer> candidates, IQueryable<CampaignRecipient> recipients) =>
            candidates.Where(c => !recipients.Any(r => r.CustomerId == c.Id && r.Occurrence == Key));

        public override Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct) =>
            Task.FromResult(ids.ToDictionary(id => id, _ => new List<string> { Key }));
    }

    /// <summary>
    /// No purchase for <c>days</c> → <c>lapsed:{LastPurchaseAtUtc:O}</c> (IX_Customers_LastPurchaseAtUtc). The lapsed are
    /// most customers, so a repeated pass must not read them all again: one who entered after their last purchase has
    /// entered for this lapse (the trigger enrols for a lapse only after its purchase; a later purchase moves it), and
    /// is left out in SQL.
    /// </summary>
    private sealed class NoPurchase(OmniConsoleDbContext db, DateTime now, int days) : Rule(db, now)
    {
        public override IQueryable<Customer> Candidates(IQueryable<Customer> members)
        {
            var before = Now.AddDays(-days);
            return members.Where(c => c.LastPurchaseAtUtc <= before);
        }

        public override IQueryable<Customer> NotEnteredYet(IQueryable<Customer> candidates, IQueryable<CampaignRecipient> recipients) =>
            candidates.Where(c => !recipients.Any(r => r.CustomerId == c.Id && r.EnteredAtUtc >= c.LastPurchaseAtUtc));

        public override async Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct) =>
            One(await Db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id) && c.LastPurchaseAtUtc != null).Select(c => new { c.Id, At = c.LastPurchaseAtUtc!.Value }).ToListAsync(ct),
                c => c.Id, c => $"lapsed:{Time(c.At)}");
    }

    /// <summary>
    /// The latest purchase was between <c>days</c>+1 and <c>days</c> days ago (a daily window) → <c>after:{orderId}</c>:
    /// the window seeks IX_Customers_LastPurchaseAtUtc; the order is that customer's purchased order at that time
    /// (IX_Orders_CustomerId_OccurredAtUtc_…, the latest id on a tie).
    /// </summary>
    private sealed class AfterPurchase(OmniConsoleDbContext db, DateTime now, int days) : Rule(db, now)
    {
        private readonly DateTime _from = now.AddDays(-days - 1);
        private readonly DateTime _to = now.AddDays(-days);

        public override IQueryable<Customer> Candidates(IQueryable<Customer> members) =>
            members.Where(c => c.LastPurchaseAtUtc > _from && c.LastPurchaseAtUtc <= _to);

        public override async Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct)
        {
            var orders = await (from c in Db.Customers
                                where ids.Contains(c.Id)
                                from o in Db.Orders
                                where o.CustomerId == c.Id && o.OccurredAtUtc == c.LastPurchaseAtUtc && o.Status == OrderStatus.Purchased
                                select new { c.Id, OrderId = o.Id }).AsNoTracking().ToListAsync(ct);
            return orders.GroupBy(o => o.Id).ToDictionary(g => g.Key, g => new List<string> { $"after:{g.Max(o => o.OrderId).ToString(CultureInfo.InvariantCulture)}" });
        }
    }

    /// <summary>
    /// Today, in the display time zone, is the birthday (29 February counts on 28 February in other years) →
    /// <c>birthday:{year}</c>, as BirthdayBonuses reckons it. There is no index on the birth date's month and day: one
    /// pass over the primary key per call; those who entered this year are left out in SQL.
    /// </summary>
    private sealed class Birthday : Rule
    {
        private readonly int _month, _day;
        private readonly bool _leapDayToo;
        private readonly string _key;

        public Birthday(OmniConsoleDbContext db, DateTime now, TimeZoneInfo zone) : base(db, now)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
            (_month, _day) = (today.Month, today.Day);
            _leapDayToo = _month == 2 && _day == 28 && !DateTime.IsLeapYear(today.Year);
            _key = $"birthday:{today.Year.ToString(CultureInfo.InvariantCulture)}";
        }

        public override IQueryable<Customer> Candidates(IQueryable<Customer> members) =>
            members.Where(c => c.BirthDate != null && c.BirthDate.Value.Month == _month && (c.BirthDate.Value.Day == _day || (_leapDayToo && c.BirthDate.Value.Day == 29)));

        public override IQueryable<Customer> NotEnteredYet(IQueryable<Customer> candidates, IQueryable<CampaignRecipient> recipients) =>
            candidates.Where(c => !recipients.Any(r => r.CustomerId == c.Id && r.Occurrence == _key));

        public override Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct) =>
            Task.FromResult(ids.ToDictionary(id => id, _ => new List<string> { _key }));
    }

    /// <summary>
    /// A "bonus activated" timeline item in the last 24 hours → <c>bonus:{event id}</c>. Who: the lots whose activation
    /// the lifecycle job recorded in that time (IX_BonusLots_ActivationRecorded_ActivatesAtUtc; the item's time is the
    /// lot's activation); which items: that customer's timeline over the day (IX_CustomerEvents_Timeline, covering).
    /// </summary>
    private sealed class BonusActivated(OmniConsoleDbContext db, DateTime now) : Rule(db, now)
    {
        private readonly DateTime _since = now - BonusLookBack;

        public override IQueryable<Customer> Candidates(IQueryable<Customer> members)
        {
            var activated = Db.BonusLots.Where(l => l.ActivationRecorded && l.ActivatesAtUtc > _since && l.ActivatesAtUtc <= Now).Select(l => l.CustomerId);
            return members.Where(c => activated.Contains(c.Id));
        }

        public override async Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct) =>
            One(await Db.CustomerEvents.AsNoTracking()
                    .Where(e => ids.Contains(e.CustomerId) && e.OccurredAtUtc > _since && e.OccurredAtUtc <= Now && e.Type == EventType.BonusActivated)
                    .OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id).Select(e => new { e.CustomerId, e.Id }).ToListAsync(ct),
                e => e.CustomerId, e => $"bonus:{e.Id.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// Active points (something left, activated) expiring within <c>days</c> → <c>expiring:{earliest ExpiresAtUtc:yyyy-MM-dd}</c>.
    /// Who: lots by expiry (IX_BonusLots_ExpiryRecorded_ExpiresAtUtc); the earliest expiry per customer by
    /// IX_BonusLots_CustomerId_ExpiresAtUtc.
    /// </summary>
    private sealed class PointsExpiring(OmniConsoleDbContext db, DateTime now, int days) : Rule(db, now)
    {
        private readonly DateTime _horizon = now.AddDays(days);

        private IQueryable<Loyalty.BonusLot> Expiring =>
            Db.BonusLots.Where(Loyalty.BonusLot.ActiveAt(Now)).Where(l => !l.ExpiryRecorded && l.ExpiresAtUtc <= _horizon);

        public override IQueryable<Customer> Candidates(IQueryable<Customer> members)
        {
            var expiring = Expiring.Select(l => l.CustomerId);
            return members.Where(c => expiring.Contains(c.Id));
        }

        public override async Task<Dictionary<long, List<string>>> OccurrencesAsync(List<long> ids, CancellationToken ct) =>
            One(await Expiring.AsNoTracking().Where(l => ids.Contains(l.CustomerId)).GroupBy(l => l.CustomerId)
                    .Select(g => new { CustomerId = g.Key, Earliest = g.Min(l => l.ExpiresAtUtc) }).ToListAsync(ct),
                l => l.CustomerId, l => $"expiring:{l.Earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
    }
}
