using Microsoft.AspNetCore.Authorization;
using OmniConsole.Core.Channels;

namespace OmniConsole.Web.Api;

public static class ChannelApiSetup
{
    public const string Policy = "ChannelApi";

    /// <summary>The authorization policy of a key scope: the channel API's is <see cref="Policy"/>.</summary>
    public static string ScopePolicy(string scope) => scope == ApiScopes.Channel ? Policy : $"ApiScope:{scope}";

    public static void AddChannelApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi("v1", OpenApiDocumentation.Configure);
        var policies = builder.Services.AddAuthorizationBuilder();
        // One policy per scope; a key with "management" carries the four scopes it stands for (ApiKeyAuthenticationHandler).
        foreach (var scope in ApiScopes.ManagementParts.Prepend(ApiScopes.Channel))
            policies.AddPolicy(ScopePolicy(scope), p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
    }

    public static void MapChannelApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policy).WithMetadata(new ApiScopeMetadata(ApiScopes.Channel)).WithTags("Channel API").DisableAntiforgery()
            .AddEndpointFilter(ApiProblems.BusyAsServiceUnavailable)
            // Every call can meet a missing key and a database locked past its busy timeout.
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/events", EventsEndpoint.PostAsync)
            .WithSummary("Push a batch of up to 1000 events")
            .WithDescription("Each event is accepted, duplicate (same eventId from the same key) or rejected with field errors; one bad event does not reject the others.")
            .Accepts<EventsRequestDoc>("application/json")
            .Produces<EventsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/customers/lookup", CustomersEndpoints.LookupAsync)
            .WithSummary("Find a customer by exactly one of phone, email, cardNumber, externalId")
            .Produces<LookupResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/customers/{customerId}/timeline", CustomersEndpoints.TimelineAsync)
            .WithSummary("A customer's unified timeline, newest first; query: limit (1–500), before (cursor), channel (repeatable)")
            .Produces<TimelineResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/loyalty/quote", CustomersEndpoints.QuoteAsync)
            .WithSummary("What a till shows before payment: balance, most redeemable points, accrual preview")
            .Accepts<QuoteRequest>("application/json")
            .Produces<QuoteResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Each part of the management API needs its own scope (MANAGEMENT-API.md, "Keys and scopes").
        RouteGroupBuilder Management(string scope) => app.MapGroup("/api/v1").RequireAuthorization(ScopePolicy(scope))
            .WithMetadata(new ApiScopeMetadata(scope)).WithTags("Management API").DisableAntiforgery()
            .AddEndpointFilter(ApiProblems.BusyAsServiceUnavailable)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        SegmentsEndpoints.Map(Management(ApiScopes.Segments));
        SegmentsEndpoints.MapExports(Management(ApiScopes.Exports));
        LoyaltyEndpoints.Map(Management(ApiScopes.Loyalty));
        CampaignsEndpoints.Map(Management(ApiScopes.Campaigns));
        FeedbackEndpoints.Map(Management(ApiScopes.Campaigns));
        TrackingEndpoints.Map(app);
        FeedbackEndpoints.MapPublic(app);
        // Staff downloads, like the pages, wait until the account is set up (a temporary password changed first).
        var staff = app.MapGroup("").RequireAuthorization(Setup.AccountSetupRequired.Policy);
        SegmentsEndpoints.MapStaffDownloads(staff);
        LoyaltyEndpoints.MapStaffDownloads(staff);
        Components.Pages.Reports.FeedbackWorkbook.MapDownload(staff);
        Components.Pages.Admin.AuditWorkbook.MapDownload(staff);
        Components.Pages.Customers.CustomerDataWorkbook.MapDownload(staff);
        Components.Pages.Reports.LoyaltyReportWorkbook.MapDownload(staff);
        Components.Pages.Campaigns.CampaignResultsWorkbook.MapDownload(staff);
    }

    /// <summary>The key scope an API endpoint needs (for the 403's detail and the OpenAPI document).</summary>
    public sealed record ApiScopeMetadata(string Scope);

    /// <summary>The request shape, for the OpenAPI document (the endpoint binds each event on its own).</summary>
    public sealed record EventsRequestDoc(IReadOnlyList<EventRequest> Events);
}
