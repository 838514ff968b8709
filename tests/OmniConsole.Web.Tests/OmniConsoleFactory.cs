using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>The whole app on a real database of its own (SQLite or PostgreSQL, as the tests run), with a test clock, two API keys and a blocklist.</summary>
public sealed class OmniConsoleFactory : WebApplicationFactory<Program>
{
    public const string TillKey = "test-till-key";
    public const string ShopKey = "test-shop-key";
    public const string ManagementKey = "test-bi-key";
    public const string BlockedPhone = "+79999999999";

    private string? _connectionString;

    /// <summary>The app on a given database (one made by <see cref="OmniConsole.Tests.Shared.TestDatabases"/>, or a way to it).</summary>
    public static OmniConsoleFactory On(string connectionString, bool seedDemoData = false) =>
        new() { _connectionString = connectionString, SeedDemoData = seedDemoData };

    /// <summary>Demo accounts and demo data at start (off: the tests make what they need).</summary>
    public bool SeedDemoData { get; init; }

    /// <summary>The app's database: a new one unless given.</summary>
    public string ConnectionString => _connectionString ??= OmniConsole.Tests.Shared.TestDatabases.Create("omni-web");
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", OmniConsole.Tests.Shared.TestDatabases.Provider.ToString());
        builder.UseSetting("ConnectionStrings:OmniConsole", ConnectionString);
        builder.UseSetting("OmniConsole:SeedDemoData", SeedDemoData ? "true" : "false");
        // The tests read English texts; the installation default (ru-RU) has tests of its own.
        builder.UseSetting("OmniConsole:DefaultCulture", "en-US");
        builder.UseSetting("OmniConsole:ApiKeys:0:Name", "till");
        builder.UseSetting("OmniConsole:ApiKeys:0:Key", TillKey);
        builder.UseSetting("OmniConsole:ApiKeys:1:Name", "shop");
        builder.UseSetting("OmniConsole:ApiKeys:1:Key", ShopKey);
        builder.UseSetting("OmniConsole:ApiKeys:2:Name", "bi");
        builder.UseSetting("OmniConsole:ApiKeys:2:Key", ManagementKey);
        builder.UseSetting("OmniConsole:ApiKeys:2:Scopes:0", "management");
        builder.UseSetting("OmniConsole:ExportFolder", Path.Combine(Path.GetTempPath(), $"omni-exports-{Guid.NewGuid():N}"));
        builder.UseSetting("OmniConsole:IdentifierBlocklist:0", "8 999 999-99-99");
        // The tests sign in dozens of times a minute from one address; SignInProtectionTests sets its own limits.
        builder.UseSetting("OmniConsole:RateLimits:SignInPerMinute", "10000");
        // Campaigns send through the sandbox; the tests run the flow and the dispatcher themselves, on the test clock.
        foreach (var channel in new[] { "Email", "Sms", "Viber", "Telegram", "Push" }) builder.UseSetting($"OmniConsole:Messaging:{channel}:Provider", "Sandbox");
        builder.UseSetting("OmniConsole:Messaging:Dispatch", "false");
        builder.UseSetting("OmniConsole:Messaging:PublicBaseUrl", "http://localhost");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            // EF's warnings about First/Skip/Take without OrderBy (pages that change from run to run) fail the tests.
            services.ConfigureDbContext<OmniConsoleDbContext>(o => o.ConfigureWarnings(w => w.Throw(
                CoreEventId.FirstWithoutOrderByAndFilterWarning, CoreEventId.RowLimitingOperationWithoutOrderByWarning)));
        });
    }

    public HttpClient Api(string key = TillKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public async Task<List<EventResult>> PostAsync(object events, string key = TillKey)
    {
        var response = await Api(key).PostAsJsonAsync("/api/v1/events", new { events });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EventsBody>())!.Results;
    }

    public sealed record EventsBody(List<EventResult> Results);

    /// <summary>A staff account with a password of its own (no temporary-password step), in one role.</summary>
    public async Task CreateStaffAsync(string email, string password, string role)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Core.Staff.ApplicationUser>>();
        var user = new Core.Staff.ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
    }

    /// <summary>A browser-like client (cookies, no redirects followed).</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the sign-in form as a browser does, with the antiforgery token from the page.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = password,
        }));
    }

    /// <summary>Creates a staff user with one role and signs a cookie client in through the real login form.</summary>
    public async Task<HttpClient> SignedInAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        const string password = "Test#2026pass";
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
            await users.AddToRoleAsync(user, role);
        }
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await client.GetStringAsync("/Account/Login");
        var input = Regex.Match(form, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        var token = Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (_connectionString is { } made) OmniConsole.Tests.Shared.TestDatabases.Drop(made);
    }
}
