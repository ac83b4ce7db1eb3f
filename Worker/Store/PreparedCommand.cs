using System.Data;
using System.Data.Common;

namespace CollectionWorker.Store;

/// <summary>
/// One statement run many times inside one transaction (a roster import's thousands of rows): the command
/// and its parameters are made and prepared once, and each run only sets the values, so no SQL is parsed
/// and no parameter objects or mappings are made per row. Plain ADO.NET: the same on SQLite and PostgreSQL
/// (whose connection rewrites the text once, <see cref="Postgres.PostgresStoreConnection"/>).
/// </summary>
public sealed class PreparedCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    /// <param name="parameters">Each parameter as written in the SQL (without its @) and its type; values are given in this order.</param>
    public PreparedCommand(DbConnection connection, DbTransaction transaction, string sql, params (string Name, DbType Type)[] parameters)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new DbParameter[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = _command.CreateParameter();
            // With its prefix: SQLite finds it by this exact name, without trying the others first.
            p.ParameterName = "@" + parameters[i].Name;
            p.DbType = parameters[i].Type;
            p.Value = DBNull.Value;
            _command.Parameters.Add(p);
            _parameters[i] = p;
        }
        _command.Prepare();
    }

    /// <summary>Runs the statement with these values (null is SQL NULL), one per parameter, in their order.</summary>
    public Task<int> RunAsync(CancellationToken ct, params ReadOnlySpan<object?> values)
    {
        if (values.Length != _parameters.Length)
            throw new ArgumentException($"{values.Length} values for {_parameters.Length} parameters", nameof(values));
        for (var i = 0; i < values.Length; i++) _parameters[i].Value = values[i] ?? DBNull.Value;
        return _command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
