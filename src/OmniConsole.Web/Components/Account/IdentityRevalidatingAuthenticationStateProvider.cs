using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Account;

// A server-side AuthenticationStateProvider that checks the connected user's account every minute an interactive
// circuit is connected (StaffSessions: the security stamp and the lockout), so a lock, a role change or a password
// reset ends open circuits as quickly as it ends sign-in cookies.
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => StaffSessions.RevalidationInterval;

    /// <summary>What the next revalidation decides for this state (the tests call it; the base class calls it on its timer).</summary>
    internal Task<bool> IsStillValidAsync(AuthenticationState state) => ValidateAuthenticationStateAsync(state, CancellationToken.None);

    internal TimeSpan Interval => RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // Get the user manager from a new scope to ensure it fetches fresh data
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await StaffSessions.CurrentAccountAsync(userManager, authenticationState.User, options.Value.ClaimsIdentity.SecurityStampClaimType) is not null;
    }
}
