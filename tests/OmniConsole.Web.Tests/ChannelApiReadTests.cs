using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OmniConsole.Core.Channels;

namespace OmniConsole.Web.Tests;

/// <summary>Lookup, timeline and quote: what channels read back, and every bad query they can send.</summary>
public sealed class ChannelApiReadTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    [Fact]
    public async Task LookupReturnsTheCustomerStateAndChannelsButNotSystem()
    {
        var phone = Ev.NewPhone();
        var results = await app.PostAsync(new object[]
        {
            Ev.View(new { phone, firstName = "Мария", lastName = "Петрова" }, Now.AddDays(-3)),
            Ev.Purchase(new { phone }, 2000m, Now.AddDays(-2)),
        });
        var body = await app.Api().GetFromJsonAsync<JsonElement>($"/api/v1/customers/lookup?phone={Uri.EscapeDataString("8" + phone[2..])}");

        Assert.Equal(results[0].CustomerId, body.GetProperty("customerId").GetString());
        Assert.Equal("Мария", body.GetProperty("firstName").GetString());
        Assert.Equal("base", body.GetProperty("tier").GetString());
        Assert.Equal(0m, body.GetProperty("bonus").GetProperty("active").GetDecimal());
        Assert.Equal(100m, body.GetProperty("bonus").GetProperty("pending").GetDecimal());
        Assert.Equal(["app", "store"], body.GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).Order().ToArray());
        Assert.Equal(2000m, body.GetProperty("lifetimeValue").GetDecimal());
        Assert.EndsWith("Z", body.GetProperty("lastPurchaseAt").GetString());
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("?phone=79160000001&email=a@b.ru", HttpStatusCode.BadRequest)]
    [InlineData("?phone=12", HttpStatusCode.BadRequest)]
    [InlineData("?email=nobody@nowhere.ru", HttpStatusCode.NotFound)]
    [InlineData("?cardNumber=0000000000001", HttpStatusCode.NotFound)]
    [InlineData("?externalId=no-such", HttpStatusCode.NotFound)]
    public async Task LookupNeedsExactlyOneValidIdentifier(string query, HttpStatusCode expected)
    {
        var response = await app.Api().GetAsync("/api/v1/customers/lookup" + query);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TimelinePagesNewestFirstAndTheCursorNeverSkipsEventsWithEqualTimes()
    {
        var phone = Ev.NewPhone();
        var same = Now.AddHours(-1);
        var events = Enumerable.Range(0, 7).Select(i => Ev.View(new { phone }, same, channel: i % 2 == 0 ? "app" : "online"))
            .Append(Ev.View(new { phone }, Now.AddHours(-2))).Append(Ev.View(new { phone }, Now.AddMinutes(-1))).ToArray();
        var results = await app.PostAsync(events);
        var id = results[0].CustomerId;

        var seen = new List<string>();
        string? before = null;
        var times = new List<DateTime>();
        do
        {
            var page = await app.Api().GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}/timeline?limit=3" + (before is null ? "" : $"&before={before}"));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                seen.Add(item.GetProperty("eventId").GetString()!);
                times.Add(item.GetProperty("occurredAt").GetDateTime());
            }
            before = page.GetProperty("nextBefore").GetString();
        } while (before is not null);

        Assert.Equal(events.Select(e => (string)e["eventId"]!).Order(), seen.Order());
        Assert.Equal(times.OrderDescending(), times);
        var apps = await app.Api().GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}/timeline?channel=online");
        Assert.Equal(3, apps.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=501")]
    [InlineData("?limit=abc")]
    [InlineData("?before=garbage!")]
    [InlineData("?channel=pigeon")]
    public async Task BadTimelineQueriesAre400(string query)
    {
        var id = (await app.PostAsync(new[] { Ev.View(new { phone = Ev.NewPhone() }, Now) }))[0].CustomerId;
        var response = await app.Api().GetAsync($"/api/v1/customers/{id}/timeline{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("999999999")]
    [InlineData("not-a-number")]
    public async Task TimelineOfAnUnknownCustomerIs404(string id)
    {
        var response = await app.Api().GetAsync($"/api/v1/customers/{id}/timeline");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task QuoteShowsWhatATillNeedsAndNeverCreatesACustomer()
    {
        var card = "2000" + Random.Shared.Next(100_000_000, 999_999_999);
        await app.PostAsync(new[] { Ev.Purchase(new { cardNumber = card }, 3000m, Now) });

        var quote = await app.Api().PostAsJsonAsync("/api/v1/loyalty/quote", new { customer = new { cardNumber = card }, orderTotal = 5490.00m, channel = "store", storeCode = "MSK-01" });
        var body = await quote.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, quote.StatusCode);
        Assert.Equal(0m, body.GetProperty("active").GetDecimal());
        Assert.Equal(150m, body.GetProperty("pending").GetDecimal());
        Assert.Equal(0m, body.GetProperty("maxRedeemable").GetDecimal());
        Assert.Equal(274.5m, body.GetProperty("accrualPreview").GetDecimal());

        var unknownPhone = Ev.NewPhone();
        var unknown = await app.Api().PostAsJsonAsync("/api/v1/loyalty/quote", new { customer = new { phone = unknownPhone }, orderTotal = 100m });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var stillUnknown = await app.Api().GetAsync($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(unknownPhone)}");
        Assert.Equal(HttpStatusCode.NotFound, stillUnknown.StatusCode);

        var bad = await app.Api().PostAsJsonAsync("/api/v1/loyalty/quote", new { customer = new { }, orderTotal = -1m, channel = "pigeon" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("customer", out _) && errors.TryGetProperty("orderTotal", out _) && errors.TryGetProperty("channel", out _));
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheFourEndpoints()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/events", paths);
        Assert.Contains("/api/v1/customers/lookup", paths);
        Assert.Contains("/api/v1/customers/{customerId}/timeline", paths);
        Assert.Contains("/api/v1/loyalty/quote", paths);
    }

    [Fact]
    public async Task OpenApiSaysACampaignsStatusAndChannelAreStrings()
    {
        var schemas = (await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");
        string[] Enum(string schema) => schemas.GetProperty(schema).GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.Equal(["draft", "running", "paused", "stopped", "completed"], Enum("CampaignStatus"));
        Assert.Contains("email", Enum("Channel"));
        Assert.Contains("sms", Enum("Channel"));
    }

    [Fact]
    public async Task OpenApiDocumentIsCompleteForAClientAndHoldsOnlyTheApi()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.All(doc.GetProperty("paths").EnumerateObject(), p => Assert.StartsWith("/api/", p.Name)); // not the UI's /culture/set or /Account/*

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Contains(doc.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("ApiKey", out _));

        string[] Query(string path, string method) => doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters")
            .EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["phone", "email", "cardNumber", "externalId"], Query("/api/v1/customers/lookup", "get"));
        Assert.Equal(["limit", "before", "channel"], Query("/api/v1/customers/{customerId}/timeline", "get"));

        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses");
                var success = responses.EnumerateObject().Any(r => r.Name is "200" or "201" or "202" or "204");
                Assert.True(success && responses.TryGetProperty("401", out _) && responses.TryGetProperty("503", out _),
                    $"{operation.Name} {path.Name} lists a success, 401 and 503");
                // The management API's endpoints also say that a key without the management scope gets 403.
                if (path.Name.StartsWith("/api/v1/segments", StringComparison.Ordinal) || path.Name.StartsWith("/api/v1/exports", StringComparison.Ordinal))
                    Assert.True(responses.TryGetProperty("403", out _), $"{operation.Name} {path.Name} lists 403");
            }
    }
}

/// <summary>Loyalty through the API with the clock moved: pending points activate, redemptions race and never overdraw.</summary>
public sealed class ChannelApiLoyaltyTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Fact]
    public async Task PendingPointsActivateAndConcurrentRedemptionsNeverOverdraw()
    {
        var phone = Ev.NewPhone();
        await app.PostAsync(new[] { Ev.Purchase(new { phone }, 4000m, app.Clock.GetUtcNow()) }); // 200 points
        var early = await app.PostAsync(new[] { Ev.Purchase(new { phone }, 400m, app.Clock.GetUtcNow(), redeemed: 10m) });
        Assert.Equal(EventStatus.Rejected, early[0].Status);

        app.Clock.Advance(TimeSpan.FromDays(14));
        var now = app.Clock.GetUtcNow();
        var attempts = Enumerable.Range(0, 6).Select(_ => Task.Run(() => app.PostAsync(new[] { Ev.Purchase(new { phone }, 300m, now, redeemed: 150m) })));
        var results = (await Task.WhenAll(attempts)).SelectMany(r => r).ToList();

        Assert.Single(results, r => r.Status == EventStatus.Accepted);
        Assert.All(results.Where(r => r.Status == EventStatus.Rejected), r => Assert.Contains(r.Errors, e => e.Field == "order.bonusRedeemed"));
        var lookup = await app.Api().GetFromJsonAsync<JsonElement>($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(phone)}");
        Assert.Equal(50m, lookup.GetProperty("bonus").GetProperty("active").GetDecimal());
        Assert.Equal(7.5m, lookup.GetProperty("bonus").GetProperty("pending").GetDecimal());
    }
}
