using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Security review (issue 23), finding 7: the security stamp was checked every 30 minutes, so a locked manager's open
/// session still downloaded campaign results. A lock, a role change or a password reset now ends or narrows an open
/// sign-in cookie within a minute (the test clock is the app's TimeProvider, which the cookie check reads).
/// </summary>
public sealed class StaffSessionTests : IDisposable
{
    private const string Password = "Session-Pass-2026!";
    private readonly OmniConsoleFactory _app = new();

    private async Task<(HttpClient Client, string Id)> SignedInManagerAsync(string email)
    {
        await _app.CreateStaffAsync(email, Password, Roles.Manager);
        var client = _app.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await OmniConsoleFactory.SignInAsync(client, email, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/reports")).StatusCode);
        using var scope = _app.Services.CreateScope();
        return (client, (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email))!.Id);
    }

    private async Task AsAdministratorAsync(Func<StaffAccounts, Task> act)
    {
        using var scope = _app.Services.CreateScope();
        await act(scope.ServiceProvider.GetRequiredService<StaffAccounts>());
    }

    private static bool SentToSignIn(HttpResponseMessage r) =>
        r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString.Contains("/Account/Login");

    [Fact]
    public async Task ALockedAccountsOpenSessionIsRefusedWithinAMinute()
    {
        var (client, id) = await SignedInManagerAsync("locked.manager@example.com");
        await AsAdministratorAsync(s => s.LockAsync(id, "admin@example.com", default));
        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        var reports = await client.GetAsync("/reports");
        Assert.True(SentToSignIn(reports), $"{(int)reports.StatusCode} {reports.Headers.Location}");
        Assert.True(SentToSignIn(await client.GetAsync("/campaigns")));
    }

    [Fact]
    public async Task ADemotedManagerLosesTheReportsWithinAMinute()
    {
        var (client, id) = await SignedInManagerAsync("demoted.manager@example.com");
        await AsAdministratorAsync(s => s.SetRoleAsync(id, Roles.Consultant, "admin@example.com", default));
        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        // The new stamp ends the session; signing in again gives the new role.
        Assert.True(SentToSignIn(await client.GetAsync("/reports")));
        Assert.Equal(HttpStatusCode.Redirect, (await OmniConsoleFactory.SignInAsync(client, "demoted.manager@example.com", Password)).StatusCode);
        var reports = await client.GetAsync("/reports");
        Assert.Contains("/Account/AccessDenied", reports.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/lookup")).StatusCode);
    }

    [Fact]
    public async Task APasswordResetEndsTheOpenSessionWithinAMinute()
    {
        var (client, id) = await SignedInManagerAsync("reset.manager@example.com");
        await AsAdministratorAsync(async s => await s.ResetPasswordAsync(id, "admin@example.com", default));
        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(SentToSignIn(await client.GetAsync("/reports")));
    }

    public void Dispose() => _app.Dispose();
}
