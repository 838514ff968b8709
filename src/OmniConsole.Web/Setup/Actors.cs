using System.Security.Claims;

namespace OmniConsole.Web.Setup;

/// <summary>Who is acting, as services and the audit log record them: a staff member by their name (e-mail), an API key as <c>api:</c> and its name.</summary>
public static class Actors
{
    public static string StaffName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    public static string ApiKeyName(this ClaimsPrincipal user) => Core.Audit.AuditActors.ApiKey(user.Identity?.Name ?? "");
}
