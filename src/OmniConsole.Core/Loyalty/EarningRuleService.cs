using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using static OmniConsole.Core.Loyalty.LoyaltyMessages;

namespace OmniConsole.Core.Loyalty;

public sealed class RuleValidationException(IReadOnlyList<FieldError> errors) : Exception(string.Join(" ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>A rule as staff and integrations write it (MANAGEMENT-API.md): amounts in major units, percent 0–100, share 0–1.</summary>
public sealed class RuleInput
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Status { get; set; }
    public int? Priority { get; set; }
    public bool? Exclusive { get; set; }
    public decimal? Percent { get; set; }
    public decimal? Points { get; set; }
    public RuleConditionsInput? Conditions { get; set; }
    public int? ActivationDays { get; set; }
    public int? LifetimeDays { get; set; }
    public decimal? MaxRedeemShare { get; set; }
}

public sealed class RuleConditionsInput
{
    public List<string>? Channels { get; set; }
    public List<string>? StoreCodes { get; set; }
    public List<string>? Categories { get; set; }
    public List<string>? Brands { get; set; }
    public List<string>? Tiers { get; set; }
    public decimal? MinTotal { get; set; }
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset? ValidTo { get; set; }
    public int? SegmentId { get; set; }
}

public sealed record RuleConditionsView(IReadOnlyList<string> Channels, IReadOnlyList<string> StoreCodes, IReadOnlyList<string> Categories,
    IReadOnlyList<string> Brands, IReadOnlyList<string> Tiers, decimal? MinTotal, DateTime? ValidFrom, DateTime? ValidTo, int? SegmentId);

/// <summary>A rule as the API returns it; <see cref="Accrued"/> (points accrued by it so far) extends the contract's rule.</summary>
public sealed record RuleView(int RuleId, string Name, string Kind, string Status, int Priority, bool Exclusive, decimal? Percent, decimal? Points,
    RuleConditionsView Conditions, int ActivationDays, int LifetimeDays, decimal? MaxRedeemShare, int Version, decimal Accrued);

/// <summary>Earning rules for the UI and the API: validated, versioned and audited; never deleted (ended instead).</summary>
public sealed class EarningRuleService(IDbContextFactory<OmniConsoleDbContext> dbFactory, WriteGate writeGate, SegmentService segments, TimeProvider clock)
{
    public const int PreviewDays = 30;

    public sealed record Preview(decimal Accrued, int Customers, int Purchases, int Days);
    public sealed record VersionRow(int Version, string Snapshot, string ChangedBy, DateTime ChangedAtUtc);

    /// <summary>A rule's snapshot for the audit log: Cyrillic and "+" as they are (Blazor encodes the page; nothing runs this as script).</summary>
    private static readonly JsonSerializerOptions AuditJson = new(JsonValue.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<List<RuleView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.EarningRules.AsNoTracking().ToListAsync(ct);
        return rules.OrderBy(r => r.Status == EarningRuleStatus.Ended).ThenByDescending(r => r.Priority).ThenBy(r => r.Id)
            .Select(r => View(r, r.AccruedMinor)).ToList();
    }

    public async Task<RuleView?> GetAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.EarningRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return rule is null ? null : View(rule, rule.AccruedMinor);
    }

    public async Task<List<VersionRow>> VersionsAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.EarningRuleVersions.AsNoTracking().Where(v => v.RuleId == id).OrderByDescending(v => v.Version)
            .Select(v => new VersionRow(v.Version, v.Snapshot, v.ChangedBy, v.ChangedAtUtc)).ToListAsync(ct);
    }

    public async Task<RuleView> CreateAsync(RuleInput input, string actor, CancellationToken ct)
    {
        using var turn = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var rule = new EarningRule { CreatedAtUtc = now, UpdatedAtUtc = now, Version = 1, Status = EarningRuleStatus.Draft, LifetimeDays = 365 };
        await ApplyAsync(db, rule, input, creating: true, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.EarningRules.Add(rule);
        await db.SaveChangesAsync(ct);
        Record(db, rule, actor, now, AuditAction.EarningRuleCreated);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(rule, 0);
    }

    /// <summary>Saves the whole rule as its next version; null when there is no such rule.</summary>
    public async Task<RuleView?> UpdateAsync(int id, RuleInput input, string actor, CancellationToken ct)
    {
        using var turn = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.EarningRules.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return null;
        if (rule.Status == EarningRuleStatus.Ended)
            throw new RuleValidationException([new("status", RuleEnded)]);
        await ApplyAsync(db, rule, input, creating: false, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        rule.Version++;
        rule.UpdatedAtUtc = now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Record(db, rule, actor, now, AuditAction.EarningRuleChanged);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(rule, rule.AccruedMinor);
    }

    /// <summary>Changes only the status (the list's activate, pause and end buttons), as a new version.</summary>
    public async Task<RuleView?> SetStatusAsync(int id, EarningRuleStatus status, string actor, CancellationToken ct)
    {
        var current = await GetAsync(id, ct);
        if (current is null) return null;
        var input = ToInput(current);
        input.Status = StatusName(status);
        return await UpdateAsync(id, input, actor, ct);
    }

    /// <summary>
    /// What the rule would have accrued over the last 30 days and to how many customers, computed in the database from
    /// the purchases it matches — on its own, before other rules' priority and exclusivity, and by customers' tiers today.
    /// </summary>
    public async Task<Preview> PreviewAsync(RuleInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = new EarningRule { LifetimeDays = 365 };
        await ApplyAsync(db, rule, input, creating: true, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-PreviewDays);
        if (rule.Kind != EarningRuleKind.Purchase)
            return new Preview(0, 0, 0, PreviewDays); // welcome and birthday rules accrue on events a preview cannot replay

        var c = rule.Conditions;
        var orders = await MatchingOrdersAsync(db, rule, since, now, ct);

        var fixedPoints = rule.PointsMinor;
        var bp = rule.PercentBasisPoints ?? 0;
        List<(long Customer, long Amount)> rows;
        if (!c.MatchesLines)
        {
            rows = (await orders.Select(o => new { o.CustomerId, Paid = o.TotalMinor - o.BonusRedeemedMinor }).ToListAsync(ct))
                .Select(o => (o.CustomerId, fixedPoints ?? o.Paid * bp / 10_000)).ToList();
        }
        else
        {
            var lines = await MatchingLinesAsync(db, c, ct);
            var perOrder = await orders
                .Select(o => new
                {
                    o.CustomerId,
                    Paid = o.TotalMinor - o.BonusRedeemedMinor,
                    All = db.OrderLines.Where(l => l.OrderId == o.Id).Sum(l => (long)l.Quantity * l.UnitPriceMinor),
                    Matching = lines.Where(l => l.OrderId == o.Id).Sum(l => (long)l.Quantity * l.UnitPriceMinor),
                })
                .Where(o => o.Matching > 0)
                .ToListAsync(ct);
            rows = perOrder.Select(o => (o.CustomerId, fixedPoints ?? (long)((Int128)o.Paid * o.Matching * bp / ((Int128)o.All * 10_000)))).ToList();
        }
        var accruing = rows.Where(r => r.Amount > 0).ToList();
        return new Preview(accruing.Sum(r => r.Amount) / 100m, accruing.Select(r => r.Customer).Distinct().Count(), accruing.Count, PreviewDays);
    }

    /// <summary>The purchases between <paramref name="since"/> and <paramref name="now"/> a rule's order-level conditions hold for (lines aside).</summary>
    private async Task<IQueryable<Order>> MatchingOrdersAsync(OmniConsoleDbContext db, EarningRule rule, DateTime since, DateTime now, CancellationToken ct)
    {
        var c = rule.Conditions;
        var orders = db.Orders.AsNoTracking().Where(o => o.OccurredAtUtc >= since && o.OccurredAtUtc < now && o.Status == OrderStatus.Purchased);
        if (c.ValidFromUtc is { } from) orders = orders.Where(o => o.OccurredAtUtc >= from);
        if (c.ValidToUtc is { } to) orders = orders.Where(o => o.OccurredAtUtc < to);
        if (c.Channels.Count > 0) orders = orders.Where(o => c.Channels.Contains(o.Channel));
        if (c.StoreCodes.Count > 0)
        {
            var storeIds = await db.Stores.Where(s => c.StoreCodes.Contains(s.Code)).Select(s => s.Id).ToListAsync(ct);
            orders = orders.Where(o => o.StoreId != null && storeIds.Contains(o.StoreId.Value));
        }
        if (c.MinTotalMinor is { } min) orders = orders.Where(o => o.TotalMinor >= min);
        if (c.Tiers.Count > 0) orders = orders.Where(o => c.Tiers.Contains(o.Customer!.Tier));
        if (c.SegmentId is { } segmentId)
        {
            var json = await db.Segments.Where(s => s.Id == segmentId).Select(s => s.DefinitionJson).ToListAsync(ct);
            var members = await segments.MembersQueryAsync(db, SegmentService.ParseOrThrow(json[0]), segmentId, ct);
            orders = orders.Where(o => members.Select(m => m.Id).Contains(o.CustomerId));
        }
        return orders;
    }

    /// <summary>What a purchase gets from every active rule together: its paid amount and, in the order applied, each rule's points.</summary>
    /// <param name="OtherRule">another active rule's name; null for the rule being previewed</param>
    public sealed record StackedAccrual(string? OtherRule, decimal Points);
    public sealed record Stacking(decimal Paid, IReadOnlyList<StackedAccrual> Accruals)
    {
        /// <summary>All the points together as a share of the paid amount, in percent.</summary>
        public decimal CombinedPercent => Paid == 0 ? 0 : Math.Round(Accruals.Sum(a => a.Points) / Paid * 100, 1);
    }

    /// <summary>
    /// The rule as if active beside the rules active now, on a typical purchase it matches (the median paid amount of the
    /// last 200 it matches in <see cref="PreviewDays"/> days): which rules accrue on it, in the order they apply, and how
    /// much together. Null for welcome and birthday rules, or when nothing matched. <paramref name="editingId"/>: the rule
    /// being edited, so its saved version does not count twice.
    /// </summary>
    public async Task<Stacking?> StackingAsync(RuleInput input, int? editingId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = new EarningRule { LifetimeDays = 365 };
        await ApplyAsync(db, rule, input, creating: true, ct);
        if (rule.Kind != EarningRuleKind.Purchase) return null;
        (rule.Id, rule.Status) = (editingId ?? 0, EarningRuleStatus.Active);
        var now = clock.GetUtcNow().UtcDateTime;
        var orders = await MatchingOrdersAsync(db, rule, now.AddDays(-PreviewDays), now, ct);
        var c = rule.Conditions;
        if (c.MatchesLines)
        {
            var matching = await MatchingLinesAsync(db, c, ct);
            orders = orders.Where(o => matching.Any(l => l.OrderId == o.Id));
        }
        var sample = await orders.OrderByDescending(o => o.OccurredAtUtc).Take(200)
            .Select(o => new { o.Id, o.CustomerId, o.Channel, o.StoreId, o.TotalMinor, o.BonusRedeemedMinor, o.OccurredAtUtc }).ToListAsync(ct);
        if (sample.Count == 0) return null;
        var typical = sample.OrderBy(o => o.TotalMinor - o.BonusRedeemedMinor).ElementAt(sample.Count / 2);

        var others = await db.EarningRules.AsNoTracking()
            .Where(r => r.Status == EarningRuleStatus.Active && r.Kind == EarningRuleKind.Purchase && r.Id != rule.Id).ToListAsync(ct);
        var policy = new LoyaltyPolicy([.. others, rule], defaultMaxRedeemShare: 0m);
        var lines = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == typical.Id)
            .Select(l => new Timeline.LinePayload(l.Sku, l.Name, l.Category, l.Brand, l.Quantity, l.UnitPriceMinor)).ToListAsync(ct);
        var store = typical.StoreId is { } storeId ? await db.Stores.Where(s => s.Id == storeId).Select(s => s.Code).FirstOrDefaultAsync(ct) : null;
        var tier = await db.Customers.Where(x => x.Id == typical.CustomerId).Select(x => x.Tier).FirstAsync(ct);
        var memberOf = new HashSet<int>();
        foreach (var segmentId in policy.ReferencedSegments)
            if (await segments.IsMemberAsync(db, segmentId, typical.CustomerId, ct)) memberOf.Add(segmentId);
        var accruals = policy.Accruals(new PurchaseFacts(typical.Channel, store, lines, new Money(typical.TotalMinor), new Money(typical.BonusRedeemedMinor),
            typical.OccurredAtUtc, tier, memberOf));
        return new Stacking(new Money(typical.TotalMinor - typical.BonusRedeemedMinor).Major,
            accruals.Select(a => new StackedAccrual(ReferenceEquals(a.Rule, rule) ? null : a.Rule.Name, a.Amount.Major)).ToList());
    }

    /// <summary>Order lines of the rule's categories and brands (as stored, matched ignoring case over the catalogue's few distinct values).</summary>
    private static async Task<IQueryable<OrderLine>> MatchingLinesAsync(OmniConsoleDbContext db, EarningRuleConditions c, CancellationToken ct)
    {
        var categories = await MatchingAsync(db.Products.Select(p => p.Category), c.Categories, ct);
        var brands = await MatchingAsync(db.Products.Select(p => p.Brand), c.Brands, ct);
        return db.OrderLines.Where(l => (c.Categories.Count == 0 || categories.Contains(l.Category!)) && (c.Brands.Count == 0 || brands.Contains(l.Brand!)));
    }

    private static async Task<List<string>> MatchingAsync(IQueryable<string?> values, List<string> wanted, CancellationToken ct)
    {
        if (wanted.Count == 0) return [];
        var stored = await values.Where(v => v != null).Distinct().ToListAsync(ct);
        return stored.OfType<string>().Where(v => wanted.Contains(v, StringComparer.OrdinalIgnoreCase)).Concat(wanted).Distinct().ToList();
    }

    private static void Record(OmniConsoleDbContext db, EarningRule rule, string actor, DateTime now, AuditAction action)
    {
        var snapshot = JsonSerializer.Serialize(View(rule, 0), AuditJson);
        db.EarningRuleVersions.Add(new EarningRuleVersion { RuleId = rule.Id, Version = rule.Version, Snapshot = snapshot, ChangedBy = actor, ChangedAtUtc = now });
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = actor, Action = action, Details = AuditText.Format(AuditText.EarningRuleVersion, rule.Id, rule.Name, rule.Version, snapshot) });
    }

    // ---------- validation: every error at once, each naming its field ----------

    private static readonly Dictionary<EarningRuleStatus, EarningRuleStatus[]> Transitions = new()
    {
        [EarningRuleStatus.Draft] = [EarningRuleStatus.Draft, EarningRuleStatus.Active, EarningRuleStatus.Ended],
        [EarningRuleStatus.Active] = [EarningRuleStatus.Active, EarningRuleStatus.Paused, EarningRuleStatus.Ended],
        [EarningRuleStatus.Paused] = [EarningRuleStatus.Paused, EarningRuleStatus.Active, EarningRuleStatus.Ended],
        [EarningRuleStatus.Ended] = [EarningRuleStatus.Ended],
    };

    private async Task ApplyAsync(OmniConsoleDbContext db, EarningRule rule, RuleInput input, bool creating, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors.Add(new("name", RuleNeedsName));

        var kind = EarningRuleKind.Purchase;
        if (input.Kind is { } k && !Enum.TryParse(k, ignoreCase: true, out kind) || !Enum.IsDefined(kind))
            errors.Add(new("kind", RuleKinds));
        if (!creating && kind != rule.Kind) errors.Add(new("kind", RuleKindFixed));

        var status = creating ? EarningRuleStatus.Draft : rule.Status;
        if (input.Status is { } st)
        {
            if (!Enum.TryParse(st, ignoreCase: true, out EarningRuleStatus parsed) || !Enum.IsDefined(parsed) || int.TryParse(st, out _))
                errors.Add(new("status", RuleStatuses));
            else if (!creating && !Transitions[rule.Status].Contains(parsed))
                errors.Add(new("status", ServiceMessages.Format(RuleTransition, StatusName(rule.Status), StatusName(parsed))));
            else status = parsed;
        }

        int? percent = null;
        long? points = null;
        if (input.Percent is { } p)
        {
            if (p < 0 || p > 100 || decimal.Round(p, 2) != p) errors.Add(new("percent", RulePercent));
            else percent = (int)(p * 100);
        }
        if (input.Points is { } pts)
        {
            if (pts <= 0 || !Money.TryFromMajor(pts, out var m)) errors.Add(new("points", RulePoints));
            else points = m.Minor;
        }
        if (input.Percent is not null && input.Points is not null) errors.Add(new("points", PercentOrPoints));
        if (kind == EarningRuleKind.Purchase && input.Percent is null && input.Points is null) errors.Add(new("percent", PurchaseRuleEarns));
        if (kind != EarningRuleKind.Purchase && input.Points is null) errors.Add(new("points", ServiceMessages.Format(KindAccruesPoints, kind.ToString().ToLowerInvariant())));
        if (kind != EarningRuleKind.Purchase && input.Percent is not null) errors.Add(new("percent", PercentOnPurchase));

        var activation = input.ActivationDays ?? (creating ? 0 : rule.ActivationDelayDays);
        if (activation is < 0 or > 3650) errors.Add(new("activationDays", ActivationDays));
        var lifetime = input.LifetimeDays ?? (creating ? 365 : rule.LifetimeDays);
        if (lifetime is < 1 or > 3650) errors.Add(new("lifetimeDays", LifetimeDays));
        int? share = null;
        if (input.MaxRedeemShare is { } s)
        {
            if (s < 0 || s > 1 || decimal.Round(s, 4) != s) errors.Add(new("maxRedeemShare", MaxRedeemShare));
            else share = (int)(s * 10_000);
        }

        var conditions = await ConditionsAsync(db, input.Conditions ?? new RuleConditionsInput(), errors, ct);
        if (errors.Count > 0) throw new RuleValidationException(errors);

        rule.Name = name!;
        rule.Kind = kind;
        rule.Status = status;
        rule.Priority = input.Priority ?? 0;
        rule.Exclusive = input.Exclusive ?? false;
        rule.PercentBasisPoints = percent;
        rule.PointsMinor = points;
        rule.ActivationDelayDays = activation;
        rule.LifetimeDays = lifetime;
        rule.MaxRedeemShareBasisPoints = share;
        rule.Conditions = conditions;
    }

    private static async Task<EarningRuleConditions> ConditionsAsync(OmniConsoleDbContext db, RuleConditionsInput c, List<FieldError> errors, CancellationToken ct)
    {
        var channels = new List<Channel>();
        foreach (var (name, i) in (c.Channels ?? []).Select((n, i) => (n, i)))
        {
            if (ChannelNames.TryParseClient(name, out var channel)) channels.Add(channel);
            else errors.Add(new($"conditions.channels[{i}]", ServiceMessages.Format(UnknownChannel, name)));
        }
        List<string> Texts(List<string>? values, string field)
        {
            var list = new List<string>();
            foreach (var (v, i) in (values ?? []).Select((v, i) => (v, i)))
            {
                if (string.IsNullOrWhiteSpace(v) || v.Trim().Length > 200) errors.Add(new($"conditions.{field}[{i}]", ConditionValue));
                else list.Add(v.Trim());
            }
            return list.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }
        long? min = null;
        if (c.MinTotal is { } mt)
        {
            if (mt < 0 || !Money.TryFromMajor(mt, out var m)) errors.Add(new("conditions.minTotal", MinTotal));
            else min = m.Minor;
        }
        if (c.ValidFrom is { } f && c.ValidTo is { } t && t <= f) errors.Add(new("conditions.validTo", ValidToAfterFrom));
        if (c.SegmentId is { } segmentId && !await db.Segments.AnyAsync(s => s.Id == segmentId && s.ArchivedAtUtc == null, ct))
            errors.Add(new("conditions.segmentId", ServiceMessages.Format(SegmentMessages.NoSegment, segmentId)));
        return new EarningRuleConditions
        {
            Channels = channels.Distinct().ToList(),
            StoreCodes = Texts(c.StoreCodes, "storeCodes"),
            Categories = Texts(c.Categories, "categories"),
            Brands = Texts(c.Brands, "brands"),
            Tiers = Texts(c.Tiers, "tiers"),
            MinTotalMinor = min,
            ValidFromUtc = c.ValidFrom?.UtcDateTime,
            ValidToUtc = c.ValidTo?.UtcDateTime,
            SegmentId = c.SegmentId,
        };
    }

    public static string StatusName(EarningRuleStatus status) => status.ToString().ToLowerInvariant();

    public static RuleView View(EarningRule r, long accruedMinor)
    {
        var c = r.Conditions;
        return new RuleView(r.Id, r.Name, r.Kind.ToString().ToLowerInvariant(), StatusName(r.Status), r.Priority, r.Exclusive,
            r.PercentBasisPoints / 100m, r.PointsMinor / 100m,
            new RuleConditionsView(c.Channels.Select(ch => ch.ApiName()).ToList(), c.StoreCodes, c.Categories, c.Brands, c.Tiers,
                c.MinTotalMinor / 100m, c.ValidFromUtc, c.ValidToUtc, c.SegmentId),
            r.ActivationDelayDays, r.LifetimeDays, r.MaxRedeemShareBasisPoints / 10_000m, r.Version, accruedMinor / 100m);
    }

    public static RuleInput ToInput(RuleView v) => new()
    {
        Name = v.Name, Kind = v.Kind, Status = v.Status, Priority = v.Priority, Exclusive = v.Exclusive, Percent = v.Percent, Points = v.Points,
        ActivationDays = v.ActivationDays, LifetimeDays = v.LifetimeDays, MaxRedeemShare = v.MaxRedeemShare,
        Conditions = new RuleConditionsInput
        {
            Channels = v.Conditions.Channels.ToList(), StoreCodes = v.Conditions.StoreCodes.ToList(), Categories = v.Conditions.Categories.ToList(),
            Brands = v.Conditions.Brands.ToList(), Tiers = v.Conditions.Tiers.ToList(), MinTotal = v.Conditions.MinTotal,
            ValidFrom = v.Conditions.ValidFrom is { } f ? new DateTimeOffset(f, TimeSpan.Zero) : null,
            ValidTo = v.Conditions.ValidTo is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null,
            SegmentId = v.Conditions.SegmentId,
        },
    };
}
