using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Security review (issue 23), finding 11: the "must change password" and administrators' two-factor gate was a
/// middleware that skipped any path with a dot (/campaigns/x.y → 200, and every .xlsx download). It is an
/// authorization policy on every page and staff download now.
/// </summary>
public sealed class AccountSetupGateTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    private async Task<HttpClient> WithTemporaryPasswordAsync(string email, string role)
    {
        string password;
        using (var scope = _app.Services.CreateScope())
            password = await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(email, null, role, "admin@example.com", default);
        var client = _app.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await OmniConsoleFactory.SignInAsync(client, email, password)).StatusCode);
        return client;
    }

    [Theory]
    [InlineData("/campaigns/x.y")]
    [InlineData("/lookup?q=x.y")]
    [InlineData("/reports/loyalty.xlsx")]
    [InlineData("/campaigns/987654/results.xlsx")]
    [InlineData("/reports")]
    [InlineData("/Account/Manage/Email")]
    public async Task ATemporaryPasswordOpensNothingButChangingItWhateverThePathLooksLike(string path)
    {
        var manager = await WithTemporaryPasswordAsync($"temp-{Guid.NewGuid():N}@example.com", Roles.Manager);
        var response = await manager.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Manage/ChangePassword", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/Account/Manage/ChangePassword")).StatusCode);
    }

    [Fact]
    public async Task AnAdministratorWithoutTwoFactorGetsNoDownloadEither()
    {
        using var enforced = _app.WithWebHostBuilder(b => b.UseSetting("OmniConsole:SignIn:RequireTwoFactorForAdministrators", "true"));
        using (var scope = enforced.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = "boss@example.com", Email = "boss@example.com", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, "Strong-Pass-2026!")).Succeeded);
            await users.AddToRoleAsync(user, Roles.Administrator);
        }
        var admin = enforced.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await OmniConsoleFactory.SignInAsync(admin, "boss@example.com", "Strong-Pass-2026!");
        foreach (var path in new[] { "/admin/audit.xlsx", "/campaigns/x.y", "/customers/1/data.xlsx" })
            Assert.Equal("/Account/Manage/EnableAuthenticator", (await admin.GetAsync(path)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Account/Manage/TwoFactorAuthentication")).StatusCode);
    }

    [Fact]
    public void EveryAppPageAndStaffDownloadCarriesTheSetupPolicy()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => !e.RoutePattern.RawText!.TrimStart('/').StartsWith("Account", StringComparison.OrdinalIgnoreCase)
                && !e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(endpoints, e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null);
        Assert.Contains(endpoints, e => e.RoutePattern.RawText!.EndsWith(".xlsx"));
        Assert.All(endpoints, e => Assert.True(e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == "AccountSetUp"), e.RoutePattern.RawText));
    }

    public void Dispose() => _app.Dispose();
}
