using System.Data.Common;
using OmniConsole.Core.Data;

namespace OmniConsole.Data.Sqlite;

/// <summary>
/// One parameterised INSERT for a table, prepared once and executed per row on an open connection and transaction:
/// SQLite parses it once instead of once per row, which is what makes bulk writes fast.
/// </summary>
internal sealed class PreparedInsert : IDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    public TableMapping Table { get; }

    /// <param name="returningKey">true to read back the key the database generates (the table's "Id" column)</param>
    public PreparedInsert(DbConnection connection, DbTransaction? transaction, TableMapping table, bool returningKey = false)
    {
        Table = table;
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _parameters = new DbParameter[table.Columns.Count];
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = _command.CreateParameter();
            _parameters[i].ParameterName = $"$p{i}";
            _command.Parameters.Add(_parameters[i]);
        }
        _command.CommandText = $"INSERT INTO {SqlNames.Quote(table.Table)} ({string.Join(", ", table.Columns.Select(SqlNames.Quote))}) " +
                               $"VALUES ({string.Join(", ", _parameters.Select(p => p.ParameterName))})" +
                               (returningKey ? " RETURNING \"Id\"" : "");
        _command.Prepare();
    }

    public DbTransaction? Transaction
    {
        get => _command.Transaction;
        set => _command.Transaction = value;
    }

    public void Insert(object[] values)
    {
        for (var i = 0; i < _parameters.Length; i++) _parameters[i].Value = values[i];
        _command.ExecuteNonQuery();
    }

    public long InsertReturningKey(object[] values)
    {
        for (var i = 0; i < _parameters.Length; i++) _parameters[i].Value = values[i];
        return Convert.ToInt64(_command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _command.Dispose();
}
