using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Segments;

namespace OmniConsole.Web.Tests;

/// <summary>Segments and exports over HTTP: scopes, validation, versions, members and an export read back from the real file.</summary>
public sealed class ManagementApiTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    private static object Women => new { all = new object[] { new { attr = "gender", op = "eq", value = "female" }, new { attr = "city", op = "eq", value = "москва" } } };

    private async Task SeedAsync(int women, int men)
    {
        var events = Enumerable.Range(0, women + men).Select(i => new
        {
            eventId = $"s-{i}", type = "store_visit", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-01T10:00:00+03:00",
            customer = new { phone = $"+7916{i:0000000}", email = $"c{i}@example.ru", firstName = $"Имя{i}", gender = i < women ? "female" : "male", city = "Москва" },
        }).ToList();
        var results = await _app.PostAsync(events);
        Assert.All(results, r => Assert.Equal("accepted", r.Status));
    }

    [Fact]
    public async Task ManagementNeedsAKeyWithTheManagementScopeAndChannelNeedsChannel()
    {
        var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/segments")).StatusCode);
        var channelOnly = await _app.Api(OmniConsoleFactory.TillKey).GetAsync("/api/v1/segments");
        Assert.Equal(HttpStatusCode.Forbidden, channelOnly.StatusCode);
        Assert.Equal("application/problem+json", channelOnly.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await _app.Api(OmniConsoleFactory.ManagementKey).GetAsync("/api/v1/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Api(OmniConsoleFactory.ManagementKey).GetAsync("/api/v1/customers/lookup?phone=%2B79160000000")).StatusCode);
    }

    [Fact]
    public async Task BadDefinitionsAre400NamingTheFieldAndNothingIsSaved()
    {
        var api = _app.Api(OmniConsoleFactory.ManagementKey);
        var response = await api.PostAsJsonAsync("/api/v1/segments", new { name = "Bad", definition = new { all = new object[] { new { attr = "gender", op = "eq", value = "female" }, new { attr = "age", op = "gte", value = "old" } } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("definition.all[1].value", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        var notJson = await api.PostAsync("/api/v1/segments/count", new StringContent("{oops", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/segments");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task SegmentIsCountedSavedVersionedPagedAndExportedWithEveryMemberOnce()
    {
        await SeedAsync(women: 7, men: 3);
        var api = _app.Api(OmniConsoleFactory.ManagementKey);

        var count = await (await api.PostAsJsonAsync("/api/v1/segments/count", new { definition = Women })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, count.GetProperty("count").GetInt32());
        Assert.Equal(10, count.GetProperty("total").GetInt32());

        var created = await api.PostAsJsonAsync("/api/v1/segments", new { name = "Women in Moscow", description = "test", definition = Women });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var segment = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = segment.GetProperty("segmentId").GetInt32();
        Assert.Equal(1, segment.GetProperty("version").GetInt32());
        Assert.Equal(7, segment.GetProperty("count").GetInt32());

        var updated = await (await api.PutAsJsonAsync($"/api/v1/segments/{id}", new { name = "Women in Moscow", definition = Women })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, updated.GetProperty("version").GetInt32());

        // The size once a day (v1.1): the daily job's count, as the API answers it.
        await _app.Services.GetRequiredService<SegmentService>().RecordSizesAsync(default);
        var history = await api.GetFromJsonAsync<JsonElement>($"/api/v1/segments/{id}/history");
        var day = history.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((7, DateOnly.FromDateTime(_app.Clock.GetUtcNow().UtcDateTime.AddHours(3)).ToString("yyyy-MM-dd")), (day.GetProperty("count").GetInt32(), day.GetProperty("date").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/segments/999999/history")).StatusCode);

        var ids = new List<long>();
        string? after = null;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/segments/{id}/members?limit=3{(after is null ? "" : $"&after={after}")}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("customerId").GetInt64()));
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64().ToString();
        } while (after is not null);
        Assert.Equal(7, ids.Distinct().Count());
        Assert.Equal(ids.Order(), ids);

        var started = await api.PostAsync($"/api/v1/segments/{id}/exports", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var exportId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("exportId").GetInt64();
        JsonElement status = default;
        for (var i = 0; i < 600; i++) // wait for the background job (up to a minute on a busy machine)
        {
            status = await api.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}");
            if (status.GetProperty("status").GetString() is "completed" or "failed") break;
            await Task.Delay(100);
        }
        Assert.True(status.GetProperty("status").GetString() == "completed", status.ToString());
        Assert.Equal(7, status.GetProperty("rowsWritten").GetInt32());

        var file = await api.GetAsync($"/api/v1/exports/{exportId}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        using var workbook = new XLWorkbook(await file.Content.ReadAsStreamAsync());
        Assert.Equal(["Summary", "Members"], workbook.Worksheets.Select(w => w.Name));
        Assert.Contains("Women in Moscow", workbook.Worksheet(1).Cell("B1").GetString());
        var members = workbook.Worksheet(2);
        Assert.Equal("Customer id", members.Cell(1, 1).GetString());
        var rows = members.RowsUsed().Skip(1).ToList();
        Assert.Equal(7, rows.Count);
        Assert.All(rows, r => Assert.Equal(XLDataType.Number, r.Cell(1).DataType));
        Assert.Equal(ids.Order(), rows.Select(r => (long)r.Cell(1).GetDouble()));
        Assert.Equal(XLDataType.DateTime, rows[0].Cell(10).DataType);
        Assert.Equal(XLDataType.Number, rows[0].Cell(12).DataType);
        Assert.StartsWith("+7916", rows[0].Cell(4).GetString()); // an API key with the management scope gets contacts in full

        // A second key of the same scope cannot see this key's export.
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Api(OmniConsoleFactory.TillKey).GetAsync($"/api/v1/exports/{exportId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/segments/{id}")).StatusCode);
    }

    [Fact]
    public async Task AnExportSpeaksTheRequestersLanguageAndMasksContactsForRolesThatSeeThemMasked()
    {
        await SeedAsync(women: 3, men: 1);
        var segments = _app.Services.GetRequiredService<OmniConsole.Core.Segments.SegmentService>();
        var exports = _app.Services.GetRequiredService<OmniConsole.Core.Exports.ExportService>();
        var saved = await segments.CreateAsync("Женщины", null, OmniConsole.Core.Segments.SegmentService.ParseOrThrow(JsonSerializer.Serialize(Women)), "manager@test", CancellationToken.None);

        var job = (await exports.QueueAsync(saved.Segment.Id, "manager@test", fullContacts: false, CancellationToken.None, "ru-RU"))!;
        OmniConsole.Core.Exports.ExportJob? done = null;
        for (var i = 0; i < 600 && done?.Status is not (OmniConsole.Core.Exports.ExportStatus.Completed or OmniConsole.Core.Exports.ExportStatus.Failed); i++)
        {
            await Task.Delay(100);
            done = await exports.GetAsync(job.Id, null, CancellationToken.None);
        }
        Assert.Equal(OmniConsole.Core.Exports.ExportStatus.Completed, done!.Status);

        using var workbook = new XLWorkbook(exports.PathOf(job.Id));
        Assert.Equal(["Сводка", "Участники"], workbook.Worksheets.Select(w => w.Name));
        var summary = workbook.Worksheet(1);
        Assert.Equal("Условия", summary.Cell(2, 1).GetString());
        Assert.Equal("Пол = женский И Город = москва", summary.Cell(2, 2).GetString());
        var members = workbook.Worksheet(2);
        Assert.Equal("Номер клиента", members.Cell(1, 1).GetString());
        Assert.Equal("женский", members.Cell(2, 8).GetString());
        // Channels by their names in the file's language, not their API codes (the seeded customers visited a store).
        var channels = members.Row(1).CellsUsed().Single(c => c.GetString() == "Каналы").Address.ColumnNumber;
        Assert.Equal("Магазин", members.Cell(2, channels).GetString());
        Assert.Contains("•", members.Cell(2, 4).GetString()); // the phone, masked
        Assert.Equal(3, members.RowsUsed().Count() - 1);
    }

    public void Dispose() => _app.Dispose();
}
