namespace OmniConsole.Core.Data;

/// <summary>Names in SQL the bulk writers build themselves (tables, columns, indexes).</summary>
public static class SqlNames
{
    /// <summary>A name in double quotes, as SQLite, PostgreSQL and SQL Server (QUOTED_IDENTIFIER) all read it, case kept.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
