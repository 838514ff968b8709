using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Account;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Security review (issue 23), finding 7, for open Blazor circuits: the circuit's authentication state is checked every
/// minute (it was every 30), and a locked, demoted or reset account fails the check.
/// </summary>
public sealed class CircuitRevalidationTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Fact]
    public async Task AnOpenCircuitIsCheckedEveryMinuteAndALockedAccountFailsTheCheck()
    {
        const string email = "circuit.manager@example.com";
        await app.CreateStaffAsync(email, "Circuit-Pass-2026!", Roles.Manager);
        using var scope = app.Services.CreateScope();
        var provider = Assert.IsType<IdentityRevalidatingAuthenticationStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        Assert.True(provider.Interval <= TimeSpan.FromMinutes(1));

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        Assert.True(await provider.IsStillValidAsync(new AuthenticationState(principal)));

        using (var admin = app.Services.CreateScope())
            await admin.ServiceProvider.GetRequiredService<StaffAccounts>().LockAsync(user.Id, "admin@example.com", default);
        Assert.False(await provider.IsStillValidAsync(new AuthenticationState(principal)));
    }

    [Fact]
    public async Task ALockoutWithoutANewStampStillEndsTheCircuit()
    {
        const string email = "guessed.manager@example.com";
        await app.CreateStaffAsync(email, "Guessed-Pass-2026!", Roles.Manager);
        using var scope = app.Services.CreateScope();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddYears(1)); // leaves the stamp as it was
        Assert.False(await provider.IsStillValidAsync(new AuthenticationState(principal)));
    }
}
