using Microsoft.EntityFrameworkCore;
using Npgsql;
using OmniConsole.Core.Data;

namespace OmniConsole.Tests.Shared;

/// <summary>
/// Which database the tests run on, and a fresh empty, migrated database per test. SQLite by default (a real file in
/// the temp folder); PostgreSQL when <c>OMNICONSOLE_TEST_POSTGRES</c> holds a server's connection string (the test
/// command starts a throwaway cluster and sets it): each test then gets its own database, copied from a migrated
/// template, and dropped afterwards.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "OMNICONSOLE_TEST_POSTGRES";
    private const string Template = "omni_test_template";
    private static readonly string? Server = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;
    private static readonly Lazy<bool> TemplateReady = new(PrepareTemplate);

    public static DatabaseProvider Provider => Server is null ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSql;
    public static bool OnPostgreSql => Server is not null;

    /// <summary>A new database for one test: its connection string, migrated to the current model.</summary>
    public static string Create(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        if (Server is null) return $"Data Source={Path.Combine(Path.GetTempPath(), name + ".db")}";
        _ = TemplateReady.Value;
        var database = name.Replace('-', '_');
        using (var admin = new NpgsqlConnection(Admin()))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\" TEMPLATE {Template}", admin);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString;
    }

    /// <summary>A name for a database the app itself is to create (it does not exist yet).</summary>
    public static string NotYetCreated(string prefix) => Server is null
        ? $"Data Source={Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db")}"
        : new NpgsqlConnectionStringBuilder(Server) { Database = $"{prefix}_{Guid.NewGuid():N}".Replace('-', '_') }.ConnectionString;

    /// <summary>Removes the test's database (its files, or the server's database with whoever is still connected).</summary>
    public static void Drop(string connectionString)
    {
        if (Server is null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                try { if (File.Exists(path + suffix)) File.Delete(path + suffix); } catch (IOException) { }
            return;
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        using var admin = new NpgsqlConnection(Admin());
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{builder.Database}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }

    private static string Admin() => new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString;

    /// <summary>Migrates the template once per cluster (under an advisory lock: the test projects may start together).</summary>
    private static bool PrepareTemplate()
    {
        using var admin = new NpgsqlConnection(Admin());
        admin.Open();
        using (var locked = new NpgsqlCommand("SELECT pg_advisory_lock(7070)", admin)) locked.ExecuteNonQuery();
        try
        {
            using (var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Template}'", admin))
                if (exists.ExecuteScalar() is null)
                    using (var create = new NpgsqlCommand($"CREATE DATABASE {Template}", admin)) create.ExecuteNonQuery();
            var template = new NpgsqlConnectionStringBuilder(Server) { Database = Template, Pooling = false }.ConnectionString;
            using (var db = new OmniConsoleDbContext(DbContextOptionsSetup.Standalone(DatabaseProvider.PostgreSql, template)))
                db.Database.Migrate();
            return true;
        }
        finally
        {
            using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(7070)", admin);
            unlock.ExecuteNonQuery();
        }
    }
}

/// <summary>A test of SQLite's own mechanics (its log, its locks, its file): runs where the tests run on SQLite only.</summary>
public sealed class SqliteFactAttribute : Xunit.FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestDatabases.OnPostgreSql) Skip = "About SQLite's own mechanics; runs in the SQLite pass.";
    }
}

/// <summary>A test of PostgreSQL's own mechanics: runs in the PostgreSQL pass only.</summary>
public sealed class PostgreSqlFactAttribute : Xunit.FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (!TestDatabases.OnPostgreSql) Skip = "About PostgreSQL's own mechanics; runs in the PostgreSQL pass.";
    }
}

/// <summary>A theory about SQLite's own mechanics: runs in the SQLite pass only.</summary>
public sealed class SqliteTheoryAttribute : Xunit.TheoryAttribute
{
    public SqliteTheoryAttribute()
    {
        if (TestDatabases.OnPostgreSql) Skip = "About SQLite's own mechanics; runs in the SQLite pass.";
    }
}
