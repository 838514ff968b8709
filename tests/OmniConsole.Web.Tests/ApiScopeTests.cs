using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Admin;
using OmniConsole.Web.Components.Shared;

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

/// <summary>The administrator picks each scope on /admin/api-keys (channel ticked by default).</summary>
public sealed class ApiKeysPageTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Fact]
    public async Task AnExportsOnlyKeyIsMadeByTickingExportsAlone()
    {
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<ApiKeyService>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        ctx.AddAuthorization().SetAuthorized("admin@omniconsole.demo").SetRoles(Roles.Administrator);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("en-US");
        var cut = ctx.Render<ApiKeys>();

        foreach (var scope in new[] { "channel", "segments", "exports", "loyalty", "campaigns" }) Assert.Single(cut.FindAll($"input[data-testid=scope-{scope}]"));
        Assert.Empty(cut.FindAll("[data-testid=scope-management]")); // "management" is the older name of the four, not a box of its own
        cut.Find("[data-testid=key-name] input, input[data-testid=key-name]").Input("bi-exports");
        cut.Find("input[data-testid=scope-channel]").Change(false);
        cut.Find("input[data-testid=scope-exports]").Change(true);
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Exports", cut.Find("[data-testid=scopes-bi-exports]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        var bi = app.Api(cut.Find("[data-testid=key-plain]").TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await bi.GetAsync("/api/v1/exports/987654")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bi.GetAsync("/api/v1/loyalty/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bi.GetAsync("/api/v1/customers/lookup?phone=%2B79160000000")).StatusCode);
    }
}
