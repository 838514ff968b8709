using System.Security.Claims;
using OmniConsole.Core.Campaigns;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Api;

/// <summary>
/// Campaigns over HTTP (MANAGEMENT-API.md, Campaigns): the same services as /campaigns, audited as <c>api:{key name}</c>.
/// </summary>
public static class CampaignsEndpoints
{
    public sealed record CampaignList(IReadOnlyList<CampaignService.View> Items);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/campaigns", async (CampaignService service, CancellationToken ct) => Results.Ok(new CampaignList(await service.ListAsync(ct))))
            .WithSummary("Campaigns, newest first").Produces<CampaignList>();
        api.MapPost("/campaigns", CreateAsync).WithSummary("Save a campaign as a draft: audience (a segment, less exclusions), steps, an optional trigger")
            .Accepts<CampaignInput>("application/json").Produces<CampaignService.View>(201).ProducesProblem(400);
        api.MapGet("/campaigns/{campaignId}", async (string campaignId, CampaignService service, CancellationToken ct) =>
                await service.GetAsync(campaignId, ct) is { } c ? Results.Ok(c) : NotFound(campaignId))
            .WithSummary("A campaign").Produces<CampaignService.View>().ProducesProblem(404);
        api.MapPut("/campaigns/{campaignId}", UpdateAsync).WithSummary("Change a draft (409 once launched)")
            .Accepts<CampaignInput>("application/json").Produces<CampaignService.View>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/campaigns/{campaignId}/launch", (string campaignId, ClaimsPrincipal user, CampaignService s, CancellationToken ct) =>
                MoveAsync(() => s.LaunchAsync(campaignId, user.ApiKeyName(), ct), campaignId, accepted: true))
            .WithSummary("Launch a draft: the audience is enrolled and the first step sent (202)").Produces<CampaignService.View>(202).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/campaigns/{campaignId}/pause", (string campaignId, ClaimsPrincipal user, CampaignService s, CancellationToken ct) =>
                MoveAsync(() => s.PauseAsync(campaignId, user.ApiKeyName(), ct), campaignId))
            .WithSummary("Pause a running campaign: nothing more is sent until it resumes").Produces<CampaignService.View>().ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/campaigns/{campaignId}/resume", (string campaignId, ClaimsPrincipal user, CampaignService s, CancellationToken ct) =>
                MoveAsync(() => s.ResumeAsync(campaignId, user.ApiKeyName(), ct), campaignId))
            .WithSummary("Resume a paused campaign").Produces<CampaignService.View>().ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/campaigns/{campaignId}/stop", (string campaignId, ClaimsPrincipal user, CampaignService s, CancellationToken ct) =>
                MoveAsync(() => s.StopAsync(campaignId, user.ApiKeyName(), ct), campaignId))
            .WithSummary("Stop a campaign for good: what was still to go does not go").Produces<CampaignService.View>().ProducesProblem(404).ProducesProblem(409);
        api.MapGet("/campaigns/{campaignId}/results", async (string campaignId, CampaignResults results, CancellationToken ct) =>
                await results.GetAsync(campaignId, ct) is { } r ? Results.Ok(ToContract(r)) : NotFound(campaignId))
            .WithSummary("Results per send step and per channel: sent, delivered, opened, clicked, converted, revenue, cost").Produces(200, contentType: "application/json").ProducesProblem(404);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, CampaignService service, CancellationToken ct)
    {
        var (input, error) = await LoyaltyEndpoints.ReadAsync<CampaignInput>(request, ct);
        if (error is not null) return error;
        try
        {
            var created = await service.CreateAsync(input!, user.ApiKeyName(), ct);
            return Results.Created($"/api/v1/campaigns/{created.CampaignId}", created);
        }
        catch (CampaignValidationException ex) { return LoyaltyEndpoints.Invalid(ex.Errors); }
    }

    private static async Task<IResult> UpdateAsync(string campaignId, HttpRequest request, ClaimsPrincipal user, CampaignService service, CancellationToken ct)
    {
        var (input, error) = await LoyaltyEndpoints.ReadAsync<CampaignInput>(request, ct);
        if (error is not null) return error;
        return await MoveAsync(() => service.UpdateAsync(campaignId, input!, user.ApiKeyName(), ct), campaignId);
    }

    private static async Task<IResult> MoveAsync(Func<Task<CampaignService.View?>> change, string campaignId, bool accepted = false)
    {
        try
        {
            return await change() is not { } view ? NotFound(campaignId)
                : accepted ? Results.Accepted($"/api/v1/campaigns/{view.CampaignId}", view) : Results.Ok(view);
        }
        catch (CampaignValidationException ex) { return LoyaltyEndpoints.Invalid(ex.Errors); }
        catch (CampaignStateException ex) { return Results.Problem(statusCode: 409, title: "Not in this status", detail: ex.Message); }
    }

    /// <summary>The contract's shape: status, audience, one entry per send step, converted and revenue (and, as extensions, the waits, channels and cost).</summary>
    private static object ToContract(CampaignResults.Results r) => new
    {
        campaignId = r.CampaignId, name = r.Name, status = r.Status.ToString().ToLowerInvariant(), audience = r.Audience,
        steps = r.Steps.Select(s => new
        {
            step = s.Step, channel = Core.Common.ChannelNames.ApiName(s.Channel), eligible = s.Eligible, skipped = s.Skipped,
            skippedNoConsent = s.SkippedNoConsent, skippedNoIdentifier = s.SkippedNoIdentifier, skippedCapped = s.SkippedCapped, skippedNoCodeLeft = s.SkippedNoCodeLeft,
            pending = s.Pending,
            sent = s.Sent, delivered = s.Delivered, opened = s.Opened, clicked = s.Clicked, unsubscribed = s.Unsubscribed, failed = s.Failed,
            variants = s.Variants?.Select(v => new
            {
                variant = v.Variant, sent = v.Sent, delivered = v.Delivered, opened = v.Opened, clicked = v.Clicked, converted = v.Converted, revenue = v.Revenue.Major,
            }),
        }),
        waits = r.Waits.Select(w => new { step = w.Step, wait = System.Xml.XmlConvert.ToString(w.Wait), unless = w.Unless?.ToString().ToLowerInvariant(), waiting = w.Waiting, left = w.Left, stopped = w.Stopped }),
        converted = r.Converted, revenue = r.Revenue.Major, cost = r.Cost.Major,
        // v1.1, Experiments: null for a campaign without a control group.
        control = Side(r.Experiment?.Control), treated = Side(r.Experiment?.Treated),
        uplift = r.Experiment?.Uplift is { } u
            ? new { conversionPoints = u.ConversionPoints, low = u.Low, high = u.High, revenuePerCustomer = u.RevenuePerCustomer.Major, significant = u.Significant }
            : null,
        pausedChannels = r.PausedChannels.Select(p => new { channel = Core.Common.ChannelNames.ApiName(p.Channel), since = p.SinceUtc, retryAt = p.RetryAtUtc, reason = p.Reason }),
        channels = r.Channels.Select(c => new
        {
            channel = Core.Common.ChannelNames.ApiName(c.Channel), sent = c.Sent, delivered = c.Delivered, opened = c.Opened, clicked = c.Clicked,
            converted = c.Converted, revenue = c.Revenue.Major, cost = c.Cost.Major, revenuePerRouble = c.RevenuePerRouble,
        }),
    };

    private static object? Side(ExperimentSide? side) =>
        side is null ? null : new { customers = side.Customers, converted = side.Converted, revenue = side.Revenue.Major };

    private static IResult NotFound(string campaignId) => ApiProblems.NotFound($"There is no campaign {campaignId}.");

}
