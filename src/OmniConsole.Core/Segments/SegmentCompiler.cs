using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Segments;

/// <summary>
/// Turns a validated definition into one predicate over customers that EF translates to SQL: profile conditions
/// compare customer columns; counts and sums are <c>Id IN (SELECT CustomerId … GROUP BY … HAVING …)</c> over orders,
/// the timeline, facets, bonus lots or channel activity — each sub-select runs once, never once per customer.
/// Nothing is filtered in memory. A count that is 0 for a customer without rows (purchases, spent, events, balances)
/// includes such customers when 0 satisfies it, through <c>NOT IN (… HAVING NOT …)</c>.
/// </summary>
internal sealed class SegmentCompiler(OmniConsoleDbContext db, DateTime nowUtc, TimeZoneInfo zone, SegmentVocabulary vocabulary)
{
    private readonly ParameterExpression _c = Expression.Parameter(typeof(Customer), "c");
    private readonly HashSet<int> _expanding = [];

    public sealed class InvalidDefinitionException(SegmentError error) : Exception(error.Message)
    {
        public SegmentError Error { get; } = error;
    }

    /// <summary>The members of <paramref name="node"/>; merged-away customers are never members.</summary>
    public async Task<Expression<Func<Customer, bool>>> CompileAsync(SegmentNode node, CancellationToken ct, string path = "definition")
    {
        var body = await NodeAsync(node, path, ct);
        return Expression.Lambda<Func<Customer, bool>>(body, _c);
    }

    private async Task<Expression> NodeAsync(SegmentNode node, string path, CancellationToken ct)
    {
        switch (node.Kind)
        {
            case NodeKind.All:
            case NodeKind.Any:
                Expression? acc = null;
                var name = node.Kind == NodeKind.All ? "all" : "any";
                for (var i = 0; i < node.Children.Count; i++)
                {
                    var part = await NodeAsync(node.Children[i], $"{path}.{name}[{i}]", ct);
                    acc = acc is null ? part : node.Kind == NodeKind.All ? Expression.AndAlso(acc, part) : Expression.OrElse(acc, part);
                }
                return acc ?? Expression.Constant(node.Kind == NodeKind.All);
            case NodeKind.Not:
                return Expression.Not(await NodeAsync(node.Children[0], $"{path}.not", ct));
            default:
                return await ConditionAsync(node, path, ct);
        }
    }

    private Expression Member(Expression<Func<Customer, bool>> lambda) => new Rebind(lambda.Parameters[0], _c).Visit(lambda.Body);

    private async Task<Expression> ConditionAsync(SegmentNode n, string path, CancellationToken ct)
    {
        var channel = n.QualifierText(SegmentAttributes.Channel) is { } ch && ChannelNames.TryParseClient(ch, out var parsed) ? parsed : (Channel?)null;
        var since = n.QualifierInt(SegmentAttributes.WithinDays) is { } days ? nowUtc.AddDays(-days) : (DateTime?)null;
        var bounds = n.Op is "eq" or "neq" or "gt" or "gte" or "lt" or "lte" or "between" && SegmentAttributes.Find(n.Attr)!.Kind is not (ValueKind.Text or ValueKind.Presence or ValueKind.SegmentId)
            ? NumericBounds(n) : default;

        switch (n.Attr)
        {
            case "gender":
                {
                    var wanted = Texts(n).Select(t => t.Equals("female", StringComparison.OrdinalIgnoreCase) ? Gender.Female : Gender.Male).Distinct().ToList();
                    return TextCondition(n.Op, Member(c => c.Gender != null), Member(c => wanted.Contains(c.Gender!.Value)));
                }
            case "city":
                {
                    var variants = await vocabulary.MatchCitiesAsync(Texts(n), ct);
                    return TextCondition(n.Op, Member(c => c.City != null), Member(c => variants.Contains(c.City!)));
                }
            case "tier":
                {
                    var variants = await vocabulary.MatchTiersAsync(Texts(n), ct);
                    return TextCondition(n.Op, Member(c => true), Member(c => variants.Contains(c.Tier)));
                }
            case "age":
                return AgeCondition(bounds);
            case "birthdayInDays":
                return BirthdayCondition(bounds);
            case "registeredDaysAgo":
                return bounds.ApplyToElapsed(Nullable(Expression.Property(_c, nameof(Customer.RegisteredAtUtc))), nowUtc, TimeSpan.FromDays(1));
            case "hasIdentifier":
                {
                    var kind = SegmentDefinition.Text(n.Value)!.Trim().ToLowerInvariant() switch
                    {
                        "phone" => IdentifierKind.Phone,
                        "email" => IdentifierKind.Email,
                        "cardnumber" => IdentifierKind.Card,
                        _ => IdentifierKind.External,
                    };
                    var ids = db.CustomerIdentifiers.Where(i => i.Kind == kind).Select(i => i.CustomerId);
                    return Member(c => ids.Contains(c.Id));
                }
            case "consent":
                {
                    ChannelNames.TryParseClient(SegmentDefinition.Text(n.Value)!.Trim().ToLowerInvariant(), out var consentChannel);
                    var ids = db.CustomerConsents.Where(x => x.Channel == consentChannel && x.Granted).Select(x => x.CustomerId);
                    return Member(c => ids.Contains(c.Id));
                }
            case "purchases":
                return await PurchasesAsync(n, channel, since, bounds, ct);
            case "spent":
                {
                    var storeIds = await StoreIdsAsync(n, ct);
                    if (channel is null && since is null && storeIds is null)
                        return bounds.Apply(Expression.Property(_c, nameof(Customer.LifetimeValueMinor)));
                    var orders = PurchasedOrders(channel, since, storeIds);
                    return Counted(orders, g => g.Sum(r => r.Amount), bounds);
                }
            case "lastPurchaseDaysAgo":
                {
                    if (channel is null)
                        return bounds.ApplyToElapsed(Expression.Property(_c, nameof(Customer.LastPurchaseAtUtc)), nowUtc, TimeSpan.FromDays(1));
                    // Customers who never bought in the channel lack the value: only those with purchases there can match.
                    var last = db.Orders.Where(o => o.Status == OrderStatus.Purchased && o.Channel == channel)
                        .GroupBy(o => o.CustomerId).Select(g => new LastTime { CustomerId = g.Key, At = g.Max(o => (DateTime?)o.OccurredAtUtc) });
                    var p = Expression.Parameter(typeof(LastTime), "l");
                    var having = Expression.Lambda<Func<LastTime, bool>>(bounds.ApplyToElapsed(Expression.Property(p, nameof(LastTime.At)), nowUtc, TimeSpan.FromDays(1)), p);
                    var ids = last.Where(having).Select(l => l.CustomerId);
                    return Member(c => ids.Contains(c.Id));
                }
            case "events":
                return await EventsAsync(n, channel, since, bounds, ct);
            case "channelsUsed":
                {
                    var rows = db.CustomerChannelActivities.Where(a => a.Channel != Channel.System);
                    if (since is { } from) rows = rows.Where(a => a.LastAtUtc >= from);
                    return CountedRows(rows.Select(a => new Row { CustomerId = a.CustomerId, Amount = 1 }), bounds);
                }
            case "surveyScore":
                {
                    // The latest answer (of the scale, within the days, if asked) and its score; no answer, no match.
                    var answers = db.SurveyAnswers.AsQueryable();
                    if (n.QualifierText(SegmentAttributes.Scale) is { } scaleName && Enum.TryParse<Campaigns.SurveyScale>(scaleName, ignoreCase: true, out var scale))
                        answers = answers.Where(a => a.Scale == scale);
                    if (since is { } answeredFrom) answers = answers.Where(a => a.AnsweredAtUtc >= answeredFrom);
                    var latest = answers.Where(a => !answers.Any(b => b.CustomerId == a.CustomerId && (b.AnsweredAtUtc > a.AnsweredAtUtc || (b.AnsweredAtUtc == a.AnsweredAtUtc && b.Id > a.Id))));
                    var p = Expression.Parameter(typeof(Feedback.SurveyAnswer), "a");
                    var having = Expression.Lambda<Func<Feedback.SurveyAnswer, bool>>(bounds.Apply(Expression.Property(p, nameof(Feedback.SurveyAnswer.Score))), p);
                    var ids = latest.Where(having).Select(a => a.CustomerId);
                    return Member(c => ids.Contains(c.Id));
                }
            case "cartAbandonedHours":
                return bounds.ApplyToElapsed(Expression.Property(_c, nameof(Customer.OpenCartAtUtc)), nowUtc, TimeSpan.FromHours(1));
            case "bonusActive":
            case "bonusPending":
            case "bonusExpiring":
                {
                    var now = nowUtc;
                    var lots = db.BonusLots.Where(n.Attr == "bonusPending" ? Loyalty.BonusLot.PendingAt(now) : Loyalty.BonusLot.ActiveAt(now));
                    if (n.Attr == "bonusExpiring")
                    {
                        var until = nowUtc.AddDays(n.QualifierInt(SegmentAttributes.WithinDays)!.Value);
                        lots = lots.Where(l => l.ExpiresAtUtc <= until);
                    }
                    return Counted(lots.Select(l => new Row { CustomerId = l.CustomerId, Amount = l.RemainingMinor }), g => g.Sum(r => r.Amount), bounds);
                }
            case "inSegment":
                return await InSegmentAsync((int)SegmentDefinition.Number(n.Value)!.Value, $"{path}.value", ct);
            default:
                throw new InvalidDefinitionException(new SegmentError($"{path}.attr", ServiceMessages.Format(SegmentMessages.UnknownAttr, n.Attr)));
        }
    }

    private async Task<Expression> PurchasesAsync(SegmentNode n, Channel? channel, DateTime? since, Bounds bounds, CancellationToken ct)
    {
        var storeIds = await StoreIdsAsync(n, ct);
        var category = n.QualifierText(SegmentAttributes.Category);
        var brand = n.QualifierText(SegmentAttributes.Brand);
        if (category is not null || brand is not null)
        {
            // A purchase with at least one such line: one facet row per purchase and value, so rows count purchases.
            var facets = category is not null
                ? Facets(EventType.Purchase, channel, since, storeIds, (FacetKind.Category, category), brand is null ? null : (FacetKind.Brand, brand))
                : Facets(EventType.Purchase, channel, since, storeIds, (FacetKind.Brand, brand!), null);
            return CountedRows(facets, bounds);
        }
        if (channel is null && since is null && storeIds is null)
            return bounds.Apply(Expression.Property(_c, nameof(Customer.PurchaseCount)));
        return CountedRows(PurchasedOrders(channel, since, storeIds), bounds);
    }

    private Task<Expression> EventsAsync(SegmentNode n, Channel? channel, DateTime? since, Bounds bounds, CancellationToken ct)
    {
        var typeName = n.QualifierText(SegmentAttributes.Type)!;
        var type = Enum.GetValues<EventType>().First(t => t.ApiName() == typeName);
        var category = n.QualifierText(SegmentAttributes.Category);
        var campaign = n.QualifierText(SegmentAttributes.CampaignId);
        // One facet row per matching event: the category's, else the campaign's, else the event's own.
        var facets = category is not null ? Facets(type, channel, since, null, (FacetKind.Category, category), campaign is null ? null : (FacetKind.Campaign, campaign))
            : campaign is not null ? Facets(type, channel, since, null, (FacetKind.Campaign, campaign), null)
            : Facets(type, channel, since, null, (FacetKind.Event, ""), null);
        return Task.FromResult(CountedRows(facets, bounds));
    }

    /// <summary>
    /// Facet rows of one kind and value (one per matching event), optionally only of events that also carry a second
    /// facet (a purchase with a line of that category and one of that brand; the facets of one event share its time).
    /// </summary>
    private IQueryable<Row> Facets(EventType type, Channel? channel, DateTime? since, List<int>? storeIds, (FacetKind Kind, string Value) first, (FacetKind Kind, string Value)? also)
    {
        var (kind, key) = (first.Kind, SegmentFacts.Key(first.Value));
        var facets = db.CustomerEventFacets.Where(f => f.Type == type && f.Kind == kind && f.Value == key);
        if (since is { } from)
        {
            // The index is ordered by arrival; whatever occurred since `from` arrived after from − MaxFuture.
            var receivedFrom = from - CustomerEvent.MaxFuture;
            facets = facets.Where(f => f.ReceivedAtUtc >= receivedFrom && f.OccurredAtUtc >= from);
        }
        if (channel is { } ch) facets = facets.Where(f => f.Channel == ch);
        if (storeIds is not null) facets = facets.Where(f => f.StoreId != null && storeIds.Contains(f.StoreId.Value));
        if (also is { } second)
        {
            var (alsoKind, alsoKey) = (second.Kind, SegmentFacts.Key(second.Value));
            facets = facets.Where(f => db.CustomerEventFacets.Any(b => b.Type == type && b.Kind == alsoKind && b.Value == alsoKey
                && b.ReceivedAtUtc == f.ReceivedAtUtc && b.OccurredAtUtc == f.OccurredAtUtc && b.CustomerId == f.CustomerId));
        }
        return facets.Select(f => new Row { CustomerId = f.CustomerId, Amount = 1 });
    }

    private IQueryable<Row> PurchasedOrders(Channel? channel, DateTime? since, List<int>? storeIds)
    {
        var orders = db.Orders.Where(o => o.Status == OrderStatus.Purchased);
        if (since is { } from) orders = orders.Where(o => o.OccurredAtUtc >= from);
        if (channel is { } ch) orders = orders.Where(o => o.Channel == ch);
        if (storeIds is not null) orders = orders.Where(o => o.StoreId != null && storeIds.Contains(o.StoreId.Value));
        return orders.Select(o => new Row { CustomerId = o.CustomerId, Amount = o.TotalMinor - o.BonusRedeemedMinor - o.RefundedPaidMinor });
    }

    private async Task<List<int>?> StoreIdsAsync(SegmentNode n, CancellationToken ct) =>
        n.QualifierText(SegmentAttributes.StoreCode) is { } code ? await vocabulary.MatchStoresAsync(code, ct) : null;

    /// <summary>Rows grouped per customer and aggregated; customers without rows count as 0.</summary>
    /// <summary>
    /// Rows counted per customer. "At least one" and "none" are existence: where the database joins a correlated EXISTS,
    /// that is a semi or anti join that need not group the rows by customer first (on PostgreSQL it halved such definitions at 1M).
    /// </summary>
    private Expression CountedRows(IQueryable<Row> rows, Bounds bounds)
    {
        if (db.Family().JoinsCorrelatedExists)
        {
            if (bounds.AtLeastOne) return Member(c => rows.Any(r => r.CustomerId == c.Id));
            if (bounds.None) return Member(c => !rows.Any(r => r.CustomerId == c.Id));
        }
        return Counted(rows, g => g.Count(), bounds);
    }

    private Expression Counted(IQueryable<Row> rows, Expression<Func<IGrouping<long, Row>, long>> aggregate, Bounds bounds)
    {
        var g = aggregate.Parameters[0];
        var holds = bounds.Apply(aggregate.Body);
        if (bounds.Holds(0))
        {
            var failing = rows.GroupBy(r => r.CustomerId).Where(Expression.Lambda<Func<IGrouping<long, Row>, bool>>(Expression.Not(holds), g)).Select(x => x.Key);
            return Member(c => !failing.Contains(c.Id));
        }
        var passing = rows.GroupBy(r => r.CustomerId).Where(Expression.Lambda<Func<IGrouping<long, Row>, bool>>(holds, g)).Select(x => x.Key);
        return Member(c => passing.Contains(c.Id));
    }

    private Expression AgeCondition(Bounds b)
    {
        // Full years today (in the installation's time zone): age ≥ a <=> born on or before today − a years.
        var today = Today();
        DateOnly YearsBack(long years) => years <= 0 ? today.AddDays(1) : years >= 200 ? DateOnly.MinValue : today.AddYears(-(int)years);
        var birth = Expression.Property(_c, nameof(Customer.BirthDate));
        var present = Expression.NotEqual(birth, Expression.Constant(null, typeof(DateOnly?)));
        Expression inRange = Expression.Constant(!b.Empty);
        if (!b.Empty && b.Min is { } min && min > 0)
            inRange = Expression.AndAlso(inRange, Expression.LessThanOrEqual(birth, Expression.Constant((DateOnly?)YearsBack(min), typeof(DateOnly?))));
        if (!b.Empty && b.Max is { } max)
            inRange = max < 0 ? Expression.Constant(false)
                : Expression.AndAlso(inRange, Expression.GreaterThan(birth, Expression.Constant((DateOnly?)YearsBack(max + 1), typeof(DateOnly?))));
        return Expression.AndAlso(present, b.Negated ? Expression.Not(inRange) : inRange);
    }

    private Expression BirthdayCondition(Bounds b)
    {
        // Days to the next birthday depend on the month and day only: list the (month, day) pairs that satisfy the
        // condition today, and ask the database for birth dates on those days. 29 February counts as 28 February in other years.
        var today = Today();
        var days = new List<int>();
        for (var m = 1; m <= 12; m++)
            for (var d = 1; d <= DateTime.DaysInMonth(2024, m); d++)
                if (b.Holds(DaysUntil(today, m, d))) days.Add(m * 100 + d);
        return Member(c => c.BirthDate != null && days.Contains(c.BirthDate.Value.Month * 100 + c.BirthDate.Value.Day));
    }

    internal static int DaysUntil(DateOnly today, int month, int day)
    {
        DateOnly On(int year) => new(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));
        var next = On(today.Year);
        if (next < today) next = On(today.Year + 1);
        return next.DayNumber - today.DayNumber;
    }

    private async Task<Expression> InSegmentAsync(int segmentId, string path, CancellationToken ct)
    {
        if (!_expanding.Add(segmentId))
            throw new InvalidDefinitionException(new SegmentError(path, ServiceMessages.Format(SegmentMessages.Cycle, segmentId)));
        var json = await db.Segments.AsNoTracking().Where(s => s.Id == segmentId && s.ArchivedAtUtc == null).Select(s => s.DefinitionJson).FirstOrDefaultAsync(ct)
            ?? throw new InvalidDefinitionException(new SegmentError(path, ServiceMessages.Format(SegmentMessages.NoSegment, segmentId)));
        var parsed = SegmentDefinition.Parse(json);
        if (!parsed.IsValid) throw new InvalidDefinitionException(new SegmentError(path, ServiceMessages.Format(SegmentMessages.NoLongerValid, segmentId)));
        Expression body;
        // A problem inside the referenced segment is reported where this definition refers to it.
        try { body = await NodeAsync(parsed.Node!, path, ct); }
        catch (InvalidDefinitionException ex) { throw new InvalidDefinitionException(new SegmentError(path, ex.Error.Message)); }
        _expanding.Remove(segmentId);
        return body;
    }

    /// <summary>Marks a segment as being defined (its own id), so a definition that reaches it again through inSegment is a cycle.</summary>
    public void Expanding(int segmentId) => _expanding.Add(segmentId);

    private DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone));

    private Bounds NumericBounds(SegmentNode n)
    {
        var money = SegmentAttributes.Find(n.Attr)!.Kind == ValueKind.Money;
        decimal Scale(decimal v) => money ? v * 100 : v;
        if (n.Op == "between" && n.Value is System.Text.Json.Nodes.JsonArray pair)
            return Bounds.From("between", null, Scale(SegmentDefinition.Number(pair[0])!.Value), Scale(SegmentDefinition.Number(pair[1])!.Value));
        return Bounds.From(n.Op, Scale(SegmentDefinition.Number(n.Value)!.Value));
    }

    private static IReadOnlyList<string> Texts(SegmentNode n) =>
        n.Value is System.Text.Json.Nodes.JsonArray list ? list.Select(SegmentDefinition.Text).OfType<string>().ToList() : [SegmentDefinition.Text(n.Value)!];

    /// <summary>eq / in: present and one of the values; neq: present and none of them.</summary>
    private static Expression TextCondition(string op, Expression present, Expression isOneOf) =>
        Expression.AndAlso(present, op == "neq" ? Expression.Not(isOneOf) : isOneOf);

    private static Expression Nullable(Expression e) => Expression.Convert(e, typeof(DateTime?));

    /// <summary>A row of something counted or summed per customer.</summary>
    internal sealed class Row
    {
        public long CustomerId { get; set; }
        public long Amount { get; set; }
    }

    internal sealed class LastTime
    {
        public long CustomerId { get; set; }
        public DateTime? At { get; set; }
    }

    private sealed class Rebind(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
