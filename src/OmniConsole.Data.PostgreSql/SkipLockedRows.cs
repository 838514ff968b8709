using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OmniConsole.Data.PostgreSql;

/// <summary>
/// <c>FOR UPDATE SKIP LOCKED</c> for a query tagged with <see cref="Tag"/>: EF's LINQ has no locking clause, so the
/// query keeps its one definition in the domain and this appends the clause to the SQL EF made of it.
/// </summary>
internal sealed class SkipLockedRows : DbCommandInterceptor
{
    public const string Tag = "omniconsole: for update skip locked";

    public static IQueryable<T> Apply<T>(IQueryable<T> query) => query.TagWith(Tag);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Append(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Append(command);
        return ValueTask.FromResult(result);
    }

    private static void Append(DbCommand command)
    {
        if (command.CommandText.StartsWith("-- " + Tag, StringComparison.Ordinal))
            command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + " FOR UPDATE SKIP LOCKED";
    }
}
