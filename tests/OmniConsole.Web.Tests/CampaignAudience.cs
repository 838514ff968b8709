using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Segments;

namespace OmniConsole.Web.Tests;

/// <summary>Campaign tests' audience: customers in a city of their own with a phone, an e-mail and e-mail/SMS consent, and the segment of that city.</summary>
public static class CampaignAudience
{
    public static async Task<(int SegmentId, List<long> Customers, List<string> Phones)> CreateAsync(WebApplicationFactory<Program> app, FakeTimeProvider clock, int count, bool smsConsent = true)
    {
        var city = $"Город-{Guid.NewGuid():N}"[..14];
        var at = clock.GetUtcNow().AddDays(-2);
        var events = new List<object>();
        var phones = Enumerable.Range(0, count).Select(_ => Ev.NewPhone()).ToList();
        foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
        {
            events.Add(new Dictionary<string, object?>
            {
                ["eventId"] = Ev.NewId(), ["type"] = "profile_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(at),
                ["customer"] = new { phone, email = $"c{i}-{Guid.NewGuid():N}"[..14] + "@example.ru", firstName = $"Имя{i}", lastName = "Тестова", city },
            });
            events.Add(new Dictionary<string, object?>
            {
                ["eventId"] = Ev.NewId(), ["type"] = "consent_changed", ["channel"] = "online", ["occurredAt"] = Ev.At(at.AddMinutes(1)),
                ["customer"] = new { phone }, ["consents"] = new Dictionary<string, bool> { ["email"] = true, ["sms"] = smsConsent },
            });
        }
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OmniConsoleFactory.TillKey);
        var response = await client.PostAsJsonAsync("/api/v1/events", new { events });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<OmniConsoleFactory.EventsBody>())!.Results;
        Assert.All(results, r => Assert.True(r.Status == "accepted", string.Join("; ", r.Errors?.Select(e => $"{e.Field}: {e.Message}") ?? [])));
        var segment = await app.Services.GetRequiredService<SegmentService>().CreateAsync("city " + city, null,
            SegmentService.ParseOrThrow($$"""{"attr":"city","op":"eq","value":"{{city}}"}"""), "test", default);
        return (segment.Segment.Id, results.Where((_, i) => i % 2 == 0).Select(r => long.Parse(r.CustomerId!)).ToList(), phones);
    }
}
