using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using OmniConsole.Web.Api;

namespace OmniConsole.Web.Tests;

/// <summary>A database another writer keeps locked past the busy timeout is a 503 with Retry-After, never a 500.</summary>
public sealed class ApiBusyTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"omni-busy-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task LockedDatabaseAnswers503WithRetryAfter()
    {
        var busy = RealBusyError();
        var http = new DefaultHttpContext();

        var result = await ApiProblems.BusyAsServiceUnavailable(new DefaultEndpointFilterInvocationContext(http),
            _ => throw new InvalidOperationException("wrapped", busy));

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.StatusCode);
        Assert.Contains("Nothing of this request was stored", problem.ProblemDetails.Detail);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task OtherErrorsAreNotTakenForBusy()
    {
        var http = new DefaultHttpContext();
        await Assert.ThrowsAsync<SqliteException>(async () => await ApiProblems.BusyAsServiceUnavailable(
            new DefaultEndpointFilterInvocationContext(http), _ => throw new SqliteException("constraint failed", 19)));
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
