using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.SqlServer;

/// <summary>
/// SQL Server: compiled, its migrations scripted in CI, but not run here (it does not run on the machines we build
/// on). It takes every provider-neutral default: EF writes bulk rows (one command per row, no SqlBulkCopy), the outbox
/// claim is the conditional update (no READPAST), and no data-set generator.
/// </summary>
public sealed class SqlServerFamily : DatabaseFamily
{
    /// <summary>Deadlock victim, lock timeout.</summary>
    private static readonly HashSet<int> Conflicts = [1205, 1222];

    /// <summary>Timeout, connection broken or refused, database starting, failing over or throttled (as EF's retrying strategy counts them).</summary>
    private static readonly HashSet<int> Unavailable = [-2, 20, 64, 233, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40613, 49918, 49919, 49920];

    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public override void UseProvider(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(MigrationsAssembly));

    public override bool IsConflict(Exception ex) => Find(ex) is { } sql && sql.Errors.Cast<SqlError>().Any(e => Conflicts.Contains(e.Number));

    public override bool IsBusy(Exception ex) => Find(ex) is { } sql && sql.Errors.Cast<SqlError>().Any(e => Unavailable.Contains(e.Number));

    private static SqlException? Find(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is SqlException sql) return sql;
        return null;
    }
}
