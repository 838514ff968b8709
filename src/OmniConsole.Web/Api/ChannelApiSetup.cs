using Microsoft.AspNetCore.Authorization;
using OmniConsole.Core.Channels;

namespace OmniConsole.Web.Api;

public static class ChannelApiSetup
{
    public const string Policy = "ChannelApi";
    public const string ManagementPolicy = "ManagementApi";

    public static void AddChannelApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi("v1", OpenApiDocumentation.Configure);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Channel))
            .AddPolicy(ManagementPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Management));
    }

    public static void MapChannelApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policy).WithTags("Channel API").DisableAntiforgery()
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

        var management = app.MapGroup("/api/v1").RequireAuthorization(ManagementPolicy).WithTags("Management API").DisableAntiforgery()
            .AddEndpointFilter(ApiProblems.BusyAsServiceUnavailable)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        SegmentsEndpoints.Map(management);
        LoyaltyEndpoints.Map(management);
        CampaignsEndpoints.Map(management);
        TrackingEndpoints.Map(app);
        SegmentsEndpoints.MapStaffDownloads(app);
        LoyaltyEndpoints.MapStaffDownloads(app);
        Components.Pages.Admin.AuditWorkbook.MapDownload(app);
        Components.Pages.Customers.CustomerDataWorkbook.MapDownload(app);
        Components.Pages.Reports.LoyaltyReportWorkbook.MapDownload(app);
        Components.Pages.Campaigns.CampaignResultsWorkbook.MapDownload(app);
    }

    /// <summary>The request shape, for the OpenAPI document (the endpoint binds each event on its own).</summary>
    public sealed record EventsRequestDoc(IReadOnlyList<EventRequest> Events);
}
