using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Setup;

/// <summary>
/// What an account must set up before it opens anything else: a temporary password (made or reset by an administrator,
/// or by create-admin) is changed first; an administrator without an authenticator app sets one up first when
/// OmniConsole:SignIn:RequireTwoFactorForAdministrators is on. The sign-in cookie carries a claim saying so, and an
/// authorization requirement refuses every page and staff download while it is there (a requirement rather than a
/// middleware that sniffs paths, which let any path with a dot through). A refusal sends the user to the step that is missing.
/// </summary>
public static class AccountSetupRequired
{
    public const string Claim = "omniconsole:must-change-password";
    public const string ChangePath = "/Account/Manage/ChangePassword";
    public const string TwoFactorClaim = "omniconsole:needs-two-factor";
    public const string TwoFactorPath = "/Account/Manage/EnableAuthenticator";

    /// <summary>Every app page (Components/Pages/_Imports.razor) and staff download: the account is set up.</summary>
    public const string Policy = "AccountSetUp";
    /// <summary>The account pages other than changing the password: the temporary password is changed (the authenticator may still be missing).</summary>
    public const string PasswordChangedPolicy = "PasswordChanged";

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

    /// <summary>The page that finishes the account's setup, or null when it is set up.</summary>
    public static string? PendingStep(ClaimsPrincipal user) =>
        user.HasClaim(c => c.Type == Claim) ? ChangePath : user.HasClaim(c => c.Type == TwoFactorClaim) ? TwoFactorPath : null;

    /// <summary>Met when the account has no temporary password (and, with <see cref="TwoFactorToo"/>, no missing authenticator).</summary>
    public sealed record Requirement(bool TwoFactorToo) : IAuthorizationRequirement;

    private sealed class Handler : AuthorizationHandler<Requirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
        {
            if (!context.User.HasClaim(c => c.Type == Claim) && !(requirement.TwoFactorToo && context.User.HasClaim(c => c.Type == TwoFactorClaim)))
                context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }

    /// <summary>A refusal because of the setup sends the user to the missing step rather than to "access denied".</summary>
    private sealed class SendToSetup : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (result.Forbidden && result.AuthorizationFailure?.FailedRequirements.OfType<Requirement>().Any() == true
                && PendingStep(context.User) is { } step)
            {
                context.Response.Redirect(step);
                return Task.CompletedTask;
            }
            return _default.HandleAsync(next, context, policy, result);
        }
    }

    public static void AddAccountSetupPolicies(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, Handler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SendToSetup>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(TwoFactorToo: true)))
            .AddPolicy(PasswordChangedPolicy, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(TwoFactorToo: false)));
    }
}
