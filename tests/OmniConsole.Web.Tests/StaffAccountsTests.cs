using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>Staff accounts (issue 16): temporary passwords changed first, the last administrator kept, locks, audit.</summary>
public sealed class StaffAccountsTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    private async Task<T> WithStaffAsync<T>(Func<StaffAccounts, Task<T>> act)
    {
        using var scope = _app.Services.CreateScope();
        return await act(scope.ServiceProvider.GetRequiredService<StaffAccounts>());
    }

    private async Task<string> IdOfAsync(string email)
    {
        using var scope = _app.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email))!.Id;
    }

    [Fact]
    public async Task AConsultantsHomeStoreIsKeptShownAndAudited()
    {
        await WithStaffAsync(s => s.CreateAsync("floor@example.com", null, Roles.Consultant, "admin@example.com", default));
        int storeId;
        using (var scope = _app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
            db.Stores.Add(new Core.Catalog.Store { Code = "KZN-01", Name = "Казань, ТЦ Мега" });
            await db.SaveChangesAsync();
            storeId = await db.Stores.Where(s => s.Code == "KZN-01").Select(s => s.Id).SingleAsync();
        }
        var id = await IdOfAsync("floor@example.com");
        await WithStaffAsync(async s => { await s.SetHomeStoreAsync(id, storeId, "Казань, ТЦ Мега", "admin@example.com", default); return 0; });

        var account = (await WithStaffAsync(s => s.ListAsync(default))).Single(a => a.Email == "floor@example.com");
        Assert.Equal(storeId, account.HomeStoreId);
        using var check = _app.Services.CreateScope();
        Assert.True(await check.ServiceProvider.GetRequiredService<OmniConsoleDbContext>().AuditEntries
            .AnyAsync(a => a.Action == AuditAction.StaffChanged && a.Details == "floor@example.com: home store Казань, ТЦ Мега"));
    }

    [Fact]
    public async Task ANewAccountsTemporaryPasswordOpensOnlyTheChangePasswordPage()
    {
        var password = await WithStaffAsync(s => s.CreateAsync("new.marketer@example.com", "Нина", Roles.Marketer, "admin@example.com", default));
        var client = _app.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await OmniConsoleFactory.SignInAsync(client, "new.marketer@example.com", password)).StatusCode);

        var segments = await client.GetAsync("/segments");
        Assert.Equal(HttpStatusCode.Redirect, segments.StatusCode);
        Assert.Equal("/Account/Manage/ChangePassword", segments.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage/ChangePassword")).StatusCode);

        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OmniConsoleDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.StaffCreated && a.Actor == "admin@example.com" && a.Details!.Contains("new.marketer@example.com")));
    }

    [Fact]
    public async Task TheLastAdministratorCannotBeDemotedOrLockedButASecondOneMakesItPossible()
    {
        await WithStaffAsync(s => s.CreateFirstAdministratorAsync("first@example.com", "First-Admin-2026!", default));
        await Assert.ThrowsAsync<StaffAccountException>(() => WithStaffAsync(s => s.CreateFirstAdministratorAsync("second@example.com", null, default)));
        var first = await IdOfAsync("first@example.com");

        var demote = await Assert.ThrowsAsync<StaffAccountException>(() => WithStaffAsync(async s => { await s.SetRoleAsync(first, Roles.Manager, "someone", default); return 0; }));
        Assert.Contains("last administrator", demote.Message);
        await Assert.ThrowsAsync<StaffAccountException>(() => WithStaffAsync(async s => { await s.LockAsync(first, "someone", default); return 0; }));

        await WithStaffAsync(s => s.CreateAsync("second@example.com", null, Roles.Administrator, "first@example.com", default));
        await WithStaffAsync(async s => { await s.SetRoleAsync(first, Roles.Manager, "second@example.com", default); return 0; });
        var list = await WithStaffAsync(s => s.ListAsync(default));
        Assert.Equal(Roles.Manager, list.Single(a => a.Email == "first@example.com").Role);
        // Now the second is the last one.
        var second = await IdOfAsync("second@example.com");
        await Assert.ThrowsAsync<StaffAccountException>(() => WithStaffAsync(async s => { await s.LockAsync(second, "first@example.com", default); return 0; }));
    }

    [Fact]
    public async Task ALockedAccountCannotSignInAndAResetGivesATemporaryPasswordAgain()
    {
        var password = await WithStaffAsync(s => s.CreateAsync("consultant.x@example.com", null, Roles.Consultant, "admin", default));
        var id = await IdOfAsync("consultant.x@example.com");
        await WithStaffAsync(async s => { await s.LockAsync(id, "admin", default); return 0; });
        var client = _app.Browser();
        var lockedOut = (await OmniConsoleFactory.SignInAsync(client, "consultant.x@example.com", password)).Headers.Location?.OriginalString;
        Assert.Contains("Account/Lockout?byAdministrator=true", lockedOut);
        // Not "try again later": the lock is an administrator's and has no end.
        var page = await client.GetStringAsync("/Account/Lockout?byAdministrator=true");
        Assert.Contains("An administrator has locked this account", page);
        Assert.DoesNotContain("try again later", page);

        await WithStaffAsync(async s => { await s.UnlockAsync(id, "admin", default); return 0; });
        var fresh = await WithStaffAsync(s => s.ResetPasswordAsync(id, "admin", default));
        Assert.NotEqual(password, fresh);
        Assert.Equal(HttpStatusCode.OK, (await OmniConsoleFactory.SignInAsync(client, "consultant.x@example.com", password)).StatusCode); // the old one no longer works
        Assert.Equal(HttpStatusCode.Redirect, (await OmniConsoleFactory.SignInAsync(client, "consultant.x@example.com", fresh)).StatusCode);
        Assert.True((await WithStaffAsync(s => s.ListAsync(default))).Single(a => a.Id == id).MustChangePassword);
    }

    [Fact]
    public async Task NoSelfServicePageDeletesAnAccountOrSignsUpFromOutside()
    {
        await _app.CreateStaffAsync("only.admin@example.com", "Only-Admin-2026!", Roles.Administrator);
        var client = _app.Browser();
        await OmniConsoleFactory.SignInAsync(client, "only.admin@example.com", "Only-Admin-2026!");
        // Staff accounts are made by administrators with their e-mail confirmed: no confirmation to resend either.
        foreach (var path in new[] { "/Account/Manage/DeletePersonalData", "/Account/Manage/ExternalLogins", "/Account/ExternalLogin", "/Account/Register", "/Account/ResendEmailConfirmation" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage/ChangePassword")).StatusCode);
        Assert.DoesNotContain("ResendEmailConfirmation", await _app.Browser().GetStringAsync("/Account/Login"));
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>OmniConsole:SignIn:RequireTwoFactorForAdministrators: an administrator without an authenticator sets one up first.</summary>
public sealed class TwoFactorEnforcementTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    [Fact]
    public async Task AnAdministratorWithoutTwoFactorOpensOnlyTheAccountPagesWhileOthersWorkAsBefore()
    {
        using var enforced = _app.WithWebHostBuilder(b => b.UseSetting("OmniConsole:SignIn:RequireTwoFactorForAdministrators", "true"));
        using (var scope = enforced.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            foreach (var (email, role) in new[] { ("boss@example.com", Roles.Administrator), ("seller@example.com", Roles.Consultant) })
            {
                var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
                Assert.True((await users.CreateAsync(user, "Strong-Pass-2026!")).Succeeded);
                await users.AddToRoleAsync(user, role);
            }
        }
        var admin = enforced.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await OmniConsoleFactory.SignInAsync(admin, "boss@example.com", "Strong-Pass-2026!");
        var users2 = await admin.GetAsync("/admin/users");
        Assert.Equal("/Account/Manage/EnableAuthenticator", users2.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Account/Manage/EnableAuthenticator")).StatusCode);

        var seller = enforced.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await OmniConsoleFactory.SignInAsync(seller, "seller@example.com", "Strong-Pass-2026!");
        Assert.Equal(HttpStatusCode.OK, (await seller.GetAsync("/lookup")).StatusCode);
    }

    public void Dispose() => _app.Dispose();
}
