using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Tests;

/// <summary>
/// Every read of one customer's events goes through the one timeline index (it carries channel and type), so a
/// customer with 50,000 events opens as fast as one with 5 and ingestion maintains one customer index, not three.
/// Checked on SQLite's own query plans for the queries the card and the API send.
/// </summary>
public sealed class TimelineIndexTests : IDisposable
{
    private readonly TestDatabase _db = new();

    [Fact]
    public async Task CardAndApiReadsOfACustomersEventsUseTheTimelineIndex()
    {
        var outcome = await _db.Ingestion().IngestAsync("app",
            [Events.View("v1", new CustomerData { Phone = "+79161234567" }, _db.Clock.GetUtcNow())], CancellationToken.None);
        var id = long.Parse(outcome.Single().CustomerId!);
        var now = _db.Clock.GetUtcNow().UtcDateTime;

        var plans = await PlansOfAsync(async db =>
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

    /// <summary>Runs the reads on a context that records each command, then asks SQLite how it executes each one.</summary>
    private async Task<List<(string Sql, string Plan)>> PlansOfAsync(Func<OmniConsoleDbContext, Task> reads)
    {
        var recorder = new CommandRecorder();
        var options = new DbContextOptionsBuilder<OmniConsoleDbContext>()
            .UseOmniConsoleDatabase(DatabaseProvider.Sqlite, _db.ConnectionString)
            .AddInterceptors(recorder)
            .UseApplicationServiceProvider(new ServiceCollection().AddIdentityStoreSchema().BuildServiceProvider())
            .Options;
        await using (var db = new OmniConsoleDbContext(options)) await reads(db);

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        var plans = new List<(string, string)>();
        foreach (var (sql, parameters) in recorder.Commands)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            var lines = new List<string>();
            await using (var row = await explain.ExecuteReaderAsync())
                while (await row.ReadAsync()) lines.Add(row.GetString(3));
            plans.Add((sql, string.Join('\n', lines)));
        }
        return plans;
    }

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            return ValueTask.FromResult(result);
        }
    }

    public void Dispose() => _db.Dispose();
}
