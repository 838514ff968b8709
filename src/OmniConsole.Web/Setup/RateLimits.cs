using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OmniConsole.Core;

namespace OmniConsole.Web.Setup;

/// <summary>
/// 429 with Retry-After before a guesser or a runaway integration wears the app down: sign-in form posts per client
/// address, API calls per key (<c>OmniConsole:RateLimits</c>). Everything else is not limited.
/// </summary>
public static class RateLimits
{
    public static void AddRateLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection($"{OmniConsoleOptions.Section}:{nameof(OmniConsoleOptions.RateLimits)}").Get<RateLimitOptions>() ?? new();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (http.Request.Path.StartsWithSegments("/api"))
                    return PerMinute($"api:{http.Request.Headers["X-Api-Key"]}", limits.ApiPerMinute);
                if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/Account/Login"))
                    return PerMinute($"sign-in:{http.Connection.RemoteIpAddress}", limits.SignInPerMinute);
                return RateLimitPartition.GetNoLimiter("");
            });
            options.OnRejected = RejectAsync;
        });
    }

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
                ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"This key's request limit per minute is reached; try again in {seconds} s." },
            });
            return;
        }
        var text = http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(string.Format(CultureInfo.CurrentCulture, text["Too many sign-in attempts from this address. Try again in {0} seconds."], seconds), ct);
    }
}
