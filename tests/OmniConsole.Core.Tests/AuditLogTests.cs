using OmniConsole.Core.Audit;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Core.Tests;

/// <summary>/admin/audit at ten million entries: every filter seeks an index, counts stop at the limit, "who" matches from the start.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private AuditLog Log => new(_db.Factory, _db.Clock, new Data.WriteGate());

    private async Task EntriesAsync()
    {
        await using var db = await _db.Factory.CreateDbContextAsync();
        var start = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 60; i++)
            db.AuditEntries.Add(new AuditEntry
            {
                AtUtc = start.AddHours(i), Actor = i % 3 == 0 ? "anna@shop.ru" : i % 3 == 1 ? "annabel@shop.ru" : "api:till",
                Action = i % 2 == 0 ? AuditAction.CustomerViewed : AuditAction.CustomersSearched, CustomerId = i % 5, Details = $"#{i}",
            });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task FiltersCombineAndWhoIsOneActor()
    {
        await EntriesAsync();
        Assert.Equal(20, (await Log.ReadAsync(new AuditLog.Filter(Actor: " anna@shop.ru "), 0, 100, default)).Total);
        Assert.Equal(20, (await Log.ReadAsync(new AuditLog.Filter(Actor: "api:till"), 0, 100, default)).Total);
        Assert.Equal(0, (await Log.ReadAsync(new AuditLog.Filter(Actor: "anna"), 0, 100, default)).Total); // one actor, not a text search
        var viewsOfOne = await Log.ReadAsync(new AuditLog.Filter(Action: AuditAction.CustomerViewed, CustomerId: 2), 0, 100, default);
        Assert.All(viewsOfOne.Rows, r => Assert.Equal((AuditAction.CustomerViewed, (long?)2), (r.Action, r.CustomerId)));
        Assert.Equal(6, viewsOfOne.Total);
        var day = await Log.ReadAsync(new AuditLog.Filter(FromUtc: new DateTime(2026, 5, 2, 0, 0, 0, DateTimeKind.Utc), ToUtc: new DateTime(2026, 5, 3, 0, 0, 0, DateTimeKind.Utc)), 0, 5, default);
        Assert.Equal(24, day.Total);
        Assert.Equal(["#47", "#46", "#45", "#44", "#43"], day.Rows.Select(r => r.Details)); // newest first
    }

    [Fact]
    public async Task CountingStopsAtTheLimitAndSaysThereIsMore()
    {
        await EntriesAsync();
        var page = await Log.ReadAsync(new AuditLog.Filter(), 0, 10, default, countLimit: 25);
        Assert.Equal((25, true, 10), (page.Total, page.More, page.Rows.Count));
        var all = await Log.ReadAsync(new AuditLog.Filter(), 0, 10, default, countLimit: 60);
        Assert.Equal((60, false), (all.Total, all.More));
    }

    [SqliteTheory] // reads SQLite's query plans
    [InlineData("who", "IX_AuditEntries_Actor_AtUtc")]
    [InlineData("what", "IX_AuditEntries_Action_AtUtc")]
    [InlineData("customer", "IX_AuditEntries_CustomerId_AtUtc")]
    [InlineData("period", "IX_AuditEntries_AtUtc")]
    [InlineData("who and what", "IX_AuditEntries_Actor_Action_AtUtc")]
    public async Task EachFilterSeeksItsIndex(string filter, string index)
    {
        await EntriesAsync();
        var f = filter switch
        {
            "who" => new AuditLog.Filter(Actor: "anna@shop.ru"),
            "what" => new AuditLog.Filter(Action: AuditAction.CustomersSearched),
            "customer" => new AuditLog.Filter(CustomerId: 3),
            "who and what" => new AuditLog.Filter(Actor: "anna@shop.ru", Action: AuditAction.CustomerViewed),
            _ => new AuditLog.Filter(FromUtc: new DateTime(2026, 5, 2, 0, 0, 0, DateTimeKind.Utc)),
        };
        var plans = await QueryPlans.OfServiceAsync(_db, factory => new AuditLog(factory, _db.Clock, new Data.WriteGate()).ReadAsync(f, 0, 50, default));
        var reads = plans.Where(p => p.Sql.Contains("FROM \"AuditEntries\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reads.Count); // the count and the page
        Assert.All(reads, p => Assert.Matches($"SEARCH a USING (COVERING )?INDEX {index} ", p.Plan));
        Assert.All(reads, p => Assert.DoesNotContain("USE TEMP B-TREE", p.Plan)); // no sort of everything matched
    }

    public void Dispose() => _db.Dispose();
}
