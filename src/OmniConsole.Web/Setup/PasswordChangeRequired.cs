using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Setup;

/// <summary>
/// An account with a temporary password (made or reset by an administrator, or by create-admin) opens nothing but the
/// change-password page until the password is changed: the sign-in cookie carries a claim saying so, and this check
/// sends every other page there.
/// </summary>
public static class PasswordChangeRequired
{
    public const string Claim = "omniconsole:must-change-password";
    public const string ChangePath = "/Account/Manage/ChangePassword";

    public sealed class ClaimsFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
        : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
    {
        protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
        {
            var identity = await base.GenerateClaimsAsync(user);
            if (user.MustChangePassword) identity.AddClaim(new Claim(Claim, "true"));
            return identity;
        }
    }

    public static void UsePasswordChangeRequired(this WebApplication app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path;
        if (http.User.HasClaim(c => c.Type == Claim)
            && !path.StartsWithSegments(ChangePath) && !path.StartsWithSegments("/Account/Logout")
            && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content") && !path.StartsWithSegments("/_blazor")
            && !path.StartsWithSegments("/brand") && !path.StartsWithSegments("/api") && !Path.HasExtension(path.Value))
        {
            http.Response.Redirect(ChangePath);
            return;
        }
        await next();
    });
}
