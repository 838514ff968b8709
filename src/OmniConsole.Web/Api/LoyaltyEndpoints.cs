using System.Security.Claims;
using System.Text.Json;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Api;

/// <summary>
/// Earning rules, tiers and promo campaigns over HTTP (MANAGEMENT-API.md, loyalty): the same services as /loyalty/rules
/// and /loyalty/promocodes, audited as <c>api:{key name}</c>.
/// </summary>
public static class LoyaltyEndpoints
{
    public sealed record RuleList(IReadOnlyList<RuleView> Items);
    public sealed record CampaignList(IReadOnlyList<PromoCampaignView> Items);
    public sealed record CodeItem(string Code, int UsedCount, long? CustomerId);
    public sealed record CodesResponse(IReadOnlyList<CodeItem> Items, string? Next);
    public sealed record IssueRequest(CustomerData? Customer);
    public sealed record IssueResponse(string Code);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip };

    public static void Map(RouteGroupBuilder api)
    {
        var loyalty = api.MapGroup("/loyalty");
        loyalty.MapGet("/rules", async (EarningRuleService rules, CancellationToken ct) => Results.Ok(new RuleList(await rules.ListAsync(ct))))
            .WithSummary("Earning rules, each with the points it has accrued so far").Produces<RuleList>();
        loyalty.MapPost("/rules", CreateRuleAsync).WithSummary("Create an earning rule (a draft unless status says otherwise)")
            .Accepts<RuleInput>("application/json").Produces<RuleView>(201).ProducesProblem(400);
        loyalty.MapGet("/rules/{ruleId:int}", async (int ruleId, EarningRuleService rules, CancellationToken ct) =>
                await rules.GetAsync(ruleId, ct) is { } rule ? Results.Ok(rule) : ApiProblems.NotFound($"There is no rule {ruleId}."))
            .WithSummary("An earning rule").Produces<RuleView>().ProducesProblem(404);
        loyalty.MapPut("/rules/{ruleId:int}", UpdateRuleAsync).WithSummary("Save the whole rule as its next version (status moves draft → active ⇄ paused → ended)")
            .Accepts<RuleInput>("application/json").Produces<RuleView>().ProducesProblem(400).ProducesProblem(404);
        loyalty.MapPost("/rules/preview", PreviewAsync).WithSummary("What a rule would have accrued over the last 30 days, and to how many customers")
            .Accepts<RuleInput>("application/json").Produces<EarningRuleService.Preview>().ProducesProblem(400);

        loyalty.MapGet("/tiers", async (TierService tiers, CancellationToken ct) => Results.Ok(await tiers.ListAsync(ct)))
            .WithSummary("Tiers, ascending by 12-month paid spend").Produces<List<TierService.Tier>>();
        loyalty.MapPut("/tiers", SaveTiersAsync).WithSummary("Replace the tiers (ascending, the first at 0) and recompute every customer's tier")
            .Accepts<List<TierService.Tier>>("application/json").Produces<List<TierService.Tier>>().ProducesProblem(400);

        loyalty.MapPost("/promo-campaigns", CreateCampaignAsync).WithSummary("Create a promo campaign: one shared code or up to 100,000 unique ones")
            .Accepts<PromoCampaignInput>("application/json").Produces<PromoCampaignView>(201).ProducesProblem(400);
        loyalty.MapGet("/promo-campaigns", async (PromoCampaignService promos, CancellationToken ct) => Results.Ok(new CampaignList(await promos.ListAsync(ct))))
            .WithSummary("Promo campaigns with their usage").Produces<CampaignList>();
        loyalty.MapGet("/promo-campaigns/{promoCampaignId:int}", async (int promoCampaignId, PromoCampaignService promos, CancellationToken ct) =>
                await promos.GetAsync(promoCampaignId, ct) is { } c ? Results.Ok(c) : ApiProblems.NotFound($"There is no promo campaign {promoCampaignId}."))
            .WithSummary("A promo campaign with its usage (issued, used, revenue)").Produces<PromoCampaignView>().ProducesProblem(404);
        loyalty.MapGet("/promo-campaigns/{promoCampaignId:int}/codes", CodesAsync).WithSummary("The campaign's codes; limit 1–1000, after = the previous page's next")
            .Produces<CodesResponse>().ProducesProblem(400).ProducesProblem(404);
        loyalty.MapPost("/promo-campaigns/{promoCampaignId:int}/issue", IssueAsync).WithSummary("Hand a code to a customer (unique: the next free code, tied to them)")
            .Accepts<IssueRequest>("application/json").Produces<IssueResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
    }

    /// <summary>Staff download a campaign's codes as Excel from /loyalty/promocodes (signed in; audited as an export).</summary>
    public static void MapStaffDownloads(IEndpointRouteBuilder app) =>
        app.MapGet("/loyalty/promo-campaigns/{promoCampaignId:int}/codes.xlsx", async (int promoCampaignId, ClaimsPrincipal user, PromoCampaignService promos,
            Core.Audit.AuditLog audit, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            if (await promos.GetAsync(promoCampaignId, ct) is not { } campaign) return Results.NotFound();
            using var workbook = new ClosedXML.Excel.XLWorkbook();
            var codes = new List<object?[]>();
            await foreach (var code in promos.AllCodesAsync(promoCampaignId, ct)) codes.Add([code.Code, code.UsedCount, code.CustomerId]);
            var sheet = Components.Shared.SmallWorkbook.Table(workbook, L["Promo codes"], [L["Code"].Value, L["Times used"].Value, L["Customer #"].Value], codes);
            sheet.Column(1).Width = 16;
            sheet.Column(3).Width = 14;
            await audit.RecordAsync(user.StaffName(), Core.Audit.AuditAction.Exported, null,
                AuditText.Format(AuditText.PromoCodesExported, promoCampaignId, campaign.Name, codes.Count), ct);
            return Components.Shared.SmallWorkbook.Download(workbook, $"promo-codes-{promoCampaignId}.xlsx");
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Core.Staff.Roles.LoyaltyEditors }).ExcludeFromDescription();


    private static async Task<IResult> CreateRuleAsync(HttpRequest request, ClaimsPrincipal user, EarningRuleService rules, CancellationToken ct)
    {
        var (input, error) = await ReadAsync<RuleInput>(request, ct);
        if (error is not null) return error;
        try
        {
            var rule = await rules.CreateAsync(input!, user.ApiKeyName(), ct);
            return Results.Created($"/api/v1/loyalty/rules/{rule.RuleId}", rule);
        }
        catch (RuleValidationException ex) { return Invalid(ex.Errors); }
    }

    private static async Task<IResult> UpdateRuleAsync(int ruleId, HttpRequest request, ClaimsPrincipal user, EarningRuleService rules, CancellationToken ct)
    {
        var (input, error) = await ReadAsync<RuleInput>(request, ct);
        if (error is not null) return error;
        try
        {
            return await rules.UpdateAsync(ruleId, input!, user.ApiKeyName(), ct) is { } rule ? Results.Ok(rule) : ApiProblems.NotFound($"There is no rule {ruleId}.");
        }
        catch (RuleValidationException ex) { return Invalid(ex.Errors); }
    }

    private static async Task<IResult> PreviewAsync(HttpRequest request, EarningRuleService rules, CancellationToken ct)
    {
        var (input, error) = await ReadAsync<RuleInput>(request, ct);
        if (error is not null) return error;
        try { return Results.Ok(await rules.PreviewAsync(input!, ct)); }
        catch (RuleValidationException ex) { return Invalid(ex.Errors); }
        catch (SegmentValidationException ex) { return SegmentsEndpoints.Invalid(ex.Errors); }
    }

    private static async Task<IResult> SaveTiersAsync(HttpRequest request, ClaimsPrincipal user, TierService tiers, CancellationToken ct)
    {
        var (input, error) = await ReadAsync<List<TierService.Tier>>(request, ct);
        if (error is not null) return error;
        try { return Results.Ok(await tiers.SaveAsync(input!, user.ApiKeyName(), ct)); }
        catch (TierValidationException ex) { return Invalid(ex.Errors); }
    }

    private static async Task<IResult> CreateCampaignAsync(HttpRequest request, ClaimsPrincipal user, PromoCampaignService promos, CancellationToken ct)
    {
        var (input, error) = await ReadAsync<PromoCampaignInput>(request, ct);
        if (error is not null) return error;
        try
        {
            var campaign = await promos.CreateAsync(input!, user.ApiKeyName(), ct);
            return Results.Created($"/api/v1/loyalty/promo-campaigns/{campaign.PromoCampaignId}", campaign);
        }
        catch (PromoValidationException ex) { return Invalid(ex.Errors); }
    }

    private static async Task<IResult> CodesAsync(int promoCampaignId, HttpRequest request, PromoCampaignService promos, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var limit = 100;
        if (request.Query.TryGetValue("limit", out var l) && (!int.TryParse(l, out limit) || limit is < 1 or > 1000))
            errors.Add(new("limit", "limit is a whole number from 1 to 1000."));
        long? after = null;
        if (request.Query.TryGetValue("after", out var a) && !string.IsNullOrEmpty(a))
        {
            if (long.TryParse(a, out var value) && value >= 0) after = value;
            else errors.Add(new("after", "after is the previous page's next."));
        }
        if (errors.Count > 0) return Invalid(errors);
        if (await promos.CodesAsync(promoCampaignId, after, limit, ct) is not { } page) return ApiProblems.NotFound($"There is no promo campaign {promoCampaignId}.");
        return Results.Ok(new CodesResponse(page.Items.Select(c => new CodeItem(c.Code, c.UsedCount, c.CustomerId)).ToList(), page.Next?.ToString()));
    }

    private static async Task<IResult> IssueAsync(int promoCampaignId, HttpRequest request, ClaimsPrincipal user, PromoCampaignService promos, CancellationToken ct)
    {
        var (input, error) = await ReadAsync<IssueRequest>(request, ct);
        if (error is not null) return error;
        if (input!.Customer is null || input.Customer.FirstIdentifier("") is null)
            return Invalid([new("customer", "customer needs one of cardNumber, phone, email, externalId.")]);
        if (await promos.GetAsync(promoCampaignId, ct) is null) return ApiProblems.NotFound($"There is no promo campaign {promoCampaignId}.");
        if (await promos.FindCustomerAsync(input.Customer, user.Identity?.Name ?? "", ct) is not { } customerId)
            return ApiProblems.NotFound("No customer has this identifier.");
        try
        {
            return await promos.IssueAsync(promoCampaignId, customerId, user.ApiKeyName(), ct) is { } code
                ? Results.Ok(new IssueResponse(code)) : ApiProblems.NotFound($"There is no promo campaign {promoCampaignId}.");
        }
        catch (PromoCodesExhaustedException ex) { return Results.Problem(statusCode: 409, title: "No free code left", detail: ex.Message); }
    }

    /// <summary>A JSON body as <typeparamref name="T"/>, or the 4xx that says what is wrong with it and where.</summary>
    internal static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Results.Problem(statusCode: 415, title: "Unsupported media type", detail: "Send the body as application/json."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, ct);
            return value is null ? (null, Invalid([new("", "The body is a JSON object.")])) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "";
            return (null, Invalid([new(field, $"The body is not valid here: {(field.Length > 0 ? $"{field} has the wrong type or format." : ex.Message)}")]));
        }
        catch (InvalidOperationException) // a lone UTF-16 surrogate in a text
        {
            return (null, Invalid([new("", "The body holds text that is not valid Unicode.")]));
        }
    }

    internal static IResult Invalid(IReadOnlyList<FieldError> errors) =>
        SegmentsEndpoints.Invalid(errors.Select(e => new SegmentError(e.Field, e.Message)).ToList());
}
