using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Feedback;

/// <summary>A refused close (no note): the API's 400, the page's message.</summary>
public sealed class FeedbackValidationException(string message) : Exception(message);

/// <summary>
/// Feedback after an interaction (MANAGEMENT-API.md, v1.1): the public answer page's question and the answers it takes,
/// which go on the customer's timeline and open follow-ups for staff; the follow-up queue; the NPS and CSAT summary.
/// </summary>
public sealed class FeedbackService(IDbContextFactory<OmniConsoleDbContext> dbFactory, TrackingLinks links, WriteGate writeGate, TimeProvider clock,
    CustomerChangeNotifier notifier)
{
    public const int MaxComment = 2000;

    /// <summary>What the answer page shows: the question, its scale, and the answer given so far (a second answer replaces it).</summary>
    public sealed record Question(string Text, SurveyScale Scale, int Min, int Max, int? Score, string? Comment);

    public enum AnswerOutcome { Saved, OutOfScale, NotFound }

    /// <summary>The survey behind a link; null for a forged or altered token, or a message that is not a survey's.</summary>
    public async Task<Question?> QuestionAsync(string token, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await SurveyOfAsync(db, token, ct) is not { } found) return null;
        var answer = await db.SurveyAnswers.AsNoTracking().FirstOrDefaultAsync(a => a.MessageId == found.Message.Id, ct);
        return new Question(found.Survey.Question, found.Survey.Scale, found.Survey.Min, found.Survey.Max, answer?.Score, answer?.Comment);
    }

    /// <summary>
    /// Stores an answer: on the timeline (<c>survey_answered</c>, in the survey's channel), and — a detractor (NPS 0–6,
    /// CSAT 1–2) or any comment — as an open follow-up. A second answer on the same link replaces the first everywhere.
    /// A score off the scale stores nothing.
    /// </summary>
    public async Task<AnswerOutcome> AnswerAsync(string token, int score, string? comment, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await SurveyOfAsync(db, token, ct) is not { } found) return AnswerOutcome.NotFound;
        if (score < found.Survey.Min || score > found.Survey.Max) return AnswerOutcome.OutOfScale;
        comment = comment?.Trim() is { Length: > 0 } c ? (c.Length > MaxComment ? c[..MaxComment] : c) : null;
        var message = found.Message;
        var campaignName = await db.Campaigns.Where(x => x.Id == message.CampaignId).Select(x => x.Name).FirstOrDefaultAsync(ct);
        var payload = new EventPayload
        {
            Survey = new SurveyPayload(score, found.Survey.Scale.ToString().ToLowerInvariant(), comment, message.CampaignId),
            Message = new MessagePayload(message.CampaignId, message.Id.ToString(CultureInfo.InvariantCulture), campaignName),
        };
        var summary = TimelineText.Summary(EventType.SurveyAnswered, message.Channel, payload, CultureInfo.InvariantCulture);
        var followUp = IsDetractor(found.Survey.Scale, score) || comment is not null;
        // A double submission on a server database: both may find no answer yet, and the unique index lets one insert
        // win; the other runs again from the start, finds that answer and replaces it. Nothing is stored twice.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var write = await dbFactory.CreateDbContextAsync(ct);
                await WriteAnswerAsync(write, message, found.Survey.Scale, score, comment, payload, summary, followUp, now, ct);
                break;
            }
            catch (DbUpdateException ex) when (attempt < 3 && !dbFactory.Family().IsBusy(ex)) { }
        }
        notifier.Publish([message.CustomerId]); // an open card shows the answer
        return AnswerOutcome.Saved;
    }

    private async Task WriteAnswerAsync(OmniConsoleDbContext db, OutboxMessage message, SurveyScale scale, int score, string? comment, EventPayload payload,
        string summary, bool followUp, DateTime now, CancellationToken ct)
    {
        var sourceId = $"survey-{message.Id}";
        using (await writeGate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var answer = await db.SurveyAnswers.FirstOrDefaultAsync(a => a.MessageId == message.Id, ct);
            if (answer is null)
            {
                // An afterEvent survey about a purchase in a store: the store, for the summary by store.
                var occurrence = await db.CampaignRecipients.Where(r => r.Id == message.RecipientId).Select(r => r.Occurrence).FirstOrDefaultAsync(ct);
                var storeId = occurrence is null ? null : CampaignTriggers.StoreOf(occurrence);
                answer = new SurveyAnswer
                {
                    MessageId = message.Id, CampaignId = message.CampaignId, CustomerId = message.CustomerId, Channel = message.Channel, Scale = scale,
                    StoreCode = storeId is null ? null : await db.Stores.Where(st => st.Id == storeId).Select(st => st.Code).FirstOrDefaultAsync(ct),
                };
                db.SurveyAnswers.Add(answer);
            }
            (answer.Score, answer.Comment, answer.AnsweredAtUtc) = (score, comment, now);
            var item = await db.CustomerEvents.FirstOrDefaultAsync(e => e.CustomerId == message.CustomerId && e.Source == "survey" && e.SourceEventId == sourceId, ct);
            if (item is not null) (item.Payload, item.Summary, item.OccurredAtUtc) = (payload, summary, now);
            await db.SaveChangesAsync(ct);
            if (item is null)
            {
                // The timeline item with its segment facts, as the message events are written ("events of type survey_answered").
                var timeline = new MessageTimelineRows();
                timeline.Add(new CustomerEvent
                {
                    CustomerId = message.CustomerId, Channel = message.Channel, Type = EventType.SurveyAnswered, OccurredAtUtc = now, ReceivedAtUtc = now,
                    Source = "survey", SourceEventId = sourceId, Summary = summary, Payload = payload, CampaignId = message.CampaignId,
                    MessageId = message.Id.ToString(CultureInfo.InvariantCulture),
                });
                await timeline.WriteAsync(db, ct);
            }
            var open = await db.FeedbackFollowups.FirstOrDefaultAsync(f => f.AnswerId == answer.Id, ct);
            if (open is null && followUp)
                db.FeedbackFollowups.Add(new FeedbackFollowup
                {
                    AnswerId = answer.Id, CustomerId = message.CustomerId, CampaignId = message.CampaignId, Scale = scale, Score = score,
                    Comment = comment, OpenedAtUtc = now, Status = FollowupStatus.Open,
                });
            else if (open is { Status: FollowupStatus.Open })
                (open.Score, open.Comment, open.Version) = (score, comment, open.Version + 1);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>
    /// The answer page of a survey message not answered yet, for staff to see what the customer sees — only where the
    /// survey's channel is the sandbox (nothing was sent: no customer has the link); null elsewhere or when there is none.
    /// </summary>
    public async Task<string?> SandboxAnswerLinkAsync(string campaignId, MessagingOptions messaging, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var definition = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.DefinitionJson).FirstOrDefaultAsync(ct);
        var surveys = CampaignDefinition.Parse(JsonValue.Deserialize<CampaignInput>(definition ?? "{}"))
            .Where(s => s.Survey is not null && string.Equals(messaging.ProviderOf(s.Channel!.Value), "Sandbox", StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Index).ToList();
        if (surveys.Count == 0) return null;
        var id = await db.Outbox.Where(m => m.CampaignId == campaignId && surveys.Contains(m.StepIndex) && m.SentAtUtc != null
                && !db.SurveyAnswers.Any(a => a.MessageId == m.Id)).OrderBy(m => m.Id).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        return id is { } messageId ? links.SurveyUrl(messageId) : null;
    }

    /// <summary>NPS 0–6, CSAT 1–2: an unhappy customer.</summary>
    public static bool IsDetractor(SurveyScale scale, int score) => scale == SurveyScale.Nps ? score <= 6 : score <= 2;

    private sealed record Found(OutboxMessage Message, ParsedSurvey Survey);

    private async Task<Found?> SurveyOfAsync(OmniConsoleDbContext db, string token, CancellationToken ct)
    {
        if (!links.TryRead(token, TrackingKind.Survey, out var messageId, out _)) return null;
        var message = await db.Outbox.AsNoTracking().FirstOrDefaultAsync(m => m.Id == messageId, ct);
        if (message is null) return null;
        var definition = await db.Campaigns.Where(c => c.Id == message.CampaignId).Select(c => c.DefinitionJson).FirstOrDefaultAsync(ct);
        var step = CampaignDefinition.Parse(JsonValue.Deserialize<CampaignInput>(definition ?? "{}")).ElementAtOrDefault(message.StepIndex);
        return step?.Survey is { } survey ? new Found(message, survey) : null;
    }

    // ---- The follow-up queue ----

    public sealed record FollowupView(long FollowupId, long CustomerId, string? CustomerName, int Score, SurveyScale Scale, string? Comment, string CampaignId,
        string? CampaignName, DateTime OpenedAt, FollowupStatus Status, string? TakenBy, string? Note, string? ClosedBy, DateTime? ClosedAt);

    public sealed record FollowupPage(IReadOnlyList<FollowupView> Items, long? Next);

    /// <param name="homeStoreId">a consultant's home store: only customers whose home store it is</param>
    public async Task<FollowupPage> FollowupsAsync(FollowupStatus? status, int limit, long? after, int? homeStoreId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.FeedbackFollowups.AsNoTracking().AsQueryable();
        if (status is { } s) query = query.Where(f => f.Status == s);
        if (after is { } a) query = query.Where(f => f.Id > a);
        if (homeStoreId is { } store) query = query.Where(f => db.Customers.Any(c => c.Id == f.CustomerId && c.HomeStoreId == store));
        var rows = await query.OrderBy(f => f.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        return new FollowupPage(await ViewsAsync(db, page, ct), rows.Count > limit ? page[^1].Id : null);
    }

    /// <summary>Follow-ups as the queue shows them: with their customers' names and campaigns' names (one read each).</summary>
    private static async Task<List<FollowupView>> ViewsAsync(OmniConsoleDbContext db, List<FeedbackFollowup> followups, CancellationToken ct)
    {
        var ids = followups.Select(f => f.CustomerId).Distinct().ToList();
        var names = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.FirstName, c.LastName }).ToDictionaryAsync(c => c.Id, ct);
        var campaignIds = followups.Select(f => f.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return followups.Select(f => new FollowupView(f.Id, f.CustomerId,
            names.TryGetValue(f.CustomerId, out var n) ? string.Join(' ', new[] { n.FirstName, n.LastName }.Where(x => x is not null)) : null,
            f.Score, f.Scale, f.Comment, f.CampaignId, campaigns.GetValueOrDefault(f.CampaignId), f.OpenedAtUtc, f.Status, f.TakenBy, f.Note, f.ClosedBy,
            f.ClosedAtUtc)).ToList();
    }

    /// <summary>How many follow-ups wait to be closed.</summary>
    public async Task<int> OpenCountAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.FeedbackFollowups.CountAsync(f => f.Status == FollowupStatus.Open, ct);
    }

    /// <summary>A staff member takes an open follow-up (the queue shows who is on it); null when there is no such follow-up.</summary>
    public Task<FollowupView?> TakeAsync(long id, string actor, CancellationToken ct) =>
        ChangeAsync(id, f => f.TakenBy = actor, null, ct);

    /// <summary>Closes a follow-up with what was done (a note is required), audited; null when there is no such follow-up.</summary>
    public Task<FollowupView?> CloseAsync(long id, string? note, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(note)) throw new FeedbackValidationException(FeedbackMessages.NoteRequired);
        note = note.Trim();
        if (note.Length > MaxComment) throw new FeedbackValidationException(FeedbackMessages.NoteTooLong);
        var now = clock.GetUtcNow().UtcDateTime;
        return ChangeAsync(id, f =>
        {
            if (f.Status == FollowupStatus.Closed) throw new FeedbackValidationException(ServiceMessages.Format(FeedbackMessages.AlreadyClosed, id));
            (f.Status, f.Note, f.ClosedBy, f.ClosedAtUtc, f.TakenBy) = (FollowupStatus.Closed, note, actor, now, f.TakenBy ?? actor);
        }, new AuditEntry { AtUtc = now, Actor = actor, Action = AuditAction.FollowupClosed, Details = AuditText.Format(AuditText.FollowupClosed, id, note) }, ct);
    }

    private async Task<FollowupView?> ChangeAsync(long id, Action<FeedbackFollowup> change, AuditEntry? audit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var followup = await db.FeedbackFollowups.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (followup is null) return null;
        change(followup);
        followup.Version++;
        if (audit is not null)
        {
            audit.CustomerId = followup.CustomerId;
            db.AuditEntries.Add(audit);
        }
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { throw new FeedbackValidationException(ServiceMessages.Format(FeedbackMessages.ChangedMeanwhile, id)); }
        return (await ViewsAsync(db, [followup], ct))[0];
    }

    // ---- The summary ----

    public sealed record Nps(int Answers, int Promoters, int Passives, int Detractors, int? Score);

    public sealed record Csat(int Answers, decimal? Average);

    public sealed record Breakdown(string Key, Nps Nps, Csat Csat);

    public sealed record Summary(Nps Nps, Csat Csat, IReadOnlyList<Breakdown> ByChannel, IReadOnlyList<Breakdown> ByStore);

    /// <summary>
    /// NPS (promoters 9–10 less detractors 0–6, in % of answers) and CSAT (the average of 1–5) over answers given in
    /// [from, to); by the channel the survey came by, and by the store of the purchase it asked about where there is one.
    /// </summary>
    public async Task<Summary> SummaryAsync(DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var answers = await db.SurveyAnswers.AsNoTracking().Where(a => a.AnsweredAtUtc >= fromUtc && a.AnsweredAtUtc < toUtc)
            .Select(a => new { a.Channel, a.StoreCode, a.Scale, a.Score }).ToListAsync(ct);
        Breakdown Of(string key, IEnumerable<(SurveyScale Scale, int Score)> rows) => new(key, NpsOf(rows), CsatOf(rows));
        var all = answers.Select(a => (a.Scale, a.Score)).ToList();
        return new Summary(NpsOf(all), CsatOf(all),
            answers.GroupBy(a => a.Channel).OrderBy(g => g.Key).Select(g => Of(g.Key.ApiName(), g.Select(a => (a.Scale, a.Score)))).ToList(),
            answers.Where(a => a.StoreCode is not null).GroupBy(a => a.StoreCode!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Of(g.Key, g.Select(a => (a.Scale, a.Score)))).ToList());
    }

    /// <summary>One week of the trend: the week's first day (UTC) and its NPS and CSAT.</summary>
    public sealed record Week(DateOnly From, Nps Nps, Csat Csat);

    /// <summary>NPS and CSAT week by week over the last <paramref name="weeks"/> weeks up to now (weeks without answers included).</summary>
    public async Task<IReadOnlyList<Week>> TrendAsync(int weeks, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = today.AddDays(-7 * weeks + 1);
        var from = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var answers = await db.SurveyAnswers.AsNoTracking().Where(a => a.AnsweredAtUtc >= from).Select(a => new { a.AnsweredAtUtc, a.Scale, a.Score }).ToListAsync(ct);
        var byWeek = answers.ToLookup(a => (DateOnly.FromDateTime(a.AnsweredAtUtc).DayNumber - first.DayNumber) / 7);
        return Enumerable.Range(0, weeks).Select(w =>
        {
            var rows = byWeek[w].Select(a => (a.Scale, a.Score)).ToList();
            return new Week(first.AddDays(7 * w), NpsOf(rows), CsatOf(rows));
        }).ToList();
    }

    public static Nps NpsOf(IEnumerable<(SurveyScale Scale, int Score)> answers)
    {
        var nps = answers.Where(a => a.Scale == SurveyScale.Nps).Select(a => a.Score).ToList();
        var promoters = nps.Count(s => s >= 9);
        var detractors = nps.Count(s => s <= 6);
        return new Nps(nps.Count, promoters, nps.Count - promoters - detractors, detractors,
            nps.Count == 0 ? null : (int)Math.Round(100.0 * (promoters - detractors) / nps.Count, MidpointRounding.AwayFromZero));
    }

    public static Csat CsatOf(IEnumerable<(SurveyScale Scale, int Score)> answers)
    {
        var csat = answers.Where(a => a.Scale == SurveyScale.Csat).Select(a => a.Score).ToList();
        return new Csat(csat.Count, csat.Count == 0 ? null : Math.Round((decimal)csat.Sum() / csat.Count, 2));
    }
}

/// <summary>What <see cref="FeedbackService"/> answers when it refuses (the API's English; the UI says it in its language).</summary>
public static class FeedbackMessages
{
    public const string NoteRequired = "Say what was done: a follow-up is closed with a note.";
    public const string NoteTooLong = "A note is at most 2,000 characters.";
    public const string AlreadyClosed = "Follow-up {0} is closed already.";
    public const string ChangedMeanwhile = "Follow-up {0} changed meanwhile; look at it again.";
}
