using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Tests;

/// <summary>
/// The access table, checked over every page and every endpoint the app maps: each role and each key scope gets exactly
/// what the table says, anonymous gets nothing but the sign-in pages. A page or endpoint missing from the table fails
/// the completeness tests, so a new one cannot ship without a decision about who may open it.
/// </summary>
public sealed class AccessMatrixTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private const string Public = "public";
    private const string AnyStaff = "any staff";
    private static readonly string[] Everyone = [Roles.Administrator, Roles.Marketer, Roles.Manager, Roles.Consultant];

    /// <summary>Pages: who opens them (PRODUCT.md's roles). Parameters get sample values.</summary>
    private static readonly Dictionary<string, string[]> Pages = new()
    {
        ["/"] = [Roles.Administrator, Roles.Marketer, Roles.Manager], // consultants are sent to the lookup
        ["/lookup"] = Everyone,
        ["/customers"] = Everyone,
        ["/customers/{Id:long}"] = Everyone,
        ["/segments"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["/segments/new"] = [Roles.Administrator, Roles.Marketer, Roles.Manager], // managers read; the editor is read-only for them
        ["/segments/{Id:int}"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["/campaigns"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["/campaigns/new"] = [Roles.Administrator, Roles.Marketer, Roles.Manager], // managers read; the editor is the marketers'
        ["/campaigns/{Id}"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["/reports"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["/feedback"] = Everyone, // consultants for their home store's customers
        ["/loyalty/rules"] = [Roles.Administrator, Roles.Marketer],
        ["/loyalty/promocodes"] = [Roles.Administrator, Roles.Marketer],
        ["/admin/users"] = [Roles.Administrator],
        ["/admin/api-keys"] = [Roles.Administrator],
        ["/admin/audit"] = [Roles.Administrator],
    };

    /// <summary>Staff downloads outside /api (files are produced by endpoints, not pushed through the circuit).</summary>
    private static readonly Dictionary<string, string[]> Downloads = new()
    {
        ["GET /exports/{exportId:long}/download"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["GET /reports/loyalty.xlsx"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["GET /reports/feedback.xlsx"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["GET /loyalty/promo-campaigns/{promoCampaignId:int}/codes.xlsx"] = [Roles.Administrator, Roles.Marketer],
        ["GET /admin/audit.xlsx"] = [Roles.Administrator],
        ["GET /campaigns/{campaignId}/results.xlsx"] = [Roles.Administrator, Roles.Marketer, Roles.Manager],
        ["GET /customers/{customerId:long}/data.xlsx"] = [Roles.Administrator],
    };

    /// <summary>What customers' mail clients call: anyone may (the token in the path is the proof).</summary>
    private static readonly HashSet<string> CustomerLinks = ["GET /t/o/{token}", "GET /t/c/{token}", "GET /t/u/{token}", "POST /t/u/{token}", "GET /t/s/{token}", "POST /t/s/{token}"];

    /// <summary>What a load balancer asks: anyone may, and it tells whether the instance is up and its role, nothing else.</summary>
    private static readonly HashSet<string> Probes = ["GET /health"];

    /// <summary>API endpoints by the scope they need (API.md: channel; MANAGEMENT-API.md, "Keys and scopes": the rest).</summary>
    private static readonly HashSet<string> ChannelEndpoints =
    [
        "POST /api/v1/events", "GET /api/v1/customers/lookup", "GET /api/v1/customers/{customerId}/timeline", "POST /api/v1/loyalty/quote",
    ];

    /// <summary>The key scopes (MANAGEMENT-API.md, "Keys and scopes"); management stands for the four after channel.</summary>
    private static readonly string[] Scopes = ["channel", "segments", "exports", "loyalty", "campaigns", "management"];
    private static readonly string[] ManagementParts = ["segments", "exports", "loyalty", "campaigns"];

    /// <summary>The scope an API endpoint needs: channel for the channel API, else by what it manages.</summary>
    private static string ScopeOf(string endpoint)
    {
        var route = endpoint.Split(' ')[1];
        if (ChannelEndpoints.Contains(endpoint)) return "channel";
        if (route.StartsWith("/api/v1/exports") || route.EndsWith("/exports")) return "exports";
        if (route.StartsWith("/api/v1/segments")) return "segments";
        if (route.StartsWith("/api/v1/loyalty/")) return "loyalty";
        if (route.StartsWith("/api/v1/campaigns") || route.StartsWith("/api/v1/feedback")) return "campaigns"; // surveys are campaign steps
        throw new InvalidOperationException($"{endpoint} is not in the scope table");
    }

    /// <summary>Pages and endpoints anyone or any signed-in staff member opens: the account pages, errors, the language switch.</summary>
    private static bool IsAccountOrShell(string route) =>
        route.StartsWith("/Account/", StringComparison.OrdinalIgnoreCase) || route is "/Error" or "/not-found" or "/culture/set"
        || route.StartsWith("/openapi/", StringComparison.Ordinal) || route.StartsWith("/_", StringComparison.Ordinal)
        || route == "/{**path:file}" || System.Text.RegularExpressions.Regex.IsMatch(route, @"^[^{]*\.(css|js|gz|map|svg|png|ico|woff2?)$"); // static files

    private readonly ConcurrentDictionary<string, Task<HttpClient>> _staff = new();
    private Task<HttpClient> As(string role) => _staff.GetOrAdd(role, r => app.SignedInAsync(r));

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    private static string Method(Endpoint e) => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
    private static string Route(RouteEndpoint e) => "/" + e.RoutePattern.RawText!.TrimStart('/');

    [Fact]
    public void EveryPageIsInTheTable()
    {
        var pages = Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null).Select(Route).Distinct()
            .Where(r => !IsAccountOrShell(r)).ToList();
        Assert.NotEmpty(pages);
        Assert.Empty(pages.Except(Pages.Keys));
        Assert.Empty(Pages.Keys.Except(pages)); // and the table names no page that is gone
    }

    [Fact]
    public void EveryEndpointIsInTheTable()
    {
        var endpoints = Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null && !IsAccountOrShell(Route(e))
                && !Route(e).StartsWith("/_blazor") && e.RoutePattern.RawText != "/{**catchall}")
            .Select(e => $"{Method(e)} {Route(e)}").Distinct().ToList();
        var unknown = endpoints.Where(e => !e.Contains(" /api/") && !Downloads.ContainsKey(e) && !CustomerLinks.Contains(e) && !Probes.Contains(e)).ToList();
        Assert.Empty(unknown);
        Assert.Contains(endpoints, e => e.Contains(" /api/v1/"));
        Assert.Empty(ChannelEndpoints.Except(endpoints));
    }

    public static TheoryData<string> PageRoutes() => [.. Pages.Keys];

    [Theory]
    [MemberData(nameof(PageRoutes))]
    public async Task EachRoleOpensExactlyThePagesTheTableGivesIt(string route)
    {
        var path = Sample(route);
        var anonymous = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/Account/Login", anonymous.Headers.Location!.PathAndQuery);

        foreach (var role in Everyone)
        {
            var response = await (await As(role)).GetAsync(path);
            if (Pages[route].Contains(role))
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} {path}: {(int)response.StatusCode} {response.Headers.Location}");
            else if (route == "/" && role == Roles.Consultant)
                Assert.Equal("/lookup", response.Headers.Location?.OriginalString.Replace("http://localhost", ""));
            else
                Assert.True(Denied(response), $"{role} {path}: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public async Task CustomerLinksOpenWithoutSigningInAndABadTokenChangesNothing()
    {
        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal("image/gif", (await anonymous.GetAsync("/t/o/not-a-token")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/t/c/not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/t/u/not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/t/u/not-a-token",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }))).StatusCode);
    }

    [Fact]
    public async Task TheHealthProbeAnswersAnyoneWithTheInstancesRoleOnly()
    {
        var response = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok","role":"All"}""", await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string> DownloadRoutes() => [.. Downloads.Keys];

    [Theory]
    [MemberData(nameof(DownloadRoutes))]
    public async Task EachRoleFetchesExactlyTheDownloadsTheTableGivesIt(string endpoint)
    {
        var path = Sample(endpoint.Split(' ')[1]);
        var anonymous = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(path);
        Assert.True(anonymous.StatusCode == HttpStatusCode.Redirect && anonymous.Headers.Location!.PathAndQuery.StartsWith("/Account/Login")
            || anonymous.StatusCode == HttpStatusCode.Unauthorized, $"anonymous {path}: {(int)anonymous.StatusCode}");
        foreach (var role in Everyone)
        {
            var response = await (await As(role)).GetAsync(path);
            if (Downloads[endpoint].Contains(role))
                Assert.True(!Denied(response) && (int)response.StatusCode < 500, $"{role} {path}: {(int)response.StatusCode}");
            else
                Assert.True(Denied(response), $"{role} {path}: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public async Task EachKeyScopeCallsExactlyTheEndpointsOfItsScope()
    {
        var endpoints = Endpoints().Where(e => Route(e).StartsWith("/api/")).Select(e => $"{Method(e)} {Route(e)}").Distinct().ToList();
        Assert.True(endpoints.Count >= 25, $"{endpoints.Count} API endpoints");
        foreach (var endpoint in endpoints) await CheckScopesAsync(endpoint);
    }

    private readonly ConcurrentDictionary<string, Task<string>> _scopeKeys = new();

    /// <summary>A stored key with that one scope (configured keys: till = channel, bi = management).</summary>
    private Task<string> KeyWith(string scope) => scope switch
    {
        "channel" => Task.FromResult(OmniConsoleFactory.TillKey),
        "management" => Task.FromResult(OmniConsoleFactory.ManagementKey),
        _ => _scopeKeys.GetOrAdd(scope, async s =>
            (await app.Services.GetRequiredService<OmniConsole.Core.Channels.ApiKeyService>().CreateAsync($"matrix-{s}", "test", CancellationToken.None, [s])).PlainKey),
    };

    private async Task CheckScopesAsync(string endpoint)
    {
        var (method, route) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
        var path = Sample(route) + (route.EndsWith("/lookup") ? "?phone=%2B79160000000" : "");
        var needed = ScopeOf(endpoint);

        async Task<HttpResponseMessage> Call(HttpClient client) => await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(app.CreateClient())).StatusCode); // no key
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(app.Api("no-such-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(await As(Roles.Administrator))).StatusCode); // staff cookies are not keys
        foreach (var scope in Scopes)
        {
            var answer = await Call(app.Api(await KeyWith(scope)));
            var allowed = scope == needed || scope == "management" && ManagementParts.Contains(needed);
            if (allowed)
                Assert.True(answer.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)answer.StatusCode < 500,
                    $"{endpoint} with the scope {scope}: {(int)answer.StatusCode}");
            else
            {
                Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{endpoint} with the scope {scope}: {(int)answer.StatusCode}");
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
                Assert.Contains($"\"{needed}\"", System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()); // says which scope it needs
            }
        }
    }

    private static bool Denied(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.PathAndQuery.StartsWith("/Account/AccessDenied");

    /// <summary>A concrete path for a route: numeric ids that exist nowhere (a 404 past authorization is fine).</summary>
    private static string Sample(string route) => System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", "987654");
}
