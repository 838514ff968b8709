using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;

namespace OmniConsole.Web.Api;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>Authenticates channel systems by the <c>X-Api-Key</c> header; the principal's name is the key's name.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string ScopeClaim = "scope";
    /// <summary>Which key it is (<c>key:{id}</c> for stored keys, <c>config:{name}</c> for configured ones): the rate limit counts by it.</summary>
    public const string KeyIdClaim = "omniconsole:api-key";
    /// <summary>The key's own calls a minute, when it has one.</summary>
    public const string CallsPerMinuteClaim = "omniconsole:calls-per-minute";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
            return AuthenticateResult.NoResult();
        var caller = await keys.AuthenticateAsync(values.ToString(), Context.RequestAborted);
        if (caller is null) return AuthenticateResult.Fail("Unknown or revoked API key.");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name),
            new Claim(KeyIdClaim, caller.KeyId is { } id ? $"key:{id}" : $"config:{caller.Name}"), .. ApiScopes.Effective(caller.Scopes).Select(s => new Claim(ScopeClaim, s)),
            .. caller.CallsPerMinute is { } limit ? [new Claim(CallsPerMinuteClaim, limit.ToString(System.Globalization.CultureInfo.InvariantCulture))] : Array.Empty<Claim>()], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: Request.Headers.ContainsKey(Header)
                ? "The API key in the X-Api-Key header is unknown or revoked."
                : "Send an API key in the X-Api-Key header. Keys are created by an administrator on /admin/api-keys.")
            .ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: Context.GetEndpoint()?.Metadata.GetMetadata<ChannelApiSetup.ApiScopeMetadata>() is { } needed
                    ? $"This API key does not have the scope \"{needed.Scope}\" this endpoint needs. An administrator chooses a key's scopes when creating it."
                    : "This API key does not have the scope this endpoint needs. An administrator chooses a key's scopes when creating it.")
            .ExecuteAsync(Context);
}
