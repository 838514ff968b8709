using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using netDumbster.smtp;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Delivery off the happy path, against a real HTTP SMS gateway (Kestrel, answering as each test scripts it) and a real
/// SMTP server: nothing is sent twice, nothing is lost to an outage, and one channel's trouble does not hold up another.
/// </summary>
public sealed class DeliveryTests(OmniConsoleFactory fixture) : IClassFixture<OmniConsoleFactory>, IAsyncLifetime
{
    private TestProviders _providers = null!;
    private WebApplicationFactory<Program> _app = null!;
    private ConcurrentQueue<(string To, string Text)> _posts => _providers.Posts;
    private SimpleSmtpServer _smtp => _providers.Smtp;

    public async Task InitializeAsync()
    {
        _providers = await TestProviders.StartAsync();
        _app = fixture.WithWebHostBuilder(b =>
        {
            _providers.Configure(b);
            b.UseSetting("OmniConsole:Messaging:Sms:TimeoutSeconds", "30");
            b.UseSetting("OmniConsole:Messaging:ClaimSeconds", "5");
            b.UseSetting("OmniConsole:Messaging:Caps:Sms:PerDay", "100");
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _providers.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task<string> LaunchAsync(int segmentId, params CampaignStep[] steps)
    {
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput { Name = "Delivery " + Guid.NewGuid().ToString("N")[..6], SegmentId = segmentId, Steps = [.. steps] }, "m@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        return campaign.CampaignId;
    }

    /// <summary>The flow until everyone's first message is in the outbox.</summary>
    private async Task EnrolAsync()
    {
        for (var i = 0; i < 20 && await Get<CampaignFlow>().RunOnceAsync(default); i++) { }
    }

    private async Task<List<OutboxMessage>> MessagesAsync(string campaignId)
    {
        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaignId).ToListAsync();
    }

    private static CampaignStep Sms(string text = "{{firstName}}, подарок ждёт в магазине") => new() { Channel = "sms", Text = text };

    [Fact]
    public async Task APromoCampaignOutOfCodesSendsEachCodeOnceAndSaysWhoGotNone()
    {
        var (segmentId, _, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 8);
        var promo = await Get<PromoCampaignService>().CreateAsync(new PromoCampaignInput
        {
            Name = "Пять кодов", Kind = "unique", Count = 5, DiscountPercent = 10, ValidFrom = fixture.Clock.GetUtcNow().AddDays(-1), UsesPerCustomer = 1, Channels = ["online"],
        }, "m@test", default);
        var id = await LaunchAsync(segmentId, new CampaignStep { Channel = "sms", Text = "Ваш код {{promoCode}}", PromoCampaignId = promo.PromoCampaignId });
        await EnrolAsync();

        // Several rounds, with the clock past every claim in between: what went once never goes again.
        for (var round = 0; round < 4; round++)
        {
            while (await Get<OutboxDispatcher>().RunOnceAsync(default) > 0) { }
            fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var posts = _posts.Where(p => phones.Contains(p.To)).ToList();
        Assert.Equal(5, posts.Count);
        Assert.Equal(5, posts.Select(p => p.To).Distinct().Count());
        Assert.Equal(5, posts.Select(p => p.Text).Distinct().Count());
        var messages = await MessagesAsync(id);
        Assert.Equal(5, messages.Count(m => m.Status == MessageStatus.Sent));
        Assert.Equal(3, messages.Count(m => m.SkipReason == SkipReason.NoCodeLeft));
        var results = (await Get<CampaignResults>().GetAsync(id, default))!;
        Assert.Equal((5, 3, 3, 0), (results.Steps[0].Sent, results.Steps[0].Skipped, results.Steps[0].SkippedNoCodeLeft, results.Steps[0].Failed));
    }

    [Fact]
    public async Task TwoDispatchersWithASlowGatewayAndAShortClaimSendEachMessageOnce()
    {
        var (segmentId, _, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 30);
        var id = await LaunchAsync(segmentId, Sms());
        await EnrolAsync();
        // Each request takes 2 s of the app's clock: a 5 s claim runs out after a few sends unless it is renewed.
        _providers.Answer = _ =>
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(2));
            return Task.FromResult(Results.Ok());
        };
        var first = ActivatorUtilities.CreateInstance<OutboxDispatcher>(_app.Services);
        var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(_app.Services);

        async Task DrainAsync(OutboxDispatcher dispatcher)
        {
            for (var idle = 0; idle < 3;)
                if (await dispatcher.RunOnceAsync(Channel.Sms, default) == 0) { idle++; await Task.Delay(20); }
                else idle = 0;
        }
        await Task.WhenAll(Task.Run(() => DrainAsync(first)), Task.Run(() => DrainAsync(second)));

        var posts = _posts.Where(p => phones.Contains(p.To)).ToList();
        Assert.Equal(phones.Order(), posts.Select(p => p.To).Order());
        var messages = await MessagesAsync(id);
        Assert.Equal(30, messages.Count(m => m.Status == MessageStatus.Sent));
    }

    [Fact]
    public async Task AMessageWhoseSendOutlastsTheClaimIsNotTakenBySecondDispatcher()
    {
        var (segmentId, _, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 4);
        var id = await LaunchAsync(segmentId, Sms());
        await EnrolAsync();
        var first = ActivatorUtilities.CreateInstance<OutboxDispatcher>(_app.Services);
        var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(_app.Services);
        // The first send hangs for 20 s (four 5 s claims; the gateway's timeout is 30 s) while the second dispatcher drains
        // the queue: it takes the rest of the first one's batch, whose claim ran out, but not the message on its way.
        var inFlight = 0;
        _providers.Answer = async _ =>
        {
            if (Interlocked.Increment(ref inFlight) == 1)
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(20));
                while (await second.RunOnceAsync(Channel.Sms, default) > 0) { }
            }
            return Results.Ok();
        };
        while (await first.RunOnceAsync(Channel.Sms, default) > 0) { }

        var posts = _posts.Where(p => phones.Contains(p.To)).Select(p => p.To).ToList();
        Assert.Equal(phones.Order(), posts.Order());
        Assert.Equal(4, (await MessagesAsync(id)).Count(m => m.Status == MessageStatus.Sent));
    }

    [Fact]
    public async Task AStopDuringASendCountsThatMessageAsSentAndSendsNoMore()
    {
        var (segmentId, _, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 6);
        var id = await LaunchAsync(segmentId, Sms());
        await EnrolAsync();
        // The marketer presses Stop while the first message is with the gateway.
        _providers.Answer = async _ =>
        {
            if (_posts.Count(p => phones.Contains(p.To)) == 1) await Get<CampaignService>().StopAsync(id, "m@test", default);
            return Results.Ok();
        };

        while (await Get<OutboxDispatcher>().RunOnceAsync(default) > 0) { }

        Assert.Single(_posts, p => phones.Contains(p.To));
        var messages = await MessagesAsync(id);
        Assert.Equal(1, messages.Count(m => m.Status == MessageStatus.Sent));
        Assert.Equal(5, messages.Count(m => m.SkipReason == SkipReason.CampaignStopped));
    }

    [Fact]
    public async Task AGatewayDownForTenMinutesLosesNothingAndPausesItsChannel()
    {
        var (segmentId, _, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 10);
        var id = await LaunchAsync(segmentId, Sms());
        await EnrolAsync();
        var down = true;
        _providers.Answer = _ => Task.FromResult(down ? Results.StatusCode(503) : Results.Ok());

        var breakers = Get<ChannelBreakers>();
        var pausedSeen = false;
        for (var minute = 0; minute < 10 * 2; minute++) // ten minutes in 30 s steps
        {
            while (await Get<OutboxDispatcher>().RunOnceAsync(default) > 0) { }
            if (!pausedSeen && breakers.PausedNow(Channel.Sms) is { Reason: { } reason } && reason.Contains("503"))
            {
                pausedSeen = true;
                // The results say so, on the page's service and over the API.
                Assert.Equal(Channel.Sms, Assert.Single((await Get<CampaignResults>().GetAsync(id, default))!.PausedChannels).Channel);
                var api = _app.CreateClient();
                api.DefaultRequestHeaders.Add("X-Api-Key", OmniConsoleFactory.ManagementKey);
                var paused = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}/results")).GetProperty("pausedChannels");
                Assert.Equal("sms", paused[0].GetProperty("channel").GetString());
                Assert.Contains("503", paused[0].GetProperty("reason").GetString());
            }
            fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        }
        var triedWhileDown = _posts.Count(p => phones.Contains(p.To));
        Assert.True(pausedSeen, "the SMS channel was never shown as paused");
        // The breaker spares the gateway: far fewer tries than ten minutes of retrying every message would make.
        Assert.InRange(triedWhileDown, 1, 60);
        Assert.Equal(CampaignStatus.Running, (await Get<CampaignService>().GetAsync(id, default))!.Status);
        Assert.DoesNotContain(await MessagesAsync(id), m => m.Status == MessageStatus.Failed);

        down = false;
        for (var i = 0; i < 40 && (await MessagesAsync(id)).Any(m => m.Status == MessageStatus.Pending); i++)
        {
            while (await Get<OutboxDispatcher>().RunOnceAsync(default) > 0) { }
            await Get<CampaignFlow>().RunOnceAsync(default);
            fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var messages = await MessagesAsync(id);
        Assert.All(messages, m => Assert.Equal(MessageStatus.Sent, m.Status));
        Assert.Equal(phones.Order(), _posts.Skip(triedWhileDown).Where(p => phones.Contains(p.To)).Select(p => p.To).Order()); // each once after the outage
        Assert.Null(breakers.PausedNow(Channel.Sms));
    }

    [Fact]
    public async Task AHangingSmsGatewayDoesNotDelayEmail()
    {
        var (segmentId, _, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 3);
        var hanging = new TaskCompletionSource();
        _providers.Answer = async context =>
        {
            await Task.WhenAny(hanging.Task, Task.Delay(Timeout.Infinite, context.RequestAborted)).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.Ok();
        };
        await LaunchAsync(segmentId, Sms());
        await LaunchAsync(segmentId, new CampaignStep { Channel = "email", Subject = "Новинки", Body = "<p>Здравствуйте, {{firstName}}!</p>" });
        await EnrolAsync();

        using var stop = new CancellationTokenSource();
        var dispatching = Get<OutboxDispatcher>().RunAsync(stop.Token);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (_smtp.ReceivedEmailCount < 3 && waited.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(50);
            Assert.Equal(3, _smtp.ReceivedEmailCount);
            Assert.True(_posts.Any(p => phones.Contains(p.To)), "the SMS gateway was never called");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"e-mail took {waited.Elapsed.TotalSeconds:0.0} s behind a hanging SMS gateway");
        }
        finally
        {
            hanging.TrySetResult();
            await stop.CancelAsync();
            await dispatching;
        }
    }
}
