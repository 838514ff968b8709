using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using MudBlazor;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Web.Components;
using OmniConsole.Web.Components.Account;

namespace OmniConsole.Web.Setup;

public static class UiSetup
{
    public static readonly CultureInfo[] Cultures = [new("en-US"), new("ru-RU")];

    public static void AddUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Segment reports in the requester's language, from the same resources as the UI.
        builder.Services.Replace(ServiceDescriptor.Singleton<OmniConsole.Core.Common.IExportText, ResourceExportText>());
        var defaultCulture = builder.Configuration[$"{OmniConsoleOptions.Section}:{nameof(OmniConsoleOptions.DefaultCulture)}"] is { Length: > 0 } name
            ? name : new OmniConsoleOptions().DefaultCulture;
        if (Cultures.All(c => c.Name != defaultCulture))
            throw new InvalidOperationException($"OmniConsole:DefaultCulture is '{defaultCulture}'; it must be one of {string.Join(", ", Cultures.Select(c => c.Name))}.");
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(defaultCulture);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            // The installation's default, unless the user picked another language (the switcher's cookie). The browser's
            // language is not asked: staff browsers are often English while the installation works in Russian.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        builder.Services.AddSingleton<Components.Shared.DisplayFormat>();
        builder.Services.AddSingleton(BrandTheme.Load(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "theme.json")));
    }

    public static void UseOmniConsolePipeline(this WebApplication app)
    {
        app.UseForwardedClient();
        if (app.Environment.IsDevelopment()) app.UseMigrationsEndPoint();
        else
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Error", CreateScopeForErrors = true, StatusCodeSelector = RequestStatus,
            });
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Under /api a bare status (unknown path, wrong method) is answered as problem details, never the HTML 404 page.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api =>
        {
            // A fault under /api is a problem-details 500 (logged), never the HTML error page re-executed with the API's method;
            // a request the server refuses to read (a body over the limit, a broken upload) keeps its own 4xx.
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = RequestStatus,
                ExceptionHandler = async http => await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = http.Response.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge()
                        : IsUnstorableValue(http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error) ? new()
                        {
                            Status = StatusCodes.Status400BadRequest, Title = "Bad request",
                            Detail = "The request holds a value the database cannot store (such as a NUL character in a text); nothing of it was stored.",
                        }
                        : http.Response.StatusCode < 500 ? new() { Status = http.Response.StatusCode, Detail = "The request could not be read." }
                        : new() { Status = StatusCodes.Status500InternalServerError, Title = "Internal error", Detail = "The request failed on our side and was logged; nothing of it was stored." },
                }),
            });
            // Bodies over the limit are refused before they are read: at once when the length is declared, and by the
            // server while reading otherwise (which the handler above answers as 413).
            api.Use(async (http, next) =>
            {
                if (http.Request.ContentLength > MaxApiBodyBytes)
                {
                    http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = TooLarge() });
                    return;
                }
                if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxApiBodyBytes;
                await next();
            });
            api.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = http.Response.StatusCode, Detail = http.Response.StatusCode == StatusCodes.Status404NotFound
                    ? $"There is no API endpoint {http.Request.Method} {http.Request.Path}; see /openapi/v1.json." : null },
            });
        });
        });
        app.UseSecurityHeaders();
        app.UseRequestLocalization();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets")),
            RequestPath = "/brand",
        });
        app.UseAuthentication();
        // The limiter counts API calls by key once the key is checked, and calls without a valid key by address.
        app.UseApiCaller();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    /// <summary>The largest API request body: an event batch's 5 MB (EventsEndpoint), with room to spare for the rest.</summary>
    public const long MaxApiBodyBytes = 8 * 1024 * 1024;

    private static Microsoft.AspNetCore.Mvc.ProblemDetails TooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge, Title = "Request too large",
        Detail = $"A request body is at most {MaxApiBodyBytes / 1024 / 1024} MB (an event batch at most 5 MB).",
    };

    /// <summary>A request the server refused to read keeps its status (413 for a body over the limit); anything else is a 500.</summary>
    private static int RequestStatus(Exception ex) =>
        ex is BadHttpRequestException bad ? bad.StatusCode : IsUnstorableValue(ex) ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;

    /// <summary>
    /// The database refused a value as data (SQLSTATE class 22, "data exception": PostgreSQL's answer to a NUL character
    /// in a text, say): the request's fault, and its transaction stored nothing.
    /// </summary>
    private static bool IsUnstorableValue(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is System.Data.Common.DbException { SqlState: { Length: 5 } state } && state.StartsWith("22", StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Where the language switch may send the user back to: a path of this site, or the start page.</summary>
    internal static string LocalPath(string? uri) =>
        uri is { Length: > 0 } u && u[0] == '/' && (u.Length == 1 || u[1] is not ('/' or '\\')) && !u.Any(char.IsControl) ? u : "/";

    public static void MapUi(this WebApplication app)
    {
        app.MapStaticAssets();
        // frame-ancestors is in the app's own CSP (SecuritySetup), stricter than Blazor's default 'self'.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAdditionalIdentityEndpoints();

        // The culture switcher: remembers the choice in the standard culture cookie and goes back where the user was.
        app.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext http) =>
        {
            if (Cultures.Any(c => c.Name == culture))
                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(LocalPath(redirectUri)); // never off-site (//host or /\host), never a 500
        }).AllowAnonymous();
    }
}
