using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace CollectionWorker.Store.Postgres;

/// <summary>
/// A PostgreSQL connection that speaks to the stages as their SQLite connection does: every command's
/// text is rewritten by <see cref="SqliteToPostgres"/>, boolean parameters are sent as 0/1 (SQLite has no
/// boolean; the columns are integers), and results come back with SQLite's types (any integer or boolean
/// as Int64, any floating point as Double), so the same Dapper mappings read both stores.
/// </summary>
public sealed class PostgresStoreConnection(NpgsqlConnection inner) : DbConnection
{
    public NpgsqlConnection Inner { get; } = inner;

    [AllowNull]
    public override string ConnectionString { get => Inner.ConnectionString; set => Inner.ConnectionString = value; }
    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => Inner.State;
    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);
    public override void Close() => Inner.Close();
    public override void Open() => Inner.Open();
    public override Task OpenAsync(CancellationToken cancellationToken) => Inner.OpenAsync(cancellationToken);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        new Transaction(this, Inner.BeginTransaction(isolationLevel));

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        new Transaction(this, await Inner.BeginTransactionAsync(isolationLevel, cancellationToken));

    protected override DbCommand CreateDbCommand() => new Command(this, Inner.CreateCommand());

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync();
        await base.DisposeAsync();
    }

    internal sealed class Transaction(PostgresStoreConnection connection, NpgsqlTransaction inner) : DbTransaction
    {
        public NpgsqlTransaction Inner { get; } = inner;
        protected override DbConnection DbConnection => connection;
        public override IsolationLevel IsolationLevel => Inner.IsolationLevel;
        public override void Commit() => Inner.Commit();
        public override Task CommitAsync(CancellationToken cancellationToken = default) => Inner.CommitAsync(cancellationToken);
        public override void Rollback() => Inner.Rollback();
        public override Task RollbackAsync(CancellationToken cancellationToken = default) => Inner.RollbackAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing) Inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => Inner.DisposeAsync();
    }

    internal sealed class Command(PostgresStoreConnection connection, NpgsqlCommand inner) : DbCommand
    {
        private string _text = "";
        private DbTransaction? _transaction;

        [AllowNull]
        public override string CommandText { get => _text; set => _text = value ?? ""; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => false; set { } }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        protected override DbConnection? DbConnection { get => connection; set => throw new NotSupportedException("A store command stays on its connection."); }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => _transaction;
            set
            {
                _transaction = value;
                inner.Transaction = value switch
                {
                    null => null,
                    Transaction t => t.Inner,
                    NpgsqlTransaction n => n,
                    _ => throw new ArgumentException($"Not a PostgreSQL transaction: {value.GetType().Name}"),
                };
            }
        }

        public override void Cancel() => inner.Cancel();
        public override void Prepare() { Ready(); inner.Prepare(); }
        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        /// <summary>Rewrites the text and the boolean parameters just before the command goes out.</summary>
        private void Ready()
        {
            inner.CommandText = CommandType == CommandType.Text ? SqliteToPostgres.Translate(_text) : _text;
            // Only PRAGMAs (SQLite's settings): nothing to do here, and no rows to read.
            if (string.IsNullOrWhiteSpace(inner.CommandText.Replace(";", ""))) inner.CommandText = "SELECT NULL WHERE false";
            // A parameter the rewriting left unused (an empty list's placeholder) is not sent.
            for (var i = inner.Parameters.Count - 1; i >= 0; i--)
                if (inner.Parameters[i].Value is DBNull && !inner.CommandText.Contains(inner.Parameters[i].ParameterName.TrimStart('@', ':'), StringComparison.Ordinal))
                    inner.Parameters.RemoveAt(i);
            foreach (NpgsqlParameter p in inner.Parameters)
                if (p.Value is bool b)
                {
                    p.DbType = DbType.Int64;
                    p.Value = b ? 1L : 0L;
                }
        }

        public override int ExecuteNonQuery() { Ready(); return inner.ExecuteNonQuery(); }
        public override object? ExecuteScalar() { Ready(); return SqliteTypes.Value(inner.ExecuteScalar()); }
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) { Ready(); return new Reader(inner.ExecuteReader(behavior)); }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) { Ready(); return inner.ExecuteNonQueryAsync(cancellationToken); }

        public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            Ready();
            return SqliteTypes.Value(await inner.ExecuteScalarAsync(cancellationToken));
        }

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            Ready();
            return new Reader(await inner.ExecuteReaderAsync(behavior, cancellationToken));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>The result types SQLite gives: Int64 for every integer and boolean, Double for every floating point.</summary>
    internal static class SqliteTypes
    {
        public static Type Of(Type type) =>
            type == typeof(int) || type == typeof(short) || type == typeof(bool) || type == typeof(byte) ? typeof(long)
            : type == typeof(float) ? typeof(double)
            : type;

        public static object? Value(object? value) => value switch
        {
            int i => (long)i,
            short s => (long)s,
            byte b => (long)b,
            bool b => b ? 1L : 0L,
            float f => (double)f,
            _ => value,
        };
    }

    internal sealed class Reader(NpgsqlDataReader inner) : DbDataReader
    {
        public override int Depth => inner.Depth;
        public override int FieldCount => inner.FieldCount;
        public override bool HasRows => inner.HasRows;
        public override bool IsClosed => inner.IsClosed;
        public override int RecordsAffected => inner.RecordsAffected;
        public override object this[int ordinal] => GetValue(ordinal);
        public override object this[string name] => GetValue(GetOrdinal(name));
        public override bool GetBoolean(int ordinal) => Convert.ToBoolean(GetValue(ordinal));
        public override byte GetByte(int ordinal) => Convert.ToByte(GetValue(ordinal));
        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
        public override char GetChar(int ordinal) => inner.GetChar(ordinal);
        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
        public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
        public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);
        public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal));
        public override double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal));
        public override IEnumerator GetEnumerator() => new DbEnumerator(this);
        public override Type GetFieldType(int ordinal) => SqliteTypes.Of(inner.GetFieldType(ordinal));
        public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal));
        public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);
        public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal));
        public override int GetInt32(int ordinal) => Convert.ToInt32(GetValue(ordinal));
        public override long GetInt64(int ordinal) => Convert.ToInt64(GetValue(ordinal));
        public override string GetName(int ordinal) => inner.GetName(ordinal);
        public override int GetOrdinal(string name) => inner.GetOrdinal(name);
        public override string GetString(int ordinal) => inner.GetString(ordinal);
        public override object GetValue(int ordinal) => SqliteTypes.Value(inner.GetValue(ordinal))!;

        public override int GetValues(object[] values)
        {
            var n = Math.Min(values.Length, FieldCount);
            for (var i = 0; i < n; i++) values[i] = GetValue(i);
            return n;
        }

        public override T GetFieldValue<T>(int ordinal) => (T)Convert.ChangeType(GetValue(ordinal), Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
        public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);
        public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);
        public override bool NextResult() => inner.NextResult();
        public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => inner.NextResultAsync(cancellationToken);
        public override bool Read() => inner.Read();
        public override Task<bool> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);
        public override void Close() => inner.Close();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
