using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>Issue 16's hardening: headers, a TLS-terminating proxy, keys that survive a restart, settings checked at start, a bounded write queue, key names.</summary>
public sealed class HardeningTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Fact]
    public async Task PagesCarryACspWhoseNonceIsOnTheImportMapAndEveryAnswerHasTheSafetyHeaders()
    {
        var page = await app.CreateClient().GetAsync("/Account/Login");
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline' 'nonce", csp);
        var nonce = Regex.Match(csp, "script-src 'self' 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Matches($"<script type=\"importmap\"[^>]*nonce=\"{Regex.Escape(nonce)}\"", html);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());

        var second = await app.CreateClient().GetAsync("/Account/Login");
        Assert.DoesNotContain(nonce, second.Headers.GetValues("Content-Security-Policy").Single()); // a new nonce per response

        var api = await app.Api().GetAsync("/api/v1/customers/lookup?phone=%2B79160000001");
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task BehindATrustedProxyReportingHttpsCookiesAreSecureAndHstsIsSent()
    {
        using var behindProxy = From(IPAddress.Loopback); // a proxy on the same host is trusted by default
        var client = behindProxy.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://omni.example.ru/"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");

        var page = await client.GetAsync("/Account/Login");

        Assert.Contains("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AProxyNobodyNamedCannotClaimHttpsOrAnotherAddress()
    {
        using var stranger = From(IPAddress.Parse("203.0.113.9"));
        var client = stranger.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://omni.example.ru/"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var page = await client.GetAsync("/Account/Login");

        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The app as if every request came from <paramref name="address"/>, HSTS on as in production.</summary>
    private WebApplicationFactory<Program> From(IPAddress address) => app.WithWebHostBuilder(b => b.ConfigureServices(s =>
        s.AddSingleton<IStartupFilter>(new RemoteAddress(address))));

    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use((http, nextMiddleware) => { http.Connection.RemoteIpAddress = address; return nextMiddleware(http); });
            next(builder);
        };
    }

    [Fact]
    public async Task ASignInSurvivesARestartBecauseTheKeysAreInTheDatabase()
    {
        var client = await app.SignedInAsync(Roles.Manager);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/segments")).StatusCode);
        var cookie = (await client.GetAsync("/segments")).RequestMessage!.Headers.GetValues("Cookie").Single();

        // A second host over the same database: its own process memory, the same key ring.
        using var restarted = app.WithWebHostBuilder(_ => { });
        var again = restarted.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        again.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/segments")).StatusCode);

        using var scope = app.Services.CreateScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>().DataProtectionKeys.AnyAsync());
    }

    [Theory]
    [InlineData("OmniConsole:DisplayTimeZone", "Europe/Atlantis", "OmniConsole:DisplayTimeZone is 'Europe/Atlantis'")]
    [InlineData("OmniConsole:DefaultPhoneRegion", "XX", "OmniConsole:DefaultPhoneRegion is 'XX'")]
    [InlineData("OmniConsole:Loyalty:MaxRedeemShare", "1.5", "OmniConsole:Loyalty:MaxRedeemShare")]
    [InlineData("OmniConsole:ApiKeys:3:Name", "system", "OmniConsole:ApiKeys:3:Name is 'system'")]
    [InlineData("OmniConsole:ApiKeys:3:Name", "Till", "the name of another key")]
    [InlineData("OmniConsole:ForwardedHeaders:KnownProxies:0", "proxy.local", "KnownProxies has 'proxy.local'")]
    [InlineData("OmniConsole:Messaging:Email:Security", "Sometimes", "OmniConsole:Messaging:Email:Security is 'Sometimes'")]
    [InlineData("OmniConsole:Exports:RetentionDays", "0", "OmniConsole:Exports:RetentionDays is 0")]
    public void AWrongSettingStopsTheAppAtStartWithTheKeyAndWhatIsWrong(string key, string value, string expected)
    {
        using var wrong = new OmniConsoleFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting(key, value);
            if (key.StartsWith("OmniConsole:ApiKeys:3")) b.UseSetting("OmniConsole:ApiKeys:3:Key", "another-test-key");
        });
        var error = Assert.ThrowsAny<Exception>(() => wrong.CreateClient());
        Assert.Contains(expected, error.ToString());
    }

    [SqliteFact] // SQLite's writers queue in the app; a server database takes them side by side
    public async Task BatchesBeyondTheWaitingLimitAre503AndNothingOfThemIsStored()
    {
        using var small = app.WithWebHostBuilder(b => b.UseSetting("OmniConsole:RateLimits:MaxWaitingBatches", "1"));
        var gate = small.Services.GetRequiredService<WriteGate>();
        var (first, second) = (Ev.NewPhone(), Ev.NewPhone());
        Task<HttpResponseMessage> waiting;
        using (await gate.EnterAsync(CancellationToken.None)) // the writer is busy
        {
            waiting = Post(small, first);
            while (gate.Waiting == 0) await Task.Delay(10);
            var refused = await Post(small, second);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);

        var lookups = small.CreateClient();
        lookups.DefaultRequestHeaders.Add("X-Api-Key", OmniConsoleFactory.TillKey);
        Assert.Equal(HttpStatusCode.OK, (await lookups.GetAsync($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(first)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lookups.GetAsync($"/api/v1/customers/lookup?phone={Uri.EscapeDataString(second)}")).StatusCode);
    }

    private Task<HttpResponseMessage> Post(WebApplicationFactory<Program> host, string phone)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OmniConsoleFactory.TillKey);
        return client.PostAsJsonAsync("/api/v1/events", new { events = new[] { Ev.View(new { phone }, app.Clock.GetUtcNow()) } });
    }

    [Fact]
    public async Task KeyNamesAreUniqueIgnoringCaseAndOmniConsolesOwnSourcesAreReserved()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var name = $"pos-{Guid.NewGuid():N}"[..12];
        Assert.Null(await keys.CheckNameAsync(name, CancellationToken.None));
        var (row, _) = await keys.CreateAsync(name, "admin@test", CancellationToken.None);
        await keys.RevokeAsync(row.Id, "admin@test", CancellationToken.None);

        Assert.Equal(ApiKeyService.KeyNameProblem.Taken, await keys.CheckNameAsync(name.ToUpperInvariant(), CancellationToken.None)); // revoked keeps its name
        Assert.Equal(ApiKeyService.KeyNameProblem.Taken, await keys.CheckNameAsync(" Till ", CancellationToken.None)); // a configured key
        Assert.Equal(ApiKeyService.KeyNameProblem.Reserved, await keys.CheckNameAsync("System", CancellationToken.None));
        Assert.Equal(ApiKeyService.KeyNameProblem.Reserved, await keys.CheckNameAsync("demo", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync(name, "admin@test", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("system", "admin@test", CancellationToken.None));
    }
}
