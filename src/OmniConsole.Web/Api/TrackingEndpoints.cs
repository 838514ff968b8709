using System.Net;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;

namespace OmniConsole.Web.Api;

/// <summary>
/// What customers' mail clients and phones call (anonymous; the token is the proof): the open pixel, click-throughs
/// (302 to the original link) and unsubscribe (a GET shows a page with one button; the POST withdraws consent at once). A bad or tampered
/// token is a plain 404; a click with one still goes nowhere it was not sent.
/// </summary>
public static class TrackingEndpoints
{
    // A transparent 1×1 GIF.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static void Map(WebApplication app)
    {
        app.MapGet(TrackingLinks.OpenPath + "{token}", async (string token, TrackingLinks links, MessageTracking tracking, CancellationToken ct) =>
        {
            if (links.TryRead(token, out var id, out _, out var kind) && kind == TrackingKind.Open) await tracking.OpenedAsync(id, ct);
            return Results.File(Pixel, "image/gif"); // the pixel either way: a mail client shows no broken image
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapGet(TrackingLinks.ClickPath + "{token}", async (string token, TrackingLinks links, MessageTracking tracking, CancellationToken ct) =>
        {
            if (!links.TryRead(token, out var id, out var url, out var kind) || kind != TrackingKind.Click || url is null) return Results.NotFound();
            await tracking.ClickedAsync(id, ct);
            return Results.Redirect(url);
        }).AllowAnonymous().ExcludeFromDescription();

        // GET only asks (mail scanners and link previews open every link); POST — the page's button, or a mail client's
        // RFC 8058 one-click with the body List-Unsubscribe=One-Click — withdraws the consent. A mail client has no
        // antiforgery token to send: the protected token in the path is the proof, and a repeat changes nothing.
        app.MapGet(TrackingLinks.UnsubscribePath + "{token}", (string token, TrackingLinks links, IStringLocalizer<SharedResource> L) =>
        {
            if (!IsUnsubscribe(links, token, out _)) return Invalid(L);
            return Html(Page(L["Unsubscribe from these messages?"], L["Press the button to get no more of these messages."],
                $"<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">" +
                $"<button type=\"submit\" data-testid=\"unsubscribe\" style=\"font-size:1.1rem;padding:.8rem 1.5rem;width:100%;max-width:20rem\">{WebUtility.HtmlEncode(L["Unsubscribe"])}</button></form>"));
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapPost(TrackingLinks.UnsubscribePath + "{token}", async (string token, TrackingLinks links, MessageTracking tracking,
            IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (!IsUnsubscribe(links, token, out var id) || !await tracking.UnsubscribedAsync(id, ct)) return Invalid(L);
            return Html(Page(L["You are unsubscribed."], L["You will get no more of these messages. You can subscribe again in your account or at the till."], null, "unsubscribed"));
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    private static bool IsUnsubscribe(TrackingLinks links, string token, out long id) =>
        links.TryRead(token, out id, out _, out var kind) && kind == TrackingKind.Unsubscribe;

    internal static IResult Invalid(IStringLocalizer<SharedResource> L) =>
        Html(Page(L["This link is not valid."], L["Nothing was changed."], null, "invalid"), 404);

    internal static IResult Html(string page, int status = 200) => Results.Content(page, "text/html; charset=utf-8", statusCode: status);

    /// <summary>A plain page that reads on a phone: no scripts, no sign-in, the installation's language.</summary>
    internal static string Page(string title, string text, string? form, string testId = "unsubscribe-page") =>
        $"<!DOCTYPE html><html lang=\"{System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName}\"><head><meta charset=\"utf-8\">" +
        $"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{WebUtility.HtmlEncode(title)}</title></head>" +
        $"<body style=\"font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem\"><h1 data-testid=\"{testId}\">{WebUtility.HtmlEncode(title)}</h1>" +
        $"<p>{WebUtility.HtmlEncode(text)}</p>{form}</body></html>";
}
