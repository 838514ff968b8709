using System.Net;
using System.Text;

namespace OmniConsole.Web.Tests;

/// <summary>Bad input anywhere under /api gets a problem-details JSON answer, never a 5xx or an HTML page.</summary>
public sealed class ApiBadInputTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    public static TheoryData<string, string, string, string?, string> Cases => new()
    {
        // method, path, key, content type, body
        { "GET", "/api/v1/no-such-endpoint", OmniConsoleFactory.TillKey, null, "" },
        { "POST", "/api/v1/events", OmniConsoleFactory.TillKey, "text/plain", "x" },
        { "POST", "/api/v1/loyalty/quote", OmniConsoleFactory.TillKey, "application/json", """{"customer":{"phone":"+79161234567"},"orderTotal":1e27,"channel":"store"}""" },
        { "POST", "/api/v1/segments/count", OmniConsoleFactory.ManagementKey, "text/plain", "x" },
        { "POST", "/api/v1/segments", OmniConsoleFactory.ManagementKey, "application/json", """{"name":"\ud800","definition":{"attr":"city","op":"eq","value":"\ud800"}}""" },
        { "POST", "/api/v1/segments/count", OmniConsoleFactory.ManagementKey, "application/json", """{"definition":{"attr":"spent","op":"gte","value":1e400}}""" },
        { "GET", "/api/v1/segments/1/members?limit=abc", OmniConsoleFactory.ManagementKey, null, "" },
        { "GET", "/api/v1/exports/999/file", OmniConsoleFactory.ManagementKey, null, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnswersAreProblemDetailsAndNever5xx(string method, string path, string key, string? contentType, string body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        var response = await app.Api(key).SendAsync(request);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnEventIdWithALoneSurrogateRejectsThatEventOnly()
    {
        var response = await app.Api().PostAsync("/api/v1/events", new StringContent("""
            {"events":[{"eventId":"\ud800","type":"store_visit","channel":"store","storeCode":"MSK-01","occurredAt":"2026-05-01T10:00:00Z","customer":{"phone":"+79160000101"}},
                       {"eventId":"fine-1","type":"store_visit","channel":"store","storeCode":"MSK-01","occurredAt":"2026-05-01T10:00:00Z","customer":{"phone":"+79160000101"}}]}
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"rejected\"", text);
        Assert.Contains("\"accepted\"", text);
    }
}
