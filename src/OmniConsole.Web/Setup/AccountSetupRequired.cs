using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Setup;

/// <summary>
/// What an account must set up before it opens anything else: a temporary password (made or reset by an administrator,
/// or by create-admin) is changed first; an administrator without an authenticator app sets one up first when
/// OmniConsole:SignIn:RequireTwoFactorForAdministrators is on. The sign-in cookie carries a claim saying so, and this
/// check sends every other page there.
/// </summary>
public static class AccountSetupRequired
{
    public const string Claim = "omniconsole:must-change-password";
    public const string ChangePath = "/Account/Manage/ChangePassword";
    public const string TwoFactorClaim = "omniconsole:needs-two-factor";
    public const string TwoFactorPath = "/Account/Manage/EnableAuthenticator";

    public sealed class ClaimsFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options,
        IOptions<Core.OmniConsoleOptions> omni)
        : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
    {
        protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
        {
            var identity = await base.GenerateClaimsAsync(user);
            if (user.MustChangePassword) identity.AddClaim(new Claim(Claim, "true"));
            else if (omni.Value.SignIn.RequireTwoFactorForAdministrators && !user.TwoFactorEnabled && await UserManager.IsInRoleAsync(user, Roles.Administrator))
                identity.AddClaim(new Claim(TwoFactorClaim, "true"));
            return identity;
        }
    }

    public static void UseAccountSetupRequired(this WebApplication app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path;
        var required = http.User.HasClaim(c => c.Type == Claim) ? ChangePath
            : http.User.HasClaim(c => c.Type == TwoFactorClaim) ? TwoFactorPath : null;
        // The account pages (changing the password, setting up and verifying the authenticator) and signing out stay open.
        if (required is not null
            && !path.StartsWithSegments(required) && !(required == TwoFactorPath && path.StartsWithSegments("/Account/Manage"))
            && !path.StartsWithSegments("/Account/Logout")
            && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content") && !path.StartsWithSegments("/_blazor")
            && !path.StartsWithSegments("/brand") && !path.StartsWithSegments("/api") && !Path.HasExtension(path.Value))
        {
            http.Response.Redirect(required);
            return;
        }
        await next();
    });
}
