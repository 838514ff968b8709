using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Web.Tests;

/// <summary>Campaigns run by the flow and the dispatcher on the test clock, through the sandbox (issue 15's "must show").</summary>
public sealed class CampaignFlowTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    private async Task<(int SegmentId, List<long> Customers)> AudienceAsync(int count, bool smsConsent = true)
    {
        var (segmentId, customers, _) = await CampaignAudience.CreateAsync(app, app.Clock, count, smsConsent);
        return (segmentId, customers);
    }

    [Fact]
    public async Task ASegmentOnACityFirstSeenASecondAgoCountsItsCustomers()
    {
        var segments = Get<SegmentService>();
        await segments.CountAsync(SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тверь"}"""), default); // the cities are read and kept
        var (segmentId, customers) = await AudienceAsync(3);

        var count = await segments.CountAsync((await segments.GetAsync(segmentId, default))!.Definition, default);

        Assert.Equal(3, count.Members);
    }

    /// <summary>The flow and the dispatcher until nothing moves (what the background job does every second).</summary>
    private async Task RunAsync()
    {
        for (var i = 0; i < 50; i++)
        {
            var moved = await Get<CampaignFlow>().RunOnceAsync(default);
            var sent = await Get<OutboxDispatcher>().RunOnceAsync(default);
            if (!moved && sent == 0) return;
        }
        throw new InvalidOperationException("The campaign never settled.");
    }

    private async Task<List<OutboxMessage>> MessagesAsync(string campaignId)
    {
        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaignId).OrderBy(m => m.StepIndex).ThenBy(m => m.CustomerId).ToListAsync();
    }

    private static CampaignStep Email(string subject = "Добро пожаловать, {{firstName}}!", string body = "<p>Здравствуйте, {{firstName}}! <a href=\"https://shop.example/new\">Новинки</a> <a href=\"{{unsubscribeUrl}}\">Отписаться</a></p>") =>
        new() { Channel = "email", Subject = subject, Body = body };

    private static CampaignStep Sms(string text = "{{firstName}}, загляните в письмо от нас: подарок ждёт") => new() { Channel = "sms", Text = text };

    [Fact]
    public async Task CascadeSendsTheSmsOnlyToThoseWhoDidNotOpenTheEmailWithin24Hours()
    {
        var (segmentId, customers) = await AudienceAsync(3);
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "Welcome cascade", SegmentId = segmentId,
            Steps = [Email(), new CampaignStep { Wait = "PT24H", Unless = "opened" }, Sms()],
        }, "marketer@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "marketer@test", default);
        await RunAsync();

        // Results list every send step, the SMS too before anyone reached it, and who is in the wait.
        var early = (await Get<CampaignResults>().GetAsync(campaign.CampaignId, default))!;
        Assert.Equal([(0, Channel.Email, 3), (2, Channel.Sms, 0)], early.Steps.Select(s => (s.Step, s.Channel, s.Eligible)));
        Assert.Equal((1, TimeSpan.FromHours(24), WaitUnless.Opened, 3, 0), early.Waits.Select(w => (w.Step, w.Wait, w.Unless, w.Waiting, w.Left)).Single());

        var emails = await MessagesAsync(campaign.CampaignId);
        Assert.Equal(3, emails.Count);
        Assert.All(emails, m => Assert.Equal((MessageStatus.Delivered, Channel.Email), (m.Status, m.Channel)));
        // The first customer opens the e-mail (the pixel, as a mail client loads it).
        var opener = emails.Single(m => m.CustomerId == customers[0]);
        var pixel = Get<TrackingLinks>().OpenPixelUrl(opener.Id).Replace("http://localhost", "");
        Assert.Equal("image/gif", (await app.CreateClient().GetAsync(pixel)).Content.Headers.ContentType?.MediaType);

        app.Clock.Advance(TimeSpan.FromHours(23));
        await RunAsync();
        Assert.Equal(3, (await MessagesAsync(campaign.CampaignId)).Count); // still waiting
        app.Clock.Advance(TimeSpan.FromHours(2));
        await RunAsync();

        var all = await MessagesAsync(campaign.CampaignId);
        var sms = all.Where(m => m.StepIndex == 2).ToList();
        Assert.Equal(customers.Skip(1).Order(), sms.Select(m => m.CustomerId).Order());
        Assert.All(sms, m => Assert.Equal((MessageStatus.Delivered, Channel.Sms), (m.Status, m.Channel)));
        Assert.Equal(CampaignStatus.Completed, (await campaigns.GetAsync(campaign.CampaignId, default))!.Status);

        var results = (await Get<CampaignResults>().GetAsync(campaign.CampaignId, default))!;
        Assert.Equal(3, results.Audience);
        Assert.Equal((3, 3, 1), (results.Steps[0].Sent, results.Steps[0].Delivered, results.Steps[0].Opened));
        Assert.Equal((2, 2), (results.Steps[1].Eligible, results.Steps[1].Sent));
        Assert.Equal((0, 1), (results.Waits[0].Waiting, results.Waits[0].Left)); // the opener left the flow in the wait

        // Every message is on the customer's timeline with its campaign.
        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        var timeline = await db.CustomerEvents.AsNoTracking().Where(e => e.CampaignId == campaign.CampaignId).Select(e => new { e.CustomerId, e.Type }).ToListAsync();
        Assert.Contains(timeline, e => e.CustomerId == customers[0] && e.Type == EventType.MessageOpened);
        Assert.Equal(5, timeline.Count(e => e.Type == EventType.MessageSent));
        Assert.Single(timeline, e => e.CustomerId == customers[0] && e.Type == EventType.MessageSent); // the opener got the e-mail only

        // Segments see the campaign's messages as they see a provider's: the opener, and the two who got the SMS.
        var segments = Get<SegmentService>();
        var opened = await segments.CountAsync(SegmentService.ParseOrThrow(
            "{\"attr\":\"events\",\"type\":\"message_opened\",\"campaignId\":\"" + campaign.CampaignId + "\",\"op\":\"gte\",\"value\":1}"), default);
        Assert.Equal(1, opened.Members);
        var delivered = await segments.CountAsync(SegmentService.ParseOrThrow(
            "{\"attr\":\"events\",\"type\":\"message_delivered\",\"channel\":\"sms\",\"campaignId\":\"" + campaign.CampaignId + "\",\"op\":\"gte\",\"value\":1}"), default);
        Assert.Equal(2, delivered.Members);
    }

    [Fact]
    public async Task StoppingACampaignDoesNotCountThoseInAWaitAsHavingReacted()
    {
        var (segmentId, _) = await AudienceAsync(2);
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "Stopped in the wait", SegmentId = segmentId, Steps = [Email(), new CampaignStep { Wait = "P3D", Unless = "opened" }, Sms()],
        }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        await RunAsync();
        await campaigns.StopAsync(campaign.CampaignId, "m@test", default);

        var wait = (await Get<CampaignResults>().GetAsync(campaign.CampaignId, default))!.Waits.Single();
        Assert.Equal((0, 0, 2), (wait.Waiting, wait.Left, wait.Stopped));
    }

    [Fact]
    public async Task TheSmsCapSkipsMessagesOverItAndCountsThem()
    {
        var (segmentId, _) = await AudienceAsync(1);
        var campaigns = Get<CampaignService>();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var c = await campaigns.CreateAsync(new CampaignInput { Name = $"SMS {i}", SegmentId = segmentId, Steps = [Sms($"Акция {i}")] }, "m@test", default);
            await campaigns.LaunchAsync(c.CampaignId, "m@test", default);
            await RunAsync();
            ids.Add(c.CampaignId);
        }
        var statuses = new List<MessageStatus>();
        foreach (var id in ids) statuses.Add((await MessagesAsync(id)).Single().Status);
        Assert.Equal([MessageStatus.Delivered, MessageStatus.Delivered, MessageStatus.Delivered, MessageStatus.Skipped], statuses); // SMS: 3 a day
        Assert.Equal(SkipReason.Capped, (await MessagesAsync(ids[3])).Single().SkipReason);
        Assert.Equal(1, (await Get<CampaignResults>().GetAsync(ids[3], default))!.Steps[0].SkippedCapped);

        app.Clock.Advance(TimeSpan.FromHours(25)); // a day later the cap has room again
        var next = await campaigns.CreateAsync(new CampaignInput { Name = "SMS later", SegmentId = segmentId, Steps = [Sms("Снова")] }, "m@test", default);
        await campaigns.LaunchAsync(next.CampaignId, "m@test", default);
        await RunAsync();
        Assert.Equal(MessageStatus.Delivered, (await MessagesAsync(next.CampaignId)).Single().Status);
    }

    [Fact]
    public async Task MessagesAreSentWhenTheClockIsFinerThanTheDatabasesTimes()
    {
        // .NET's clock ticks in 100 ns; PostgreSQL keeps microseconds. A claim compared at full precision never matched
        // on PostgreSQL: the dispatcher claimed its batch, found none of it "its own" and sent nothing, again and again.
        using var own = new OmniConsoleFactory();
        own.Clock.Advance(TimeSpan.FromTicks(1_234_567));
        var (segmentId, customers, _) = await CampaignAudience.CreateAsync(own, own.Clock, 3, smsConsent: true);
        var campaigns = own.Services.GetRequiredService<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput { Name = "Fine clock", SegmentId = segmentId, Steps = [Sms()] }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);

        for (var i = 0; i < 10; i++)
        {
            await own.Services.GetRequiredService<CampaignFlow>().RunOnceAsync(default);
            await own.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);
        }

        await using var db = await own.Services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        var messages = await db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaign.CampaignId).ToListAsync();
        Assert.Equal(customers.Count, messages.Count);
        Assert.All(messages, m => Assert.Equal((MessageStatus.Delivered, 1), (m.Status, m.Attempts)));
    }

    /// <summary>RFC 8058's one-click body, as a mail client posts it: form-encoded, no cookie, no antiforgery token.</summary>
    private static FormUrlEncodedContent OneClick => new(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });

    [Fact]
    public async Task OpeningTheUnsubscribeLinkOnlyAsksAndAOneClickPostWithdrawsTheConsentOnce()
    {
        var (segmentId, customers) = await AudienceAsync(1);
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput { Name = "One letter", SegmentId = segmentId, Steps = [Email()] }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        await RunAsync();
        var message = (await MessagesAsync(campaign.CampaignId)).Single();
        var url = Get<TrackingLinks>().UnsubscribeUrl(message.Id).Replace("http://localhost", "");
        async Task<(bool? Granted, int Items, DateTime? At)> StateAsync()
        {
            await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
            var granted = await db.CustomerConsents.Where(c => c.CustomerId == customers[0] && c.Channel == Channel.Email).Select(c => (bool?)c.Granted).SingleOrDefaultAsync();
            var items = await db.CustomerEvents.CountAsync(e => e.CustomerId == customers[0] && e.Type == EventType.Unsubscribed);
            var at = await db.Outbox.Where(m => m.Id == message.Id).Select(m => m.UnsubscribedAtUtc).SingleAsync();
            return (granted, items, at);
        }

        // A mail scanner (or the customer) opens the link: a page with one button, and nothing changes.
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        for (var i = 0; i < 2; i++)
        {
            var asked = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            var html = await asked.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"post\">", html);
            Assert.Contains(">Unsubscribe</button>", html);
            Assert.Contains("width=device-width", html);
        }
        Assert.Equal((true, 0, null), await StateAsync());

        // The one-click POST (or the button) withdraws the e-mail consent at once; a repeat answers the same and changes nothing.
        var done = await client.PostAsync(url, OneClick);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("You are unsubscribed.", await done.Content.ReadAsStringAsync());
        var after = await StateAsync();
        Assert.Equal((false, 1), (after.Granted, after.Items));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(url, OneClick)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(url, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(after, await StateAsync());

        // A forged or edited token changes nothing, by GET or POST.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(url[..^3] + "abc", OneClick)).StatusCode);

        // The page speaks the installation's language.
        using var russian = app.WithWebHostBuilder(b => b.UseSetting("OmniConsole:DefaultCulture", "ru-RU"));
        var page = await (await russian.CreateClient().GetAsync(url)).Content.ReadAsStringAsync();
        Assert.Contains(">Отписаться</button>", page);
        Assert.Contains("Отписаться от этих сообщений?", page);
    }

    [Fact]
    public async Task AConsentWithdrawnByTheUnsubscribeLinkHoldsAtOnceAndNoConsentIsSkipped()
    {
        var (segmentId, customers) = await AudienceAsync(2, smsConsent: false);
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "Two letters", SegmentId = segmentId, Steps = [Email(), new CampaignStep { Wait = "P1D" }, Email("Ещё одно письмо"), Sms()],
        }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        await RunAsync();
        var first = (await MessagesAsync(campaign.CampaignId)).Single(m => m.CustomerId == customers[1]);

        var page = await app.CreateClient().PostAsync(Get<TrackingLinks>().UnsubscribeUrl(first.Id).Replace("http://localhost", ""), OneClick);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("unsubscribed", await page.Content.ReadAsStringAsync());

        app.Clock.Advance(TimeSpan.FromDays(1.1));
        await RunAsync();
        var second = (await MessagesAsync(campaign.CampaignId)).Where(m => m.StepIndex == 2).ToDictionary(m => m.CustomerId);
        Assert.Equal(MessageStatus.Delivered, second[customers[0]].Status);
        Assert.Equal((MessageStatus.Skipped, SkipReason.NoConsent), (second[customers[1]].Status, second[customers[1]].SkipReason));
        // No SMS consent at all: the SMS step skips both, counted as such.
        var results = (await Get<CampaignResults>().GetAsync(campaign.CampaignId, default))!;
        Assert.Equal(2, results.Steps.Single(s => s.Step == 3).SkippedNoConsent);
        Assert.Equal(1, results.Steps[0].Unsubscribed);
    }

    [Fact]
    public async Task InQuietHoursAMessageWaitsUntilTheyEndAt0800()
    {
        using var quiet = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("OmniConsole:Messaging:QuietHours:Enabled", "true");
            b.UseSetting("OmniConsole:DisplayTimeZone", "Europe/Moscow");
        });
        var services = quiet.Services;
        var (segmentId, _) = await AudienceAsync(1);
        // 21:30 in Moscow (UTC+3) on the test clock's day.
        var clock = app.Clock;
        var target = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(18.5), TimeSpan.Zero);
        clock.SetUtcNow(target);
        var campaigns = services.GetRequiredService<CampaignService>();
        var c = await campaigns.CreateAsync(new CampaignInput { Name = "Evening push", SegmentId = segmentId, Steps = [Email()] }, "m@test", default);
        await campaigns.LaunchAsync(c.CampaignId, "m@test", default);
        await services.GetRequiredService<CampaignFlow>().RunOnceAsync(default);
        await services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);

        var waiting = (await MessagesAsync(c.CampaignId)).Single();
        Assert.Equal(MessageStatus.Pending, waiting.Status);
        Assert.Equal(target.UtcDateTime.Date.AddDays(1).AddHours(5), waiting.DueAtUtc); // 08:00 Moscow

        clock.SetUtcNow(new DateTimeOffset(waiting.DueAtUtc, TimeSpan.Zero));
        await services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);
        Assert.Equal(MessageStatus.Delivered, (await MessagesAsync(c.CampaignId)).Single().Status);
    }

    [Fact]
    public async Task BadCampaignsAre400NamingTheFieldAndALaunchedOneIs409()
    {
        var (segmentId, _) = await AudienceAsync(1);
        var api = app.Api(OmniConsoleFactory.ManagementKey);
        async Task<List<string>> Bad(object body)
        {
            var response = await api.PostAsJsonAsync("/api/v1/campaigns", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            return problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList(); // as the segment and loyalty endpoints name them
        }
        Assert.Contains("segmentId", (await Bad(new { name = "x", steps = new[] { new { channel = "sms", text = "t" } } })));
        Assert.Contains("steps", (await Bad(new { name = "x", segmentId, steps = Array.Empty<object>() })));
        Assert.Contains("steps[0].text", (await Bad(new { name = "x", segmentId, steps = new[] { new { channel = "sms", text = "Привет, {{firstname}}" } } })));
        Assert.Contains("steps[0].text", (await Bad(new { name = "x", segmentId, steps = new[] { new { channel = "sms", text = new string('я', 300) } } })));
        Assert.Contains("steps[1].wait", (await Bad(new { name = "x", segmentId, steps = new object[] { new { channel = "sms", text = "t" }, new { wait = "24 hours" } } })));

        // A step that fails its own checks keeps the fields after it named by their own positions.
        var shifted = await Bad(new { name = "x", segmentId, steps = new object[] { new { channel = "fax", text = "t" }, new { wait = "PT1H", unless = "opened" } } });
        Assert.Contains("steps[0].channel", shifted);
        Assert.Contains("steps[1].unless", shifted);

        var created = await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "Fine", segmentId, steps = new[] { new { channel = "sms", text = "Привет, {{firstName}}" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = draft["campaignId"]!.GetValue<string>();
        // Status and channel as the contract spells them, here as in the results.
        Assert.Equal(("draft", "sms"), (draft["status"]!.GetValue<string>(), draft["channel"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/campaigns/{id}/launch", null)).StatusCode);
        var again = await api.PostAsync($"/api/v1/campaigns/{id}/launch", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PutAsJsonAsync($"/api/v1/campaigns/{id}", new { name = "Changed", segmentId, steps = new[] { new { channel = "sms", text = "t" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/campaigns/nope/results")).StatusCode);
        await RunAsync();
        var results = await api.GetFromJsonAsync<JsonObject>($"/api/v1/campaigns/{id}/results");
        Assert.Equal(1, results!["steps"]![0]!["sent"]!.GetValue<int>());
        var done = await api.GetFromJsonAsync<JsonObject>($"/api/v1/campaigns/{id}");
        Assert.Equal(("completed", "sms"), (done!["status"]!.GetValue<string>(), done["channel"]!.GetValue<string>()));
        var listed = (await api.GetFromJsonAsync<JsonObject>("/api/v1/campaigns"))!["items"]!.AsArray().Single(c => c!["campaignId"]!.GetValue<string>() == id)!;
        Assert.Equal("completed", listed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task EachMessageIsCostedAtThePriceItWasSentAtSoANewPriceDoesNotRewritePastCampaigns()
    {
        var (segmentId, _) = await AudienceAsync(2);
        var campaigns = Get<CampaignService>();
        var results = Get<CampaignResults>();
        async Task<string> SendAsync(string name)
        {
            var c = await campaigns.CreateAsync(new CampaignInput { Name = name, SegmentId = segmentId, Steps = [Sms(name)] }, "m@test", default);
            await campaigns.LaunchAsync(c.CampaignId, "m@test", default);
            await RunAsync();
            return c.CampaignId;
        }
        Assert.True(await results.SetPricesAsync(new Dictionary<Channel, Money> { [Channel.Sms] = new(3_50) }, "admin@test", default));
        var first = await SendAsync("Цена 3,50");
        Assert.Equal(7_00, (await results.GetAsync(first, default))!.Cost.Minor);

        Assert.True(await results.SetPricesAsync(new Dictionary<Channel, Money> { [Channel.Sms] = new(10_00), [Channel.Email] = new(1_00) }, "admin@test", default));
        Assert.Equal(7_00, (await results.GetAsync(first, default))!.Cost.Minor); // sent at 3.50: stays
        var second = await SendAsync("Цена 10");
        Assert.Equal(20_00, (await results.GetAsync(second, default))!.Channels.Single().Cost.Minor);

        // Out of range: refused, and nothing of the batch saved.
        Assert.False(await results.SetPricesAsync(new Dictionary<Channel, Money> { [Channel.Email] = new(2_00), [Channel.Sms] = new(-1) }, "admin@test", default));
        var prices = await results.PricesAsync(default);
        Assert.Equal((10_00, 1_00), (prices[Channel.Sms].Minor, prices[Channel.Email].Minor));
    }

    [Fact]
    public async Task TheResultsWorkbookSaysWhichCampaignAndWhenAboveTypedFigures()
    {
        var (segmentId, _) = await AudienceAsync(2);
        var campaigns = Get<CampaignService>();
        var c = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "Весенняя рассылка", SegmentId = segmentId, Steps = [Email(), new CampaignStep { Wait = "P2D", Unless = "clicked" }, Sms()],
        }, "m@test", default);
        await campaigns.LaunchAsync(c.CampaignId, "m@test", default);
        await RunAsync();

        var manager = await app.SignedInAsync(Core.Staff.Roles.Manager);
        var response = await manager.GetAsync(Web.Components.Pages.Campaigns.CampaignResultsWorkbook.Link(c.CampaignId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("campaign-весенняя-рассылка-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var book = new ClosedXML.Excel.XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = book.Worksheet(1);
        Assert.Equal("Весенняя рассылка", sheet.Cell(1, 1).GetString());
        Assert.Equal(ClosedXML.Excel.XLDataType.DateTime, sheet.Cell(3, 2).DataType); // launched
        Assert.StartsWith("city Город-", sheet.Cell(4, 2).GetString()); // the audience
        Assert.Equal("At launch, for the whole audience", sheet.Cell(5, 2).GetString());
        var header = Web.Components.Pages.Campaigns.CampaignResultsWorkbook.HeaderRow;
        Assert.Equal("Step", sheet.Cell(header, 1).GetString());
        // In the flow's order: the e-mail (2 sent), the wait (both in it), the SMS (not reached yet: zeros), each with its text.
        Assert.Equal((1d, "Email", "Добро пожаловать, {{firstName}}!", 2d),
            (sheet.Cell(header + 1, 1).GetDouble(), sheet.Cell(header + 1, 2).GetString(), sheet.Cell(header + 1, 3).GetString(), sheet.Cell(header + 1, 10).GetDouble()));
        Assert.Equal(ClosedXML.Excel.XLDataType.Number, sheet.Cell(header + 1, 10).DataType);
        Assert.Equal((2d, 2d, 0d), (sheet.Cell(header + 2, 1).GetDouble(), sheet.Cell(header + 2, 16).GetDouble(), sheet.Cell(header + 2, 18).GetDouble()));
        Assert.StartsWith("Wait 2 days", sheet.Cell(header + 2, 2).GetString());
        Assert.Equal((3d, "SMS", 0d), (sheet.Cell(header + 3, 1).GetDouble(), sheet.Cell(header + 3, 2).GetString(), sheet.Cell(header + 3, 4).GetDouble()));
    }
}
