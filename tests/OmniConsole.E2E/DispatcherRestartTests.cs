using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OmniConsole.E2E;

/// <summary>
/// The app process is killed while it sends a campaign and started again on the same database: every recipient gets
/// exactly one message — none lost with the killed process, none sent twice by the restarted one.
/// </summary>
public sealed class DispatcherRestartTests : IDisposable
{
    private const int Recipients = 2000;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"omni-restart-{Guid.NewGuid():N}");
    private string Db => Path.Combine(_dir, "restart.db");

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["OmniConsole:SeedDemoData"] = "false",
        // Slow enough to be killed mid-send; claims of the killed process run out quickly.
        ["OmniConsole:Messaging:RatePerSecond:Email"] = "400",
        ["OmniConsole:Messaging:ClaimSeconds"] = "5",
    };

    [Fact]
    public async Task KilledMidSendAndStartedAgainEveryRecipientGetsExactlyOneMessage()
    {
        Directory.CreateDirectory(_dir);
        string campaignId;
        using (var first = await AppProcess.StartAsync(Db, Settings))
        {
            var till = Client(first, AppServer.DemoTillKey);
            var city = "Рестарт";
            for (var batch = 0; batch < Recipients / 500; batch++)
            {
                var events = Enumerable.Range(batch * 500, 500).SelectMany(i => new object[]
                {
                    new { eventId = $"p-{i}", type = "profile_updated", channel = "online", occurredAt = "2026-11-01T10:00:00Z",
                          customer = new { phone = $"+7916{7_000_000 + i}", email = $"r{i}@example.ru", firstName = $"Клиент{i}", city } },
                    new { eventId = $"c-{i}", type = "consent_changed", channel = "online", occurredAt = "2026-11-01T10:01:00Z",
                          customer = new { phone = $"+7916{7_000_000 + i}" }, consents = new Dictionary<string, bool> { ["email"] = true } },
                }).ToArray();
                var posted = await till.PostAsJsonAsync("/api/v1/events", new { events });
                Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
            }
            var bi = Client(first, "demo-bi-key-2026");
            var segment = await bi.PostAsJsonAsync("/api/v1/segments", new { name = "Restart", definition = new { attr = "city", op = "eq", value = city } });
            var segmentId = (await segment.Content.ReadFromJsonAsync<JsonObject>())!["segmentId"]!.GetValue<int>();
            var campaign = await bi.PostAsJsonAsync("/api/v1/campaigns", new
            {
                name = "Restart", segmentId, steps = new[] { new { channel = "email", subject = "Привет, {{firstName}}", body = "<p>Здравствуйте!</p>" } },
            });
            Assert.True(campaign.IsSuccessStatusCode, await campaign.Content.ReadAsStringAsync());
            campaignId = (await campaign.Content.ReadFromJsonAsync<JsonObject>())!["campaignId"]!.GetValue<string>();
            Assert.True((await bi.PostAsync($"/api/v1/campaigns/{campaignId}/launch", null)).IsSuccessStatusCode);

            // Some have gone, not all: pull the plug.
            await WaitForAsync(async () => await SentAsync(bi, campaignId) >= 300, TimeSpan.FromSeconds(60), first);
            first.Kill();
        }
        var sentBeforeRestart = SentPerCustomer(campaignId);
        Assert.InRange(sentBeforeRestart.Count, 300, Recipients - 1);

        using (var second = await AppProcess.StartAsync(Db, Settings))
        {
            var bi = Client(second, "demo-bi-key-2026");
            await WaitForAsync(async () => (await bi.GetFromJsonAsync<JsonObject>($"/api/v1/campaigns/{campaignId}/results"))!["status"]!.GetValue<string>() == "completed",
                TimeSpan.FromSeconds(120), second);
        }
        var sent = SentPerCustomer(campaignId);
        Assert.Equal(Recipients, sent.Count);
        Assert.All(sent, s => Assert.Equal(1, s.Value)); // one message_sent on each timeline
        using var db = Open();
        using var rows = db.CreateCommand();
        rows.CommandText = "SELECT COUNT(*), COUNT(DISTINCT CustomerId) FROM OutboxMessages WHERE CampaignId = $c AND SentAtUtc IS NOT NULL";
        rows.Parameters.AddWithValue("$c", campaignId);
        using var reader = rows.ExecuteReader();
        reader.Read();
        Assert.Equal((Recipients, Recipients), (reader.GetInt32(0), reader.GetInt32(1)));
    }

    private static HttpClient Client(AppProcess app, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<int> SentAsync(HttpClient bi, string campaignId) =>
        (await bi.GetFromJsonAsync<JsonObject>($"/api/v1/campaigns/{campaignId}/results"))!["steps"]!.AsArray().FirstOrDefault()?["sent"]?.GetValue<int>() ?? 0;

    private static async Task WaitForAsync(Func<Task<bool>> done, TimeSpan within, AppProcess app)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not done within {within}:\n{app.Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>message_sent items per customer for the campaign, read from the database file itself.</summary>
    private Dictionary<long, int> SentPerCustomer(string campaignId)
    {
        using var db = Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT CustomerId, COUNT(*) FROM CustomerEvents WHERE CampaignId = $c AND Type = 'MessageSent' GROUP BY CustomerId";
        command.Parameters.AddWithValue("$c", campaignId);
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<long, int>();
        while (reader.Read()) counts[reader.GetInt64(0)] = reader.GetInt32(1);
        return counts;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
