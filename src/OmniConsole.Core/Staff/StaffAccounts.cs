using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Staff;

/// <summary>A change to staff accounts that is refused, with the reason a person can read.</summary>
public sealed class StaffAccountException(string message) : Exception(message);

/// <summary>
/// Staff accounts for /admin/users and the create-admin command: list, create with a temporary password, change the
/// role, lock, unlock, reset the password. The last administrator who can sign in cannot be demoted, locked or reset
/// away. Every change is audited.
/// </summary>
public sealed class StaffAccounts(UserManager<ApplicationUser> users, AuditLog audit, TimeProvider clock, IDbContextFactory<Data.OmniConsoleDbContext> dbFactory)
{
    public sealed record Account(string Id, string Email, string? DisplayName, string? Role, DateTimeOffset? LockedUntil, bool TwoFactor, bool MustChangePassword,
        int? HomeStoreId = null)
    {
        public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
    }

    /// <summary>The stores a staff member can have as home store, by name.</summary>
    public async Task<List<(int Id, string Name)>> StoresAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Stores.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct)).Select(s => (s.Id, s.Name)).ToList();
    }

    public async Task<List<Account>> ListAsync(CancellationToken ct)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var list = new List<Account>(all.Count);
        foreach (var u in all)
            list.Add(new Account(u.Id, u.Email ?? u.UserName ?? "", u.DisplayName, (await users.GetRolesAsync(u)).FirstOrDefault(), u.LockoutEnd, u.TwoFactorEnabled, u.MustChangePassword, u.HomeStoreId));
        return list;
    }

    /// <summary>Creates an account with one role and a temporary password (returned once) to be changed at first sign-in.</summary>
    public async Task<string> CreateAsync(string? email, string? displayName, string? role, string actor, CancellationToken ct)
    {
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !email.Contains('@') || email.Length > 256) throw new StaffAccountException(StaffMessages.GiveEmail);
        if (role is null || !Roles.All.Contains(role)) throw new StaffAccountException(ServiceMessages.Format(StaffMessages.PickRole, string.Join(", ", Roles.All)));
        if (await users.FindByEmailAsync(email) is not null) throw new StaffAccountException(ServiceMessages.Format(StaffMessages.HasAccount, email));
        var password = TemporaryPassword();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName?.Trim() is { Length: > 0 } n ? n : null, MustChangePassword = true };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
        await audit.RecordAsync(actor, AuditAction.StaffCreated, null, AuditText.Format(AuditText.StaffCreated, email, role), ct);
        return password;
    }

    public async Task SetRoleAsync(string id, string role, string actor, CancellationToken ct)
    {
        if (!Roles.All.Contains(role)) throw new StaffAccountException(ServiceMessages.Format(StaffMessages.PickRole, string.Join(", ", Roles.All)));
        var user = await FindAsync(id);
        var current = await users.GetRolesAsync(user);
        if (current.SequenceEqual([role])) return;
        if (current.Contains(Roles.Administrator) && role != Roles.Administrator) await KeepAnAdministratorAsync(user);
        if (current.Count > 0) Check(await users.RemoveFromRolesAsync(user, current));
        Check(await users.AddToRoleAsync(user, role));
        await users.UpdateSecurityStampAsync(user); // the new role counts at once, not at the cookie's next refresh
        await audit.RecordAsync(actor, AuditAction.StaffChanged, null, AuditText.Format(AuditText.StaffRole, user.Email, string.Join(", ", current), role), ct);
    }

    /// <summary>The store the staff member works in (or none).</summary>
    public async Task SetHomeStoreAsync(string id, int? storeId, string? storeName, string actor, CancellationToken ct)
    {
        var user = await FindAsync(id);
        if (user.HomeStoreId == storeId) return;
        user.HomeStoreId = storeId;
        Check(await users.UpdateAsync(user));
        await audit.RecordAsync(actor, AuditAction.StaffChanged, null, AuditText.Format(AuditText.StaffHomeStore, user.Email, storeName ?? "—"), ct);
    }

    /// <summary>
    /// An administrator's lock has no end (it is set to the latest time there is); failed sign-ins lock for minutes.
    /// Told by its year, as databases keep that far time at their own precision.
    /// </summary>
    public static bool LockedByAdministrator(DateTimeOffset? lockoutEnd) => lockoutEnd?.Year == DateTimeOffset.MaxValue.Year;

    public async Task LockAsync(string id, string actor, CancellationToken ct)
    {
        var user = await FindAsync(id);
        if (string.Equals(user.Email, actor, StringComparison.OrdinalIgnoreCase)) throw new StaffAccountException(StaffMessages.CannotLockYourself);
        if (await users.IsInRoleAsync(user, Roles.Administrator)) await KeepAnAdministratorAsync(user);
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
        await users.UpdateSecurityStampAsync(user); // signs the account out everywhere
        await audit.RecordAsync(actor, AuditAction.StaffChanged, null, AuditText.Format(AuditText.StaffLocked, user.Email), ct);
    }

    public async Task UnlockAsync(string id, string actor, CancellationToken ct)
    {
        var user = await FindAsync(id);
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await audit.RecordAsync(actor, AuditAction.StaffChanged, null, AuditText.Format(AuditText.StaffUnlocked, user.Email), ct);
    }

    /// <summary>A new temporary password (returned once), to be changed at the next sign-in.</summary>
    public async Task<string> ResetPasswordAsync(string id, string actor, CancellationToken ct)
    {
        var user = await FindAsync(id);
        var password = TemporaryPassword();
        Check(await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password));
        user.MustChangePassword = true;
        Check(await users.UpdateAsync(user));
        await audit.RecordAsync(actor, AuditAction.StaffChanged, null, AuditText.Format(AuditText.StaffPasswordReset, user.Email), ct);
        return password;
    }

    /// <summary>The first administrator of a production database (the create-admin command): only while there is none.</summary>
    public async Task<string> CreateFirstAdministratorAsync(string email, string? password, CancellationToken ct)
    {
        if ((await users.GetUsersInRoleAsync(Roles.Administrator)).Count > 0)
            throw new StaffAccountException(StaffMessages.AdministratorExists);
        var temporary = await CreateAsync(email, null, Roles.Administrator, "create-admin", ct);
        if (password is null) return temporary;
        var user = (await users.FindByEmailAsync(email))!;
        Check(await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password));
        return password;
    }

    private async Task KeepAnAdministratorAsync(ApplicationUser leaving)
    {
        var now = clock.GetUtcNow();
        var others = (await users.GetUsersInRoleAsync(Roles.Administrator)).Where(u => u.Id != leaving.Id && (u.LockoutEnd is null || u.LockoutEnd <= now));
        if (!others.Any()) throw new StaffAccountException(StaffMessages.LastAdministrator);
    }

    private async Task<ApplicationUser> FindAsync(string id) =>
        await users.FindByIdAsync(id) ?? throw new StaffAccountException(StaffMessages.NoSuchAccount);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new StaffAccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>16 characters with each kind Identity's default password rules ask for; read out once, then changed.</summary>
    private static string TemporaryPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKMNPQRSTUVWXYZ", 4) + RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz", 5)
        + RandomNumberGenerator.GetString("23456789", 4) + RandomNumberGenerator.GetString("!#$%*+-=?", 3);
}
