using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>Sign-in protection (issue 16): lockout after repeated wrong passwords, rate limits with Retry-After, audited attempts.</summary>
public sealed class SignInProtectionTests : IDisposable
{
    private const string Email = "guarded@example.com";
    private const string Password = "Right-Pass-2026!";
    private readonly OmniConsoleFactory _app = new();

    private async Task CreateUserAsync(WebApplicationFactory<Program> app)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await users.CreateAsync(new ApplicationUser { UserName = Email, Email = Email, EmailConfirmed = true }, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountAndEveryAttemptIsAudited()
    {
        await CreateUserAsync(_app);
        var client = _app.Browser();
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await OmniConsoleFactory.SignInAsync(client, Email, "wrong")).StatusCode); // the form again, with its error
        var fifth = await OmniConsoleFactory.SignInAsync(client, Email, "wrong");
        Assert.Equal(HttpStatusCode.Redirect, fifth.StatusCode);
        Assert.Contains("Account/Lockout", fifth.Headers.Location?.OriginalString);

        var right = await OmniConsoleFactory.SignInAsync(client, Email, Password); // the right password no longer helps until the lockout ends
        Assert.Contains("Account/Lockout", right.Headers.Location?.OriginalString);

        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == Email);
        Assert.NotNull(user.LockoutEnd);
        var actions = await db.AuditEntries.Where(a => a.Actor == Email).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(4, actions.Count(a => a == AuditAction.SignInFailed));
        Assert.Equal(2, actions.Count(a => a == AuditAction.SignInLockedOut)); // the fifth wrong one locks, then the right one is refused
    }

    [Fact]
    public async Task TheRightPasswordSignsInAndIsAudited()
    {
        await CreateUserAsync(_app);
        var client = _app.Browser();
        var response = await OmniConsoleFactory.SignInAsync(client, Email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("Lockout", response.Headers.Location?.OriginalString ?? "");
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Actor == Email && a.Action == AuditAction.SignedIn));
    }

    [Fact]
    public async Task SignInPostsAndApiCallsOverTheirLimitGet429WithRetryAfter()
    {
        using var limited = _app.WithWebHostBuilder(b =>
        {
            b.UseSetting("OmniConsole:RateLimits:SignInPerMinute", "3");
            b.UseSetting("OmniConsole:RateLimits:ApiPerMinute", "3");
        });
        var browser = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await OmniConsoleFactory.SignInAsync(browser, Email, "wrong")).StatusCode);
        var tooMany = await OmniConsoleFactory.SignInAsync(browser, Email, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
        Assert.True(int.Parse(tooMany.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        Assert.Contains("Too many sign-in attempts", await tooMany.Content.ReadAsStringAsync());

        var api = limited.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", OmniConsoleFactory.ManagementKey);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/loyalty/rules")).StatusCode);
        var limitedCall = await api.GetAsync("/api/v1/loyalty/rules");
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedCall.StatusCode);
        Assert.Equal("application/problem+json", limitedCall.Content.Headers.ContentType?.MediaType);
        Assert.True(limitedCall.Headers.Contains("Retry-After"));
        // Another key has a limit of its own.
        var other = limited.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", OmniConsoleFactory.TillKey);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await other.GetAsync("/api/v1/customers/lookup?phone=%2B79160000000")).StatusCode);
    }

    [Fact]
    public async Task AKeyWithALimitOfItsOwnIsHeldToItAndAChangeCountsFromItsNextCall()
    {
        using var limited = _app.WithWebHostBuilder(b => b.UseSetting("OmniConsole:RateLimits:ApiPerMinute", "3"));
        var keys = limited.Services.GetRequiredService<ApiKeyService>();
        // A chain's POS gateway needs more than the default; a small shop's integration less.
        var (gateway, gatewayKey) = await keys.CreateAsync("pos-gateway-" + Guid.NewGuid().ToString("N")[..6], "admin@test.ru", default, [ApiScopes.Channel], callsPerMinute: 6);
        var (_, shopKey) = await keys.CreateAsync("small-shop-" + Guid.NewGuid().ToString("N")[..6], "admin@test.ru", default, [ApiScopes.Channel], callsPerMinute: 1);
        async Task<HttpStatusCode[]> CallsAsync(string key, int count)
        {
            var client = limited.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < count; i++) codes.Add((await client.GetAsync("/api/v1/customers/lookup?phone=%2B79160000000")).StatusCode);
            return [.. codes];
        }
        Assert.Equal(6, (await CallsAsync(gatewayKey, 7)).Count(c => c != HttpStatusCode.TooManyRequests));
        var shop = await CallsAsync(shopKey, 2);
        Assert.Equal((false, true), (shop[0] == HttpStatusCode.TooManyRequests, shop[1] == HttpStatusCode.TooManyRequests));

        // Raised: the next call counts against the new limit; the change is audited.
        Assert.True(await keys.SetCallsPerMinuteAsync(gateway.Id, 10, "admin@test.ru", default));
        Assert.Equal(10, (await CallsAsync(gatewayKey, 11)).Count(c => c != HttpStatusCode.TooManyRequests));
        Assert.Equal(10, (await keys.ListAsync(default)).Single(k => k.Id == gateway.Id).CallsPerMinute);
        using var scope = limited.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.ApiKeyChanged && a.Details!.Contains("at most 10 calls a minute")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => keys.SetCallsPerMinuteAsync(gateway.Id, 0, "admin@test.ru", default));
    }

    public void Dispose() => _app.Dispose();
}
