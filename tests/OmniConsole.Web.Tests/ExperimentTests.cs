using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Control groups and A/B variants (MANAGEMENT-API.md, Experiments, v1.1), sent through a real HTTP SMS gateway and a
/// real SMTP server: the control group gets nothing, every other customer gets one variant, and the results compare
/// the two sides' purchases.
/// </summary>
public sealed class ExperimentTests(OmniConsoleFactory fixture) : IClassFixture<OmniConsoleFactory>, IAsyncLifetime
{
    private TestProviders _providers = null!;
    private WebApplicationFactory<Program> _app = null!;
    private ConcurrentQueue<(string To, string Text)> _posts => _providers.Posts;
    private SimpleSmtpServer _smtp => _providers.Smtp;

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

    private HttpClient Api(string key = OmniConsoleFactory.ManagementKey)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

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

    [Fact]
    public async Task ControlMembersGetNothingEveryOtherCustomerOneVariantAndTheResultsCompareTheirPurchases()
    {
        var (segmentId, customers, phones) = await CampaignAudience.CreateAsync(_app, fixture.Clock, 60);
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "A/B " + Guid.NewGuid().ToString("N")[..6], SegmentId = segmentId, ControlGroupPercent = 25,
            Steps =
            [
                new CampaignStep
                {
                    Channel = "sms",
                    Variants =
                    [
                        new StepVariant { Weight = 1, Text = "Вариант А: {{firstName}}, скидка ждёт" },
                        new StepVariant { Weight = 1, Channel = "email", Subject = "Вариант Б для {{firstName}}", Body = "<p>Вариант Б</p>" },
                    ],
                },
            ],
        }, "m@test", default);
        Assert.Equal(25, campaign.ControlGroupPercent);
        await campaigns.LaunchAsync(campaign.CampaignId, "m@test", default);
        await RunAsync();

        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        var recipients = await db.CampaignRecipients.AsNoTracking().Where(r => r.CampaignId == campaign.CampaignId).ToListAsync();
        var messages = await db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaign.CampaignId).ToListAsync();
        // The control group is the hash's, recorded as such, and nobody in it has a message.
        var control = recipients.Where(r => r.State == RecipientState.Control).Select(r => r.CustomerId).ToHashSet();
        Assert.Equal(customers.Where(c => Experiment.IsControl(campaign.CampaignId, c, 25)).ToHashSet(), control);
        Assert.InRange(control.Count, 1, 59);
        Assert.DoesNotContain(messages, m => control.Contains(m.CustomerId));
        Assert.DoesNotContain(_posts, p => customers.Select((c, i) => (c, i)).Any(x => control.Contains(x.c) && phones[x.i] == p.To));
        // Every other customer got exactly one message, of the variant the hash gives them, in that variant's channel.
        var treated = customers.Where(c => !control.Contains(c)).ToList();
        Assert.Equal(treated.Order(), messages.Select(m => m.CustomerId).Order());
        var parsed = CampaignDefinition.Parse(new CampaignInput { Steps = [.. campaign.Steps] })[0];
        Assert.All(messages, m => Assert.Equal(Experiment.VariantOf(campaign.CampaignId, 0, m.CustomerId, parsed.Variants), m.Variant));
        Assert.All(messages, m => Assert.Equal(m.Variant == 0 ? Channel.Sms : Channel.Email, m.Channel));
        var smsTo = messages.Where(m => m.Variant == 0).Select(m => phones[customers.IndexOf(m.CustomerId)]).Order().ToList();
        Assert.Equal(smsTo, _posts.Where(p => phones.Contains(p.To)).Select(p => p.To).Order().ToList());
        Assert.All(_posts.Where(p => phones.Contains(p.To)), p => Assert.StartsWith("Вариант А: Имя", p.Text));
        var mails = _smtp.ReceivedEmail.Where(e => e.Subject.StartsWith("Вариант Б для Имя", StringComparison.Ordinal)).ToList();
        Assert.Equal(messages.Count(m => m.Variant == 1), mails.Count);
        Assert.InRange(mails.Count, 1, treated.Count - 1);

        // Purchases after the messages: two of the control group and five of the treated buy for 1,000 ₽.
        var buyers = control.Take(2).Concat(treated.Take(5)).ToList();
        var till = Api(OmniConsoleFactory.TillKey);
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        var purchases = buyers.Select(c => Ev.Purchase(new { phone = phones[customers.IndexOf(c)] }, 1000m, fixture.Clock.GetUtcNow())).ToList();
        Assert.Equal(HttpStatusCode.OK, (await till.PostAsJsonAsync("/api/v1/events", new { events = purchases })).StatusCode);

        var results = (await Get<CampaignResults>().GetAsync(campaign.CampaignId, default))!;
        var step = results.Steps.Single();
        Assert.Equal(step.Sent, step.Variants!.Sum(v => v.Sent));
        Assert.Equal(treated.Count, step.Sent);
        Assert.Equal(5, step.Variants!.Sum(v => v.Converted));
        var experiment = results.Experiment!;
        Assert.Equal((control.Count, 2, 2000m), (experiment.Control.Customers, experiment.Control.Converted, experiment.Control.Revenue.Major));
        Assert.Equal((treated.Count, 5, 5000m), (experiment.Treated.Customers, experiment.Treated.Converted, experiment.Treated.Revenue.Major));
        var points = Math.Round((5m / treated.Count - 2m / control.Count) * 100, 2);
        Assert.Equal(points, experiment.Uplift!.ConversionPoints);
        Assert.True(experiment.Uplift.Low < points && points < experiment.Uplift.High);

        // The API answers the same figures in the contract's shape.
        var api = Api();
        var body = JsonNode.Parse(await api.GetStringAsync($"/api/v1/campaigns/{campaign.CampaignId}/results"))!;
        Assert.Equal(control.Count, (int)body["control"]!["customers"]!);
        Assert.Equal(5, (int)body["treated"]!["converted"]!);
        Assert.Equal(points, (decimal)body["uplift"]!["conversionPoints"]!);
        Assert.Equal(step.Sent, body["steps"]![0]!["variants"]!.AsArray().Sum(v => (int)v!["sent"]!));
    }

    [Fact]
    public async Task VariantsAndTheControlGroupAreCheckedWithTheFieldTheyAreIn()
    {
        var api = Api();
        var response = await api.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Bad A/B", segmentId = 1, controlGroupPercent = 60, trigger = new { kind = "segmentEntered" },
            steps = new object[]
            {
                new { channel = "sms", variants = new object[] { new { weight = 0, text = "A" }, new { weight = 50, text = "" } } },
                new { channel = "sms", variants = new object[] { new { weight = 1, text = "only one" } } },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray().Select(e => (string)e!["field"]!).ToList();
        Assert.Contains("controlGroupPercent", fields);
        Assert.Contains("steps[0].variants[0].weight", fields);
        Assert.Contains("steps[0].variants[1].text", fields);
        Assert.Contains("steps[1].variants", fields);
        Assert.Contains("trigger.segmentId", fields); // a segment trigger names the segment it watches
        Assert.DoesNotContain("steps[0].text", fields); // the variants replace the step's own content
    }
}
