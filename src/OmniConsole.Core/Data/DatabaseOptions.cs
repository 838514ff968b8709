namespace OmniConsole.Core.Data;

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>The <c>Database</c> section: which provider, with <c>ConnectionStrings:OmniConsole</c>.</summary>
public class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "OmniConsole";
    public const string DefaultSqliteConnection = "Data Source=omniconsole.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
