using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Exports;
using OmniConsole.Core.Segments;

namespace OmniConsole.Web.Tests;

/// <summary>Finished exports hold customers' contacts: their files are kept for <c>Exports:RetentionDays</c>, then deleted, and the job says so.</summary>
public sealed class ExportRetentionTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    [Fact]
    public async Task AFinishedExportIsDeletedAfterTheRetentionPeriodAndReadsExpired()
    {
        var city = "Хранилово-" + Guid.NewGuid().ToString("N")[..6];
        await _app.PostAsync(new[]
        {
            new Dictionary<string, object?> { ["eventId"] = Ev.NewId(), ["type"] = "profile_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(_app.Clock.GetUtcNow().AddDays(-1)),
                ["customer"] = new { phone = Ev.NewPhone(), firstName = "Нина", lastName = "Хранимова", city } },
        });
        _app.Clock.Advance(TimeSpan.FromMinutes(2)); // the segment vocabulary learns the city
        var segment = await _app.Services.GetRequiredService<SegmentService>().CreateAsync("retention", null,
            SegmentService.ParseOrThrow($$"""{"attr":"city","op":"eq","value":"{{city}}"}"""), "test", default);
        var api = _app.Api(OmniConsoleFactory.ManagementKey);
        var queued = await (await api.PostAsync($"/api/v1/segments/{segment.Segment.Id}/exports", null)).Content.ReadFromJsonAsync<JsonObject>();
        var id = (long)queued!["exportId"]!;
        for (var i = 0; i < 300 && (string?)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/exports/{id}"))!["status"] != "completed"; i++) await Task.Delay(50);
        var exports = _app.Services.GetRequiredService<ExportService>();
        Assert.True(File.Exists(exports.PathOf(id)));

        _app.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await exports.ExpireAsync(default));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/exports/{id}/file")).StatusCode);

        _app.Clock.Advance(TimeSpan.FromDays(1.1)); // 30 days (the default) after it was finished
        Assert.Equal(1, await exports.ExpireAsync(default));
        Assert.False(File.Exists(exports.PathOf(id)));
        Assert.Equal("expired", (string?)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/exports/{id}"))!["status"]);
        var gone = await api.GetAsync($"/api/v1/exports/{id}/file");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await exports.ExpireAsync(default)); // once
    }

    public void Dispose() => _app.Dispose();
}
