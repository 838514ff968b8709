using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Data;

namespace OmniConsole.Core.Tests;

/// <summary>SQLite's own plans for the commands a piece of code sends: how tests prove a read seeks an index.</summary>
internal static class QueryPlans
{
    /// <summary>Runs the reads on a context that records each command, then asks SQLite how it executes each one.</summary>
    public static async Task<List<(string Sql, string Plan)>> OfAsync(TestDatabase database, Func<OmniConsoleDbContext, Task> reads) =>
        await OfServiceAsync(database, async factory =>
        {
            await using var db = await factory.CreateDbContextAsync();
            await reads(db);
        });

    /// <summary>The same for a service that opens its own contexts (in parallel too): it gets a factory whose contexts record.</summary>
    public static async Task<List<(string Sql, string Plan)>> OfServiceAsync(TestDatabase database, Func<IDbContextFactory<OmniConsoleDbContext>, Task> reads)
    {
        var recorder = new CommandRecorder();
        var options = new DbContextOptionsBuilder<OmniConsoleDbContext>()
            .UseOmniConsoleDatabase(DatabaseProvider.Sqlite, database.ConnectionString)
            .AddInterceptors(recorder)
            .UseApplicationServiceProvider(new ServiceCollection().AddIdentityStoreSchema().BuildServiceProvider())
            .Options;
        await reads(new RecordingFactory(options));

        await using var connection = new SqliteConnection(database.ConnectionString);
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
            lock (Commands) Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            return ValueTask.FromResult(result);
        }
    }

    private sealed class RecordingFactory(DbContextOptions<OmniConsoleDbContext> options) : IDbContextFactory<OmniConsoleDbContext>
    {
        public OmniConsoleDbContext CreateDbContext() => new(options);
    }

}
