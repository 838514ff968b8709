using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Security review (issue 23), finding 9: the limiter keyed on the raw X-Api-Key header before authentication, so
/// 20,000 made-up keys were 20,000 × 401 and never limited. Calls without a valid key are now limited per client
/// address, known keys per key after the check, and customers' tracking links per address.
/// </summary>
public sealed class AnonymousRateLimitTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();
    private readonly WebApplicationFactory<Program> _limited;

    public AnonymousRateLimitTests() => _limited = _app.WithWebHostBuilder(b =>
    {
        b.UseSetting("OmniConsole:RateLimits:AnonymousPerMinute", "5");
        b.UseSetting("OmniConsole:RateLimits:LinksPerMinute", "5");
    });

    private HttpClient Api(string key)
    {
        var client = _limited.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task AFloodOfMadeUpKeysGets429FromOneAddress()
    {
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Api($"made-up-{Guid.NewGuid():N}").GetAsync("/api/v1/customers/lookup?phone=%2B79160000000")).StatusCode);
        var flood = await Api($"made-up-{Guid.NewGuid():N}").GetAsync("/api/v1/customers/lookup?phone=%2B79160000000");
        Assert.Equal(HttpStatusCode.TooManyRequests, flood.StatusCode);
        Assert.Equal("application/problem+json", flood.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(flood.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        // No key at all shares the same budget.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _limited.CreateClient().GetAsync("/api/v1/segments")).StatusCode);
        // A known key is counted on its own, by key, and goes on working.
        Assert.Equal(HttpStatusCode.OK, (await Api(OmniConsoleFactory.ManagementKey).GetAsync("/api/v1/loyalty/rules")).StatusCode);
    }

    [Fact]
    public async Task AKeyLongerThanAnyKeyIsRefusedWithoutBeingLookedUp()
    {
        var response = await Api(new string('k', 100_000)).GetAsync("/api/v1/segments");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("at most 200 characters", detail);
    }

    [Fact]
    public async Task TrackingLinksAreLimitedPerAddress()
    {
        var client = _limited.CreateClient();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/t/c/guess-{i}")).StatusCode);
        var flood = await client.GetAsync("/t/u/guess-6");
        Assert.Equal(HttpStatusCode.TooManyRequests, flood.StatusCode);
        Assert.True(flood.Headers.Contains("Retry-After"));
        Assert.Contains("Too many requests from this address", await flood.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        _limited.Dispose();
        _app.Dispose();
    }
}
