using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Setup;

/// <summary>
/// How soon an administrator's lock, role change or password reset reaches sessions that are already open (a locked
/// manager's session must not go on downloading reports until its cookie is refreshed). Sign-in
/// cookies and live Blazor circuits are both checked against the account at least once a minute, by the same rule.
/// </summary>
public static class StaffSessions
{
    /// <summary>How often an open session is checked against the account (cookies and circuits).</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromMinutes(1);

    public static void AddStaffSessionChecks(this IServiceCollection services)
    {
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidationInterval);
        services.AddScoped<ISecurityStampValidator, CookieValidator>();
    }

    /// <summary>
    /// The account behind a session, or null when the session must end: the account is gone, its security stamp
    /// changed (locked, role changed, password reset or changed, two-factor changed) or it is locked out.
    /// </summary>
    public static async Task<ApplicationUser?> CurrentAccountAsync(UserManager<ApplicationUser> users, ClaimsPrincipal principal, string stampClaimType)
    {
        if (await users.GetUserAsync(principal) is not { } user) return null;
        if (users.SupportsUserSecurityStamp && principal.FindFirstValue(stampClaimType) != await users.GetSecurityStampAsync(user)) return null;
        if (users.SupportsUserLockout && await users.IsLockedOutAsync(user)) return null;
        return user;
    }

    /// <summary>The sign-in cookie's check (every <see cref="RevalidationInterval"/>, on the app's TimeProvider).</summary>
    internal sealed class CookieValidator(IOptions<SecurityStampValidatorOptions> options, SignInManager<ApplicationUser> signIn, ILoggerFactory logger)
        : SecurityStampValidator<ApplicationUser>(options, signIn, logger)
    {
        protected override async Task<ApplicationUser?> VerifySecurityStamp(ClaimsPrincipal? principal) => principal is null ? null
            : await CurrentAccountAsync(SignInManager.UserManager, principal, SignInManager.Options.ClaimsIdentity.SecurityStampClaimType);
    }
}
