using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Data;
using OmniConsole.Core.Feedback;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Feedback after an interaction (MANAGEMENT-API.md, v1.1): a survey step's SMS through a real gateway carries each
/// recipient's own answer link; the public page takes an answer (a second replaces it, a score off the scale or a
/// forged link stores nothing); a detractor's answer opens a follow-up that staff close with a note.
/// </summary>
public sealed class FeedbackTests(OmniConsoleFactory fixture) : IClassFixture<OmniConsoleFactory>, IAsyncLifetime
{
    private TestProviders _providers = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _providers = await TestProviders.StartAsync();
        _app = fixture.WithWebHostBuilder(_providers.Configure);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _providers.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private HttpClient Client(string? key = null)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task ASurveyLinkTakesOneAnswerPerMessageAndADetractorOpensAFollowUpStaffCloseWithANote()
    {
        var (segmentId, customers, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 2);
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "NPS " + Guid.NewGuid().ToString("N")[..6], SegmentId = segmentId,
            Steps = [new CampaignStep { Survey = new SurveyStep { Channel = "sms", Question = "Порекомендуете нас друзьям?", Scale = "nps" } }],
        }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        for (var i = 0; i < 20 && (await Get<CampaignFlow>().RunOnceAsync(default) | await Get<OutboxDispatcher>().RunOnceAsync(default) > 0); i++) { }

        // Each recipient's SMS is the question and a link of their own.
        var texts = _providers.Posts.Where(p => phones.Contains(p.To)).ToDictionary(p => p.To, p => p.Text);
        Assert.Equal(2, texts.Count);
        var links = texts.ToDictionary(t => t.Key, t => Regex.Match(t.Value, @"http://\S+/t/s/(\S+)").Groups[1].Value);
        Assert.All(texts.Values, t => Assert.StartsWith("Порекомендуете нас друзьям? http", t));
        Assert.NotEqual(links[phones[0]], links[phones[1]]);
        var path = "/t/s/" + links[phones[0]];

        var page = Client();
        var question = await page.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, question.StatusCode);
        var html = await question.Content.ReadAsStringAsync();
        Assert.Contains("Порекомендуете нас друзьям?", html);
        Assert.Contains("data-testid=\"survey-score-0\"", html);
        Assert.Contains("data-testid=\"survey-score-10\"", html);

        // A score off the scale: 400 with the page and a message, nothing stored. A forged link: 404.
        var off = await page.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "11" }));
        Assert.Equal(HttpStatusCode.BadRequest, off.StatusCode);
        Assert.Contains("survey-error", await off.Content.ReadAsStringAsync());
        var forged = path[..^3] + (path[^3] == 'A' ? 'B' : 'A') + path[^2..];
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await page.PostAsync(forged, new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "5" }))).StatusCode);
        await using (var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync())
            Assert.False(await db.SurveyAnswers.AnyAsync(a => a.CampaignId == campaign.CampaignId));

        // A detractor with a comment: stored, on the timeline in the survey's channel, and a follow-up opens.
        var answered = await page.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "3", ["comment"] = "Долго ждал курьера" }));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("survey-thanks", await answered.Content.ReadAsStringAsync());
        // A second answer (as JSON, as an app sends it) replaces the first everywhere.
        var again = await page.PostAsJsonAsync(path, new { score = 5, comment = "Долго ждал курьера, но вежливый" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await using (var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync())
        {
            var answer = await db.SurveyAnswers.AsNoTracking().SingleAsync(a => a.CampaignId == campaign.CampaignId);
            Assert.Equal((customers[0], 5, "Долго ждал курьера, но вежливый", OmniConsole.Core.Common.Channel.Sms), (answer.CustomerId, answer.Score, answer.Comment, answer.Channel));
            var item = await db.CustomerEvents.AsNoTracking().SingleAsync(e => e.CustomerId == customers[0] && e.Type == EventType.SurveyAnswered);
            Assert.Equal((OmniConsole.Core.Common.Channel.Sms, 5, campaign.CampaignId), (item.Channel, item.Payload.Survey!.Score, item.CampaignId));
        }

        // A double submission (two taps at once) is harmless: both answered, one answer stored, one timeline item.
        var other = "/t/s/" + links[phones[1]];
        var twice = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Client().PostAsync(other,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "9" }))));
        Assert.All(twice, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await using (var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(1, await db.SurveyAnswers.CountAsync(a => a.CustomerId == customers[1] && a.CampaignId == campaign.CampaignId));
            Assert.Equal(1, await db.CustomerEvents.CountAsync(e => e.CustomerId == customers[1] && e.Type == EventType.SurveyAnswered));
        }

        // Segments see the latest score (surveyScore, with its scale); a customer with no answer has none.
        var segments = Get<OmniConsole.Core.Segments.SegmentService>();
        async Task<int> CountAsync(string condition) => (await segments.CountAsync(OmniConsole.Core.Segments.SegmentService.ParseOrThrow(
            $$"""{"all":[{"attr":"inSegment","op":"eq","value":{{segmentId}}},{{condition}}]}"""), default)).Members;
        Assert.Equal(1, await CountAsync("""{"attr":"surveyScore","scale":"nps","withinDays":30,"op":"lte","value":6}"""));
        Assert.Equal(1, await CountAsync("""{"attr":"surveyScore","op":"gte","value":7}""")); // the 9 of the double submission
        Assert.Equal(0, await CountAsync("""{"attr":"surveyScore","scale":"csat","op":"lte","value":10}"""));
        // …and the answer as an event of its own, through the segment facts the timeline item was written with.
        Assert.Equal(2, await CountAsync("""{"attr":"events","type":"survey_answered","op":"gte","value":1}"""));

        var api = Client(OmniConsoleFactory.ManagementKey);
        var open = JsonNode.Parse(await api.GetStringAsync("/api/v1/feedback/followups?status=open&limit=1000"))!["items"]!.AsArray()
            .Single(f => (string)f!["campaignId"]! == campaign.CampaignId)!;
        Assert.Equal((5, "nps", "open", customers[0]), ((int)open["score"]!, (string)open["scale"]!, (string)open["status"]!, (long)open["customerId"]!));
        var id = (long)open["followupId"]!;
        var noNote = await api.PostAsJsonAsync($"/api/v1/feedback/followups/{id}/close", new { note = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        var closed = await api.PostAsJsonAsync($"/api/v1/feedback/followups/{id}/close", new { note = "Позвонили, извинились, начислили 300 бонусов" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var body = JsonNode.Parse(await closed.Content.ReadAsStringAsync())!;
        Assert.Equal(("closed", "Позвонили, извинились, начислили 300 бонусов"), ((string)body["status"]!, (string)body["note"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/feedback/followups/99999999/close", new { note = "x" })).StatusCode);
        await using (var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync())
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.FollowupClosed && a.CustomerId == customers[0]));

        // The summary counts the answer: one NPS answer of 5, a detractor.
        var summary = JsonNode.Parse(await api.GetStringAsync("/api/v1/feedback/summary"))!;
        Assert.True((int)summary["nps"]!["detractors"]! >= 1);
        Assert.Contains(summary["byChannel"]!.AsArray(), c => (string)c!["channel"]! == "sms");
    }

    [Fact]
    public async Task AnEmailSurveyCarriesTheQuestionAsSubjectAndThePersonalLinkThroughRealSmtp()
    {
        var (segmentId, _, _) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 1);
        var campaigns = Get<CampaignService>();
        var question = "Довольны ли вы покупкой? " + Guid.NewGuid().ToString("N")[..6];
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "CSAT " + Guid.NewGuid().ToString("N")[..6], SegmentId = segmentId,
            Steps = [new CampaignStep { Survey = new SurveyStep { Channel = "email", Question = question, Scale = "csat" } }],
        }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        for (var i = 0; i < 20 && (await Get<CampaignFlow>().RunOnceAsync(default) | await Get<OutboxDispatcher>().RunOnceAsync(default) > 0); i++) { }

        var received = _providers.Smtp.ReceivedEmail.Select(e => MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(e.Data))))
            .Single(m => m.Subject == question);
        var path = "/t/s/" + Regex.Match(received.HtmlBody ?? "", @"/t/s/([A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.NotNull(received.Headers[MimeKit.HeaderId.ListUnsubscribe]); // a survey e-mail can be unsubscribed from like any other
        var page = await Client().GetStringAsync(path);
        Assert.Contains(question, page);
        Assert.Contains("data-testid=\"survey-score-5\"", page);
        Assert.DoesNotContain("data-testid=\"survey-score-0\"", page); // CSAT is 1–5
    }

    [Fact]
    public void NpsAndCsatAreCountedAsTheirDefinitionsSay()
    {
        var nps = FeedbackService.NpsOf([(SurveyScale.Nps, 10), (SurveyScale.Nps, 9), (SurveyScale.Nps, 8), (SurveyScale.Nps, 6), (SurveyScale.Csat, 1)]);
        Assert.Equal((4, 2, 1, 1, 25), (nps.Answers, nps.Promoters, nps.Passives, nps.Detractors, nps.Score)); // (2 − 1) ÷ 4
        var csat = FeedbackService.CsatOf([(SurveyScale.Csat, 5), (SurveyScale.Csat, 4), (SurveyScale.Csat, 2), (SurveyScale.Nps, 0)]);
        Assert.Equal((3, 3.67m), (csat.Answers, csat.Average));
        Assert.True(FeedbackService.IsDetractor(SurveyScale.Csat, 2));
        Assert.False(FeedbackService.IsDetractor(SurveyScale.Nps, 7));
    }
}
