using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Channels;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Security review (issue 23), finding 10: one scope covered the whole management API, so a BI key that should only
/// export created an active earning rule and launched campaigns. The scopes are segments, exports, loyalty and
/// campaigns; "management" stays as all four (MANAGEMENT-API.md, "Keys and scopes").
/// </summary>
public sealed class ApiScopeTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private async Task<HttpClient> KeyAsync(string name, params string[] scopes) =>
        app.Api((await app.Services.GetRequiredService<ApiKeyService>().CreateAsync(name, "test", CancellationToken.None, scopes)).PlainKey);

    [Fact]
    public async Task AnExportsKeyCannotCreateRulesLaunchCampaignsOrEditSegments()
    {
        var bi = await KeyAsync("bi-exports-only", "exports");
        var rule = await bi.PostAsJsonAsync("/api/v1/loyalty/rules", new { name = "Double points", status = "active" });
        Assert.Equal(HttpStatusCode.Forbidden, rule.StatusCode);
        Assert.Equal("application/problem+json", rule.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"loyalty\"", (await rule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await bi.PostAsync("/api/v1/campaigns/c-1/launch", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bi.GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bi.PostAsJsonAsync("/api/v1/segments", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bi.GetAsync("/api/v1/customers/lookup?phone=%2B79160000000")).StatusCode);
        // What it is for: exports (an unknown one is a 404 past authorization).
        Assert.Equal(HttpStatusCode.NotFound, (await bi.GetAsync("/api/v1/exports/987654")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bi.PostAsync("/api/v1/segments/987654/exports", null)).StatusCode);
    }

    [Fact]
    public async Task EachManagementScopeOpensItsOwnPartOnly()
    {
        var loyalty = await KeyAsync("loyalty-only", "loyalty");
        Assert.Equal(HttpStatusCode.OK, (await loyalty.GetAsync("/api/v1/loyalty/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await loyalty.GetAsync("/api/v1/segments")).StatusCode);
        var campaigns = await KeyAsync("campaigns-only", "campaigns");
        Assert.Equal(HttpStatusCode.OK, (await campaigns.GetAsync("/api/v1/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await campaigns.GetAsync("/api/v1/loyalty/tiers")).StatusCode);
        var segments = await KeyAsync("segments-only", "segments");
        Assert.Equal(HttpStatusCode.OK, (await segments.GetAsync("/api/v1/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await segments.GetAsync("/api/v1/exports/987654")).StatusCode);
    }

    [Fact]
    public async Task ManagementStillMeansAllFourForStoredAndConfiguredKeys()
    {
        var stored = await KeyAsync("legacy-bi", "management");
        foreach (var client in new[] { stored, app.Api(OmniConsoleFactory.ManagementKey) })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/segments")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/loyalty/rules")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/campaigns")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/exports/987654")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/customers/lookup?phone=%2B79160000000")).StatusCode);
        }
    }

    [Fact]
    public async Task TheOpenApiDocumentNamesTheScopeOfEachOperation()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        string Description(string path, string method) =>
            doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("description").GetString() ?? "";
        Assert.Contains("Key scope: loyalty.", Description("/api/v1/loyalty/rules", "post"));
        Assert.Contains("Key scope: campaigns.", Description("/api/v1/campaigns/{campaignId}/launch", "post"));
        Assert.Contains("Key scope: exports.", Description("/api/v1/segments/{segmentId}/exports", "post"));
        Assert.Contains("Key scope: segments.", Description("/api/v1/segments", "get"));
        Assert.Contains("Key scope: channel.", Description("/api/v1/events", "post"));
    }
}
