using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>No page opens without signing in, and each role opens only its pages.</summary>
public sealed class AccessTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Theory]
    [InlineData("/customers")]
    [InlineData("/")]
    [InlineData("/lookup")]
    [InlineData("/admin/audit")]
    public async Task PagesRedirectToSignInWhenSignedOut(string path)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(Roles.Consultant, "/customers", true)]
    [InlineData(Roles.Consultant, "/lookup", true)]
    [InlineData(Roles.Consultant, "/segments", false)]
    [InlineData(Roles.Consultant, "/reports", false)]
    [InlineData(Roles.Consultant, "/admin/api-keys", false)]
    [InlineData(Roles.Manager, "/segments", true)]
    [InlineData(Roles.Manager, "/reports", true)]
    [InlineData(Roles.Manager, "/loyalty/rules", false)]
    [InlineData(Roles.Marketer, "/loyalty/promocodes", true)]
    [InlineData(Roles.Marketer, "/admin/users", false)]
    [InlineData(Roles.Administrator, "/admin/audit", true)]
    public async Task EachRoleOpensOnlyItsPages(string role, string path, bool allowed)
    {
        var client = await app.SignedInAsync(role);
        var response = await client.GetAsync(path);
        if (allowed)
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task LookupLinkWithAPhoneOpensTheCustomerEvenBeforeThePageIsInteractive()
    {
        var phone = Ev.NewPhone();
        var id = (await app.PostAsync(new[] { Ev.View(new { phone }, app.Clock.GetUtcNow()) }))[0].CustomerId;
        var client = await app.SignedInAsync(Roles.Consultant);

        var page = await client.GetStringAsync("/lookup");
        Assert.Matches("<input[^>]*name=\"q\"", page);
        var typed = "8 (" + phone[2..5] + ") " + phone[5..8] + "-" + phone[8..10] + "-" + phone[10..];
        var response = await client.GetAsync("/lookup?q=" + Uri.EscapeDataString(typed));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // The card is told what was searched: a consultant sees that phone in full and the other contacts masked.
        Assert.Equal($"/customers/{id}?q={Uri.EscapeDataString(typed)}", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task DemoAccountsExistOnlyWhenDemoDataIsOn()
    {
        // This factory runs with OmniConsole:SeedDemoData=false; the end-to-end tests sign in with them when it is true.
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Null(await users.FindByEmailAsync("admin@omniconsole.demo"));
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All) Assert.True(await roles.RoleExistsAsync(role));
    }

    [Fact]
    public async Task StaffCookiesDoNotOpenTheChannelApi()
    {
        var client = await app.SignedInAsync(Roles.Administrator);
        var response = await client.GetAsync("/api/v1/customers/lookup?phone=79161234567");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
