using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using OmniConsole.Core;
using OmniConsole.Core.Channels;
using OmniConsole.Web.Api;

namespace OmniConsole.Web.Setup;

/// <summary>
/// 429 with Retry-After before a guesser or a runaway integration wears the app down (<c>OmniConsole:RateLimits</c>):
/// sign-in form posts per client address; API calls with a known key per key, after the key is checked; API calls
/// without a valid key (none, unknown, revoked) per client address, so made-up keys share one budget; the customers'
/// tracking links (<c>/t/…</c>) per client address. Everything else is not limited. A key's limit is its own when an
/// administrator set one (/admin/api-keys, or <c>CallsPerMinute</c> of a configured key), else <c>ApiPerMinute</c>.
/// Limits are counted by each instance: behind a balancer with N web instances a key may make up to N times its limit.
/// </summary>
public static class RateLimits
{
    /// <summary>Where the key check leaves the caller's partition for the limiter (set by <see cref="UseApiCaller"/>).</summary>
    private const string CallerItem = "omniconsole:api-caller";
    private const string CallerLimitItem = "omniconsole:api-caller-limit";

    public static void AddRateLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection($"{OmniConsoleOptions.Section}:{nameof(OmniConsoleOptions.RateLimits)}").Get<RateLimitOptions>() ?? new();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (http.Request.Path.StartsWithSegments("/api"))
                    return http.Items[CallerItem] is string key
                        // The limit is part of the partition: a changed limit applies from the key's next call.
                        ? http.Items[CallerLimitItem] is int own ? PerMinute($"api-key:{key}:{own}", own) : PerMinute($"api-key:{key}", limits.ApiPerMinute)
                        : PerMinute($"api-anonymous:{http.Connection.RemoteIpAddress}", limits.AnonymousPerMinute);
                if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/Account/Login"))
                    return PerMinute($"sign-in:{http.Connection.RemoteIpAddress}", limits.SignInPerMinute);
                if (http.Request.Path.StartsWithSegments(Core.Campaigns.Delivery.TrackingLinks.PathBase))
                    return PerMinute($"links:{http.Connection.RemoteIpAddress}", limits.LinksPerMinute);
                return RateLimitPartition.GetNoLimiter("");
            });
            options.OnRejected = RejectAsync;
        });
    }

    /// <summary>
    /// Before the limiter: an API call's key is checked once (the result is cached for the authorization that follows),
    /// so a known key is counted by its id and everything else by the client's address. A key longer than any key can
    /// be is refused here, without hashing or a database read.
    /// </summary>
    public static void UseApiCaller(this WebApplication app) => app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.Use(async (http, next) =>
    {
        if (http.Request.Headers[ApiKeyAuthenticationHandler.Header].ToString().Length > ApiKeyService.MaxKeyLength)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = $"An API key is at most {ApiKeyService.MaxKeyLength} characters; this one is not a key." },
            });
            return;
        }
        var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (result.Succeeded && result.Principal.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } keyId)
        {
            http.Items[CallerItem] = keyId;
            if (int.TryParse(result.Principal.FindFirst(ApiKeyAuthenticationHandler.CallsPerMinuteClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var own))
                http.Items[CallerLimitItem] = own;
        }
        await next();
    }));

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 60;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = 429, Title = "Too many requests",
                    Detail = http.Items.ContainsKey(CallerItem)
                        ? $"This key's request limit per minute is reached; try again in {seconds} s."
                        : $"Calls without a valid API key from this address are over their limit per minute; try again in {seconds} s.",
                },
            });
            return;
        }
        var text = http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(string.Format(CultureInfo.CurrentCulture, http.Request.Path.StartsWithSegments("/Account/Login")
            ? text["Too many sign-in attempts from this address. Try again in {0} seconds."]
            : text["Too many requests from this address. Try again in {0} seconds."], seconds), ct);
    }
}
