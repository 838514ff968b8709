using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using OmniConsole.Core.Data;

namespace OmniConsole.Benchmarks;

/// <summary>
/// The database a benchmark runs on, from its <c>--db</c>: a SQLite file's path, or a PostgreSQL connection string
/// (<c>Host=…;Database=…;Username=…</c>). Its SQL quotes every name, so the same text runs on both.
/// </summary>
internal sealed record BenchDatabase(DatabaseProvider Provider, string ConnectionString, string? File)
{
    public static BenchDatabase? Parse(string? db, bool mustExist = true)
    {
        if (string.IsNullOrWhiteSpace(db)) return null;
        if (db.Contains("Host=", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.PostgreSql, new NpgsqlConnectionStringBuilder(db) { CommandTimeout = 0, MaxPoolSize = 200 }.ConnectionString, null);
        if (mustExist && !System.IO.File.Exists(db)) return null;
        return new(DatabaseProvider.Sqlite, $"Data Source={Path.GetFullPath(db)}", Path.GetFullPath(db));
    }

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public override string ToString() => File ?? $"PostgreSQL {new NpgsqlConnectionStringBuilder(ConnectionString).Database}";

    /// <summary>The app's two database settings for this database.</summary>
    public IEnumerable<KeyValuePair<string, string>> AppSettings(string separator = ":") =>
    [
        new($"Database{separator}Provider", Provider.ToString()),
        new($"ConnectionStrings{separator}OmniConsole", ConnectionString),
    ];

    /// <summary>A connection for the benchmark's own reads (read-only on SQLite).</summary>
    public DbConnection OpenReader()
    {
        DbConnection connection = IsSqlite ? new SqliteConnection(ConnectionString + ";Mode=ReadOnly") : new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public long Count(string sql)
    {
        using var connection = OpenReader();
        return Count(connection, sql);
    }

    public static long Count(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command.ExecuteScalar() is { } scalar and not DBNull ? Convert.ToInt64(scalar, CultureInfo.InvariantCulture) : 0;
    }

    public string? Text(string sql)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    /// <summary>Bytes the database takes on disk (the SQLite file and its log, or the PostgreSQL database).</summary>
    public long SizeBytes() => IsSqlite
        ? new[] { File!, File + "-wal" }.Where(System.IO.File.Exists).Sum(f => new FileInfo(f).Length)
        : Count("SELECT pg_database_size(current_database())");
}
