using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Every API endpoint the app maps, fed hostile input: each field of a plausible body replaced by wrong types, huge
/// numbers, lone surrogates, control characters, deep nesting and long strings; malformed JSON; wrong content types;
/// hostile query values and ids. No answer is a 5xx, and every error is a problem-details JSON body.
/// </summary>
public sealed class ApiHostileInputTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private static readonly string[] HostileValues =
    [
        "null", "true", "[]", "{}", "\"\"", "-1", "0", "1e400", "-1e27", "123456789012345678901234567890", "3.99999999999999999999",
        "\"\\ud800\"", "\"\\u0000\\u0007\\u001b[31m\"", "\"<script>alert(1)</script>\"", "\"2026-13-45T99:99:99Z\"", "\"PT-1H\"",
        "\"" + new string('я', 100_000) + "\"", new string('[', 300) + new string(']', 300),
    ];

    private static readonly string[] HostileBodies =
    [
        "", "{", "null", "[]", "\"text\"", "42", "{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}", "\u0000", "{\"events\":\"\\ud800\"}",
    ];

    private static readonly string[] HostileQueries =
    [
        "limit=1e400", "limit=-5", "limit=abc", "after=%00", "after=%ED%A0%80", "before=zzz", "channel=%3Cscript%3E", "phone=%00", "email=" + new string('a', 5000),
        "phone=1&email=a@b.c", "cardNumber=%F0%9F%92%A9",
    ];

    /// <summary>A plausible body per endpoint (the contract's shapes), whose every field is then made hostile.</summary>
    private static readonly Dictionary<string, string> Bodies = new()
    {
        ["POST /api/v1/events"] = """{"events":[{"eventId":"e-1","type":"product_viewed","channel":"app","occurredAt":"2026-05-01T10:00:00Z","customer":{"phone":"+79160000777"},"product":{"sku":"S","name":"N","price":10}}]}""",
        ["POST /api/v1/loyalty/quote"] = """{"customer":{"phone":"+79160000777"},"orderTotal":1000,"bonusToRedeem":0,"channel":"store"}""",
        ["POST /api/v1/segments/count"] = """{"definition":{"all":[{"attr":"city","op":"eq","value":"Москва"},{"attr":"events","type":"product_viewed","withinDays":30,"op":"gte","value":1}]}}""",
        ["POST /api/v1/segments"] = """{"name":"S","description":"d","definition":{"attr":"city","op":"eq","value":"Москва"}}""",
        ["PUT /api/v1/segments/{segmentId:int}"] = """{"name":"S","description":"d","definition":{"attr":"city","op":"eq","value":"Москва"}}""",
        ["POST /api/v1/loyalty/rules"] = """{"name":"R","kind":"purchase","status":"draft","priority":1,"exclusive":false,"percent":5,"conditions":{"channels":["store"],"minTotal":100,"validFrom":"2026-01-01T00:00:00Z"},"activationDays":14,"lifetimeDays":365}""",
        ["PUT /api/v1/loyalty/rules/{ruleId:int}"] = """{"name":"R","kind":"purchase","status":"draft","priority":1,"percent":5,"conditions":{"categories":["A"]}}""",
        ["POST /api/v1/loyalty/rules/preview"] = """{"name":"R","kind":"purchase","percent":5,"conditions":{"brands":["B"]}}""",
        ["PUT /api/v1/loyalty/tiers"] = """[{"name":"Base","minSpent":0},{"name":"Gold","minSpent":50000}]""",
        ["POST /api/v1/loyalty/promo-campaigns"] = """{"name":"P","kind":"unique","count":3,"discountPercent":10,"validFrom":"2026-01-01T00:00:00Z","usesPerCustomer":1,"channels":["online"]}""",
        ["POST /api/v1/loyalty/promo-campaigns/{promoCampaignId:int}/issue"] = """{"customer":{"phone":"+79160000777"}}""",
        ["POST /api/v1/campaigns"] = """{"name":"C","segmentId":SEGMENT,"excludeSegmentIds":[SEGMENT],"steps":[{"channel":"email","subject":"Hi {{firstName}}","body":"<p>Hi</p>","fallbackChannel":"sms","text":"Hi"},{"wait":"PT24H","unless":"opened"},{"channel":"sms","text":"Hi {{firstName}}"}],"trigger":{"kind":"cartAbandoned","hours":2}}""",
        ["POST /api/v1/feedback/followups/{followupId:long}/close"] = """{"note":"Позвонили"}""",
        ["PUT /api/v1/campaigns/{campaignId}"] = """{"name":"C","segmentId":SEGMENT,"steps":[{"channel":"push","text":"Hi"},{"wait":"P1D","unless":"purchased"},{"channel":"viber","text":"Hi"}]}""",
    };

    /// <summary>Writers that read no body (MANAGEMENT-API.md): whatever is sent is ignored.</summary>
    private static readonly string[] NoBody = ["POST /api/v1/segments/{segmentId:int}/exports", "POST /api/v1/campaigns/{campaignId}/launch",
        "POST /api/v1/campaigns/{campaignId}/pause", "POST /api/v1/campaigns/{campaignId}/resume", "POST /api/v1/campaigns/{campaignId}/stop"];

    private List<(string Method, string Route)> Endpoints() => app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText!.StartsWith("/api/"))
        .Select(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0], e.RoutePattern.RawText!)).Distinct().ToList();

    /// <summary>The channel endpoints take a till's key; the rest the management key (AccessMatrixTests checks the scopes).</summary>
    private static string Key(string path) => Regex.IsMatch(path.Split('?')[0], @"^/api/v1/(events|customers/lookup|customers/[^/]+/timeline|loyalty/quote)$")
        ? OmniConsoleFactory.TillKey : OmniConsoleFactory.ManagementKey;

    [Fact]
    public async Task EveryWritingEndpointHasAPlausibleBodyHere()
    {
        var writers = Endpoints().Where(e => e.Method is "POST" or "PUT").Select(e => $"{e.Method} {e.Route}").ToList();
        Assert.Empty(writers.Except(Bodies.Keys).Except(NoBody)); // a new endpoint gets its hostile tests by getting a body here
        var ids = await IdsAsync();
        foreach (var endpoint in Bodies.Keys) // and each body is one the endpoint accepts: the mutations below start from valid input
        {
            var response = await SendAsync(endpoint.Split(' ')[0], Path(endpoint.Split(' ')[1], ids), "application/json", Body(endpoint, ids));
            Assert.True((int)response.StatusCode is >= 200 and < 300 or 404 or 409, $"{endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task EachFieldMadeHostileIsAnErrorOrIgnoredNeverA5xx()
    {
        var ids = await IdsAsync();
        var failures = new List<string>();
        foreach (var endpoint in Bodies.Keys)
        {
            var template = Body(endpoint, ids);
            var (method, route) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
            foreach (var body in Mutations(JsonNode.Parse(template)!))
                await CheckAsync(failures, method, Path(route, ids), "application/json", body);
        }
        Assert.True(_sent > 1000, $"{_sent} requests"); // every field of every body, each hostile value
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public async Task MalformedBodiesAndWrongContentTypesAreProblemDetails()
    {
        var ids = await IdsAsync();
        var failures = new List<string>();
        foreach (var (method, route) in Endpoints().Where(e => e.Method is "POST" or "PUT"))
        {
            var readsBody = !NoBody.Contains($"{method} {route}");
            foreach (var body in HostileBodies) // not JSON at all, or JSON of the wrong shape (an empty tier list is a valid one)
                await CheckAsync(failures, method, Path(route, ids), "application/json", body, expectError: readsBody && !(body == "[]" && route.EndsWith("/tiers")));
            foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded" })
                await CheckAsync(failures, method, Path(route, ids), type, "<a>1</a>", expectError: readsBody);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public async Task HostileQueriesAndIdsAreProblemDetails()
    {
        var ids = await IdsAsync();
        var failures = new List<string>();
        foreach (var (method, route) in Endpoints())
        {
            foreach (var query in HostileQueries) await CheckAsync(failures, method, Path(route, ids) + "?" + query, "application/json", method is "GET" or "DELETE" ? null : "{}");
            foreach (var id in new[] { "99999999999999999999999", "-1", "abc", "%20", "1.5" })
                if (route.Contains('{'))
                    await CheckAsync(failures, method, Regex.Replace(route, @"\{[^}]+\}", id), "application/json", method is "GET" or "DELETE" ? null : "{}", expectError: true);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }

    private int _sent;

    private async Task CheckAsync(List<string> failures, string method, string path, string contentType, string? body, bool expectError = false)
    {
        var response = await SendAsync(method, path, contentType, body);
        _sent++;
        var status = (int)response.StatusCode;
        var shown = body is null ? "" : body.Length > 120 ? body[..120] + "…" : body;
        if (status >= 500) failures.Add($"{method} {path} {contentType} {shown}: {status} {await response.Content.ReadAsStringAsync()}");
        else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            failures.Add($"{method} {path} {contentType} {shown}: {status} as {response.Content.Headers.ContentType?.MediaType}");
        else if (expectError && status < 400) failures.Add($"{method} {path} {contentType} {shown}: {status}, not an error");
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string contentType, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { { "Content-Type", contentType } } };
        return app.Api(Key(path)).SendAsync(request);
    }

    /// <summary>Each leaf of the body (and each whole object and list) replaced by each hostile value, one at a time.</summary>
    private static IEnumerable<string> Mutations(JsonNode root)
    {
        var paths = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            if (node is null) return;
            if (node.Parent is not null) paths.Add(node);
            if (node is JsonObject o) foreach (var (_, child) in o.ToList()) Walk(child);
            if (node is JsonArray a) foreach (var child in a.ToList()) Walk(child);
        }
        Walk(root);
        foreach (var target in paths)
            foreach (var value in HostileValues)
            {
                var path = target.GetPath();
                var copy = JsonNode.Parse(root.ToJsonString())!;
                var slot = Find(copy, path);
                var raw = "\u0001" + Guid.NewGuid().ToString("N"); // a marker swapped for raw JSON text (some values are not valid .NET strings)
                if (slot!.Parent is JsonObject parent) parent[slot.GetPropertyName()] = raw;
                else if (slot.Parent is JsonArray list) list[slot.GetElementIndex()] = raw;
                yield return copy.ToJsonString().Replace(JsonValue.Create(raw)!.ToJsonString(), value);
            }
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (Match m in Regex.Matches(path, @"\.([A-Za-z]+)|\[(\d+)\]"))
            node = m.Groups[1].Success ? node![m.Groups[1].Value] : node![int.Parse(m.Groups[2].Value)];
        return node;
    }

    private sealed record Ids(int Segment, int Rule, int Promo, long Customer, string Campaign);

    private Ids? _ids;

    /// <summary>Real ids, so mutations reach the validation past "not found".</summary>
    private async Task<Ids> IdsAsync()
    {
        if (_ids is not null) return _ids;
        var customer = (await app.PostAsync(new[] { Ev.View(new { phone = "+79160000777" }, app.Clock.GetUtcNow()) }))[0].CustomerId!;
        var bi = app.Api(OmniConsoleFactory.ManagementKey);
        async Task<int> Create(string path, string body, string idName)
        {
            var response = await bi.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>())![idName]!.GetValue<int>();
        }
        _ids = new Ids(
            await Create("/api/v1/segments", Bodies["POST /api/v1/segments"], "segmentId"),
            await Create("/api/v1/loyalty/rules", Bodies["POST /api/v1/loyalty/rules"], "ruleId"),
            await Create("/api/v1/loyalty/promo-campaigns", Bodies["POST /api/v1/loyalty/promo-campaigns"], "promoCampaignId"),
            long.Parse(customer), "");
        var campaign = await bi.PostAsync("/api/v1/campaigns", new StringContent(Body("POST /api/v1/campaigns", _ids), Encoding.UTF8, "application/json"));
        Assert.True(campaign.StatusCode == HttpStatusCode.Created, await campaign.Content.ReadAsStringAsync());
        _ids = _ids with { Campaign = (await campaign.Content.ReadFromJsonAsync<JsonObject>())!["campaignId"]!.GetValue<string>() };
        return _ids;
    }

    private static string Path(string route, Ids ids) => route
        .Replace("{segmentId:int}", ids.Segment.ToString()).Replace("{ruleId:int}", ids.Rule.ToString())
        .Replace("{promoCampaignId:int}", ids.Promo.ToString()).Replace("{customerId}", ids.Customer.ToString())
        .Replace("{exportId:long}", "1").Replace("{campaignId}", ids.Campaign);

    /// <summary>A plausible body with this test's real ids in it.</summary>
    private static string Body(string endpoint, Ids ids) => Bodies[endpoint].Replace("SEGMENT", ids.Segment.ToString());
}
