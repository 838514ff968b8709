using System.Net;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;

namespace OmniConsole.Web.Api;

/// <summary>
/// What customers' mail clients and phones call (anonymous; the token is the proof): the open pixel, click-throughs
/// (302 to the original link) and unsubscribe (consent withdrawn at once, and a confirmation page). A bad or tampered
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

        app.MapGet(TrackingLinks.UnsubscribePath + "{token}", async (string token, TrackingLinks links, MessageTracking tracking,
            IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (!links.TryRead(token, out var id, out _, out var kind) || kind != TrackingKind.Unsubscribe || !await tracking.UnsubscribedAsync(id, ct))
                return Results.Content(Page(L["This link is not valid."], L["Nothing was changed."]), "text/html; charset=utf-8", statusCode: 404);
            return Results.Content(Page(L["You are unsubscribed."], L["You will get no more of these messages. You can subscribe again in your account or at the till."]),
                "text/html; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
    }

    private static string Page(string title, string text) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{WebUtility.HtmlEncode(title)}</title></head>" +
        $"<body style=\"font-family:sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem\"><h1 data-testid=\"unsubscribed\">{WebUtility.HtmlEncode(title)}</h1>" +
        $"<p>{WebUtility.HtmlEncode(text)}</p></body></html>";
}
