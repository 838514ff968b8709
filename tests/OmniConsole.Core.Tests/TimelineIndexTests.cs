using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Timeline;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Core.Tests;

/// <summary>
/// Every read of one customer's events goes through the one timeline index (it carries channel and type), so a
/// customer with 50,000 events opens as fast as one with 5 and ingestion maintains one customer index, not three.
/// Checked on SQLite's own query plans for the queries the card and the API send.
/// </summary>
public sealed class TimelineIndexTests : IDisposable
{
    private readonly TestDatabase _db = new();

    [SqliteFact] // reads SQLite's query plans
    public async Task CardAndApiReadsOfACustomersEventsUseTheTimelineIndex()
    {
        var outcome = await _db.Ingestion().IngestAsync("app",
            [Events.View("v1", new CustomerData { Phone = "+79161234567" }, _db.Clock.GetUtcNow())], CancellationToken.None);
        var id = long.Parse(outcome.Single().CustomerId!);
        var now = _db.Clock.GetUtcNow().UtcDateTime;

        var plans = await QueryPlans.OfAsync(_db, async db =>
        {
            await TimelineQuery.ReadAsync(db, id, 50, null, null, CancellationToken.None);
            await TimelineQuery.ReadAsync(db, id, 50, null, new TimelineQuery.Filter(Channels: [Channel.Email, Channel.Sms]), CancellationToken.None);
            await TimelineQuery.ReadAsync(db, id, 50, null, new TimelineQuery.Filter(Types: [EventType.Purchase], FromUtc: now.AddDays(-30)), CancellationToken.None);
            await CustomerCard.InterestsAsync(db, id, now, CancellationToken.None);
            await CustomerLookup.ChannelsUsedAsync(db, id, CancellationToken.None);
        });

        var eventReads = plans.Where(p => p.Sql.Contains("FROM \"CustomerEvents\"", StringComparison.Ordinal)).ToList();
        Assert.True(eventReads.Count >= 7, $"{eventReads.Count} reads of CustomerEvents captured");
        Assert.All(eventReads, p =>
        {
            Assert.Contains("IX_CustomerEvents_Timeline", p.Plan);
            Assert.DoesNotMatch(@"(?m)^SCAN c\b(?! USING)", p.Plan); // never a walk through the whole table
        });
    }

    public void Dispose() => _db.Dispose();
}
