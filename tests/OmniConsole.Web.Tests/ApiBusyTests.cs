using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OmniConsole.Core.Data;
using OmniConsole.Tests.Shared;
using OmniConsole.Web.Api;

namespace OmniConsole.Web.Tests;

/// <summary>
/// A database another writer keeps locked past the busy timeout, or a server that is down, is a 503 with Retry-After,
/// never a 500; as each database family tells.
/// </summary>
public sealed class ApiBusyTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"omni-busy-{Guid.NewGuid():N}.db");

    [SqliteFact]
    public async Task LockedDatabaseAnswers503WithRetryAfter()
    {
        var busy = RealBusyError();
        var http = Http(DatabaseProvider.Sqlite);

        var result = await ApiProblems.BusyAsServiceUnavailable(new DefaultEndpointFilterInvocationContext(http),
            _ => throw new InvalidOperationException("wrapped", busy));

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.StatusCode);
        Assert.Contains("Nothing of this request was stored", problem.ProblemDetails.Detail);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task APostgreSqlServerThatIsDownAnswers503WithRetryAfter()
    {
        var down = await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Timeout=3;Pooling=false");
            await connection.OpenAsync();
        });
        var http = Http(DatabaseProvider.PostgreSql);

        var result = await ApiProblems.BusyAsServiceUnavailable(new DefaultEndpointFilterInvocationContext(http),
            _ => throw new InvalidOperationException("wrapped", down));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, Assert.IsType<ProblemHttpResult>(result).StatusCode);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
    }

    [PostgreSqlFact]
    public async Task APostgreSqlConstraintViolationIsNotTakenForBusy()
    {
        var connectionString = TestDatabases.Create("omni-busy");
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var twice = new NpgsqlCommand("""INSERT INTO "Stores" ("Code", "Name", "City") VALUES ('S1', 'a', 'b'), ('S1', 'a', 'b')""", connection);
            var violation = await Assert.ThrowsAsync<PostgresException>(() => twice.ExecuteNonQueryAsync());
            await Assert.ThrowsAsync<PostgresException>(async () => await ApiProblems.BusyAsServiceUnavailable(
                new DefaultEndpointFilterInvocationContext(Http(DatabaseProvider.PostgreSql)), _ => throw violation));
        }
        finally { TestDatabases.Drop(connectionString); }
    }

    [Fact]
    public async Task OtherErrorsAreNotTakenForBusy()
    {
        var http = Http(DatabaseProvider.Sqlite);
        await Assert.ThrowsAsync<SqliteException>(async () => await ApiProblems.BusyAsServiceUnavailable(
            new DefaultEndpointFilterInvocationContext(http), _ => throw new SqliteException("constraint failed", 19)));
    }

    private static DefaultHttpContext Http(DatabaseProvider provider) => new()
    {
        RequestServices = new ServiceCollection().AddSingleton(DatabaseFamily.For(provider)).BuildServiceProvider(),
    };

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>What SQLite itself throws when a second writer finds the database locked.</summary>
    private SqliteException RealBusyError()
    {
        using var holder = new SqliteConnection($"Data Source={_path};Pooling=False");
        holder.Open();
        using (var create = holder.CreateCommand()) { create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (x)"; create.ExecuteNonQuery(); }
        using var lockIt = holder.BeginTransaction(deferred: false);
        using var second = new SqliteConnection($"Data Source={_path};Pooling=False;Default Timeout=1");
        second.Open();
        using (var noWait = second.CreateCommand()) { noWait.CommandText = "PRAGMA busy_timeout=0"; noWait.ExecuteNonQuery(); }
        return Assert.Throws<SqliteException>(() => second.BeginTransaction(deferred: false));
    }

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_path + suffix)) File.Delete(_path + suffix);
    }
}
