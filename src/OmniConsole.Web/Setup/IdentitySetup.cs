using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Api;
using OmniConsole.Web.Components.Account;

namespace OmniConsole.Web.Setup;

public static class IdentitySetup
{
    public const int MinPasswordLength = 12;

    /// <summary>Staff sign-in with ASP.NET Core Identity on the shared database, plus the channel API's key scheme.</summary>
    public static void AddStaffIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var signIn = builder.Configuration.GetSection($"{Core.OmniConsoleOptions.Section}:{nameof(Core.OmniConsoleOptions.SignIn)}").Get<Core.SignInProtectionOptions>() ?? new();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication().AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.AccessDeniedPath = "/Account/AccessDenied";
            // Plain HTTP on localhost must work (demo, tests); HTTPS deployments get Secure cookies automatically.
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                options.User.RequireUniqueEmail = true;
                // Staff passwords guard customers' personal data: 12 characters at least (Identity's default is 6),
                // with the default mix of upper case, lower case, a digit and a symbol.
                options.Password.RequiredLength = MinPasswordLength;
                // A guessed password is tried a few times at most, then the account waits (OmniConsole:SignIn).
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = Math.Max(1, signIn.MaxFailedAttempts);
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(Math.Max(1, signIn.LockoutMinutes));
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<OmniConsoleDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AccountSetupRequired.ClaimsFactory>()
            .AddDefaultTokenProviders();

        // After AddSignInManager: the session check replaces Identity's default validator.
        services.AddStaffSessionChecks();
        services.AddSingleton<IEmailSender<ApplicationUser>, IdentityNoOpEmailSender>();
        services.AddAuthorization();
        services.AddAccountSetupPolicies();
        services.AddScoped<StaffAccounts>();
        services.AddScoped<StaffPhoneVerification>();
    }
}
