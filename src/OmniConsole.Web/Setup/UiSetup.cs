using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Globalization;
using Microsoft.AspNetCore.Localization;
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
        builder.Services.Replace(ServiceDescriptor.Singleton<OmniConsole.Core.Exports.IExportText, ResourceExportText>());
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
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Under /api a bare status (unknown path, wrong method) is answered as problem details, never the HTML 404 page.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api =>
        {
            // A fault under /api is a problem-details 500 (logged), never the HTML error page re-executed with the API's method.
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = async http => await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = StatusCodes.Status500InternalServerError, Title = "Internal error", Detail = "The request failed on our side and was logged; nothing of it was stored." },
                }),
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
            return Results.LocalRedirect(redirectUri is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//") ? r : "/");
        }).AllowAnonymous();
    }
}
