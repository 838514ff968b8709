using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Feedback;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Api;

/// <summary>
/// Feedback after an interaction (MANAGEMENT-API.md, v1.1): the survey link's public answer page (anonymous, the token is
/// the proof), and over the management API (scope campaigns) the follow-up queue and the NPS/CSAT summary.
/// </summary>
public static class FeedbackEndpoints
{
    public static void MapPublic(WebApplication app)
    {
        app.MapGet(TrackingLinks.SurveyPath + "{token}", async (string token, FeedbackService feedback, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
                await feedback.QuestionAsync(token, ct) is { } question ? TrackingEndpoints.Html(Form(question, L, null)) : TrackingEndpoints.Invalid(L))
            .AllowAnonymous().ExcludeFromDescription();

        // A form from the page, or JSON from an app; a second answer replaces the first.
        app.MapPost(TrackingLinks.SurveyPath + "{token}", async (string token, HttpRequest request, FeedbackService feedback, IStringLocalizer<SharedResource> L,
            CancellationToken ct) =>
        {
            var question = await feedback.QuestionAsync(token, ct);
            if (question is null) return TrackingEndpoints.Invalid(L);
            var (score, comment) = await ReadAnswerAsync(request, ct);
            var outcome = score is { } s ? await feedback.AnswerAsync(token, s, comment, ct) : FeedbackService.AnswerOutcome.OutOfScale;
            return outcome switch
            {
                FeedbackService.AnswerOutcome.Saved => TrackingEndpoints.Html(TrackingEndpoints.Page(L["Thank you for your answer!"],
                    L["It helps us do better. You can change it with the same link."], null, "survey-thanks")),
                FeedbackService.AnswerOutcome.NotFound => TrackingEndpoints.Invalid(L),
                _ => TrackingEndpoints.Html(Form(question with { Comment = comment }, L, L["Choose a score from {0} to {1}.", question.Min, question.Max]), 400),
            };
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    private static async Task<(int? Score, string? Comment)> ReadAnswerAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            return (int.TryParse(form["score"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var score) ? score : null, form["comment"].ToString());
        }
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var root = json.RootElement;
            int? score = root.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) ? n : null;
            return (score, root.TryGetProperty("comment", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);
        }
        catch (JsonException) { return (null, null); }
    }

    /// <summary>The question with a button per score (big enough for a thumb) and an optional comment; no scripts.</summary>
    private static string Form(FeedbackService.Question question, IStringLocalizer<SharedResource> L, string? error)
    {
        // Each score a button a thumb can hit: the radio itself is hidden, its label shows it, checked or not.
        var scores = "<style>.oc-score{display:inline-block;margin:.15rem;position:relative}.oc-score input{position:absolute;opacity:0;inset:0}" +
            ".oc-score span{display:inline-block;min-width:2.2rem;text-align:center;font-size:1.2rem;padding:.5rem .3rem;border:1px solid #888;border-radius:.4rem}" +
            ".oc-score input:checked+span{background:#5b3cc4;color:#fff;border-color:#5b3cc4}.oc-score input:focus-visible+span{outline:2px solid #5b3cc4}</style>" +
            string.Concat(Enumerable.Range(question.Min, question.Max - question.Min + 1).Select(s =>
                $"<label class=\"oc-score\" data-testid=\"survey-score-{s}\"><input type=\"radio\" name=\"score\" value=\"{s}\"{(question.Score == s ? " checked" : "")} required>" +
                $"<span>{s}</span></label>"));
        var hint = question.Scale == SurveyScale.Nps ? L["0: not at all likely, 10: extremely likely"] : L["1: very dissatisfied, 5: very satisfied"];
        var form = (error is null ? "" : $"<p role=\"alert\" style=\"color:#b00020\" data-testid=\"survey-error\">{WebUtility.HtmlEncode(error)}</p>") +
            $"<form method=\"post\"><div data-testid=\"survey-scale\">{scores}</div><p style=\"color:#555\">{WebUtility.HtmlEncode(hint)}</p>" +
            $"<p><label>{WebUtility.HtmlEncode(L["Comment (optional)"])}<br><textarea name=\"comment\" rows=\"4\" maxlength=\"{FeedbackService.MaxComment}\" style=\"width:100%\" data-testid=\"survey-comment\">" +
            $"{WebUtility.HtmlEncode(question.Comment ?? "")}</textarea></label></p>" +
            $"<button type=\"submit\" data-testid=\"survey-submit\" style=\"font-size:1.1rem;padding:.8rem 1.5rem;width:100%;max-width:20rem\">{WebUtility.HtmlEncode(L["Send the answer"])}</button></form>";
        return TrackingEndpoints.Page(question.Text, question.Score is null ? L["Your answer takes a few seconds."] : L["You answered already; a new answer replaces it."], form, "survey-question");
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/feedback/followups", async (string? status, int? limit, long? after, FeedbackService feedback, CancellationToken ct) =>
        {
            if (status is not (null or "" or "open" or "closed")) return LoyaltyEndpoints.Invalid([new("status", "status is open or closed.")]);
            FollowupStatus? filter = status switch { "open" => FollowupStatus.Open, "closed" => FollowupStatus.Closed, _ => null };
            if (limit is < 1 or > 1000) return LoyaltyEndpoints.Invalid([new("limit", "limit is 1 to 1000.")]);
            var page = await feedback.FollowupsAsync(filter, limit ?? 100, after, null, ct);
            return Results.Ok(new { items = page.Items.Select(Contract), next = page.Next });
        }).WithSummary("Follow-ups of detractors' answers and comments, by id; limit 1–1000, after = the previous page's next").Produces(200, contentType: "application/json").ProducesProblem(400);
        api.MapPost("/feedback/followups/{followupId:long}/close", async (long followupId, HttpRequest request, ClaimsPrincipal user, FeedbackService feedback, CancellationToken ct) =>
        {
            var (input, error) = await LoyaltyEndpoints.ReadAsync<CloseRequest>(request, ct);
            if (error is not null) return error;
            try
            {
                return await feedback.CloseAsync(followupId, input!.Note, user.ApiKeyName(), ct) is { } closed
                    ? Results.Ok(Contract(closed)) : ApiProblems.NotFound($"There is no follow-up {followupId}.");
            }
            catch (FeedbackValidationException ex) { return LoyaltyEndpoints.Invalid([new("note", ex.Message)]); }
        }).WithSummary("Close a follow-up with a note saying what was done (400 without one)").Accepts<CloseRequest>("application/json").Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/feedback/summary", async (DateTimeOffset? from, DateTimeOffset? to, FeedbackService feedback, TimeProvider clock, CancellationToken ct) =>
        {
            var until = to?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime.AddSeconds(1); // by default up to now, this second's answers included
            var since = from?.UtcDateTime ?? until.AddDays(-30);
            if (since >= until) return LoyaltyEndpoints.Invalid([new("from", "from is before to.")]);
            var s = await feedback.SummaryAsync(since, until, ct);
            return Results.Ok(new
            {
                from = since, to = until, nps = Nps(s.Nps), csat = Csat(s.Csat),
                byChannel = s.ByChannel.Select(b => new { channel = b.Key, nps = Nps(b.Nps), csat = Csat(b.Csat) }),
                byStore = s.ByStore.Select(b => new { storeCode = b.Key, nps = Nps(b.Nps), csat = Csat(b.Csat) }),
            });
        }).WithSummary("NPS and CSAT over the answers given from–to (default: the last 30 days), by channel and by store").Produces(200, contentType: "application/json").ProducesProblem(400);
    }

    public sealed record CloseRequest(string? Note);

    private static object Contract(FeedbackService.FollowupView f) => new
    {
        followupId = f.FollowupId, customerId = f.CustomerId, score = f.Score, scale = f.Scale.ToString().ToLowerInvariant(), comment = f.Comment,
        campaignId = f.CampaignId, openedAt = f.OpenedAt, status = f.Status.ToString().ToLowerInvariant(), note = f.Note, closedBy = f.ClosedBy,
    };

    private static object Nps(FeedbackService.Nps n) => new { answers = n.Answers, promoters = n.Promoters, passives = n.Passives, detractors = n.Detractors, score = n.Score };

    private static object Csat(FeedbackService.Csat c) => new { answers = c.Answers, average = c.Average };
}
