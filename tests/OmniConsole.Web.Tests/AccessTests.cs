using System.Net;
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
    public async Task StaffCookiesDoNotOpenTheChannelApi()
    {
        var client = await app.SignedInAsync(Roles.Administrator);
        var response = await client.GetAsync("/api/v1/customers/lookup?phone=79161234567");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
