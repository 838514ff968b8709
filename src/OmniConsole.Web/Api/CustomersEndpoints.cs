using System.Globalization;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Web.Api;

/// <summary>GET /api/v1/customers/lookup and GET /api/v1/customers/{customerId}/timeline.</summary>
internal static class CustomersEndpoints
{
    public static async Task<IResult> LookupAsync(HttpContext http, CustomerCards cards, IdentifierNormalizer normalizer, CancellationToken ct)
    {
        var q = http.Request.Query;
        var given = new (string Name, IdentifierKind Kind)[]
            { ("phone", IdentifierKind.Phone), ("email", IdentifierKind.Email), ("cardNumber", IdentifierKind.Card), ("externalId", IdentifierKind.External) }
            .Where(p => !string.IsNullOrWhiteSpace(q[p.Name])).ToList();
        if (given.Count != 1)
            return ApiProblems.Validation("Give exactly one of phone, email, cardNumber, externalId.", "query",
                given.Count == 0 ? "No identifier given." : $"Several identifiers given: {string.Join(", ", given.Select(g => g.Name))}.");

        var (name, kind) = given[0];
        var raw = q[name].ToString();
        if (!normalizer.TryNormalize(kind, raw, out _, out var error)) return ApiProblems.Validation($"{name} is not valid.", name, error);

        if (await cards.LookupForApiAsync(kind, raw, name, http.User.Identity!.Name!, ct) is not { } c)
            return ApiProblems.NotFound($"No customer has this {name}.");
        return Results.Ok(new LookupResponse(Id(c.Id), c.FirstName, c.LastName, c.Tier, new BonusDto(c.Bonus.Active.Major, c.Bonus.Pending.Major),
            c.Channels.Select(ch => ch.ApiName()).ToList(), c.LastPurchaseAtUtc, c.LifetimeValueMinor / 100m));
    }

    public static async Task<IResult> TimelineAsync(string customerId, HttpContext http, CustomerCards cards, CancellationToken ct)
    {
        var q = http.Request.Query;
        var limit = 50;
        if (q.ContainsKey("limit") && (!int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
            return ApiProblems.Validation("limit is a whole number from 1 to 500.", "limit", $"'{q["limit"]}' is not from 1 to 500.");
        var before = q["before"].ToString() is { Length: > 0 } b ? b : null;
        if (before is not null && !TimelineQuery.IsValidCursor(before))
            return ApiProblems.Validation("before is not a cursor this API returned.", "before", "Use the nextBefore of the previous page.");
        var channels = new List<Channel>();
        foreach (var value in q["channel"].Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            if (ChannelNames.TryParseClient(value, out var ch)) channels.Add(ch);
            else if (value == "system") channels.Add(Channel.System);
            else return ApiProblems.Validation($"Unknown channel '{value}'.", "channel", $"Unknown channel '{value}'.");
        }

        if (!long.TryParse(customerId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || await cards.TimelineForApiAsync(id, limit, before, new TimelineQuery.Filter(Channels: channels), http.User.Identity!.Name!, ct) is not { } found)
            return ApiProblems.NotFound($"Customer {customerId} does not exist.");
        var (current, page) = found;
        return Results.Ok(new TimelineResponse(Id(current), page.Items.Select(i => new TimelineItemDto(
            i.SourceEventId, i.Type.ApiName(), i.Channel.ApiName(), i.OccurredAtUtc, i.Summary,
            i.AmountMinor / 100m, i.Payload.Order?.OrderNumber, i.CampaignId, i.Payload.StoreCode, i.Payload.Text)).ToList(), page.NextBefore));
    }

    public static async Task<IResult> QuoteAsync(HttpContext http, LoyaltyQuoteService quotes, CancellationToken ct)
    {
        QuoteRequest? request;
        try
        {
            request = await http.Request.ReadFromJsonAsync<QuoteRequest>(ct);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return ApiProblems.BadRequest($"The body is not a valid quote request: {ex.Message}");
        }
        var errors = new Dictionary<string, string[]>();
        if (request?.Customer is null || request.Customer.FirstIdentifier("") is null)
            errors["customer"] = ["customer needs one of cardNumber, phone, email, externalId."];
        if (request?.OrderTotal is not { } total || total < 0 || !Core.Common.Money.TryFromMajor(total, out _))
            errors["orderTotal"] = ["orderTotal is a non-negative amount with at most 2 decimals."];
        var channel = Channel.Store;
        if (request?.Channel is { } ch && !ChannelNames.TryParseClient(ch, out channel))
            errors["channel"] = [$"Unknown channel '{ch}'."];
        if (errors.Count > 0) return ApiProblems.Validation("The quote request is not valid.", errors);

        var quote = await quotes.QuoteAsync(request!.Customer!, Core.Common.Money.FromMajor(request.OrderTotal!.Value), channel, request.StoreCode, http.User.Identity!.Name!, ct);
        if (quote is null) return ApiProblems.NotFound("No customer has this identifier.");
        return Results.Ok(new QuoteResponse(Id(quote.CustomerId), quote.Active.Major, quote.Pending.Major, quote.MaxRedeemable.Major, quote.AccrualPreview.Major));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
