using System.Data.Common;
using Dapper;

namespace CollectionWorker.Store;

/// <summary>
/// The random id this installation's store was given when it was created (store_info.store_id, migration 0008): part of
/// every Message-Id and written into every review sheet, so a sheet from another data directory or
/// campaign is recognised as foreign.
/// </summary>
public sealed class InstallationIdentity(Database database)
{
    private string? _id;

    public async Task<string> IdAsync(CancellationToken ct = default)
    {
        if (_id is not null) return _id;
        await using var c = await database.OpenAsync(ct);
        return _id = await IdAsync(c, null);
    }

    public static async Task<string> IdAsync(DbConnection connection, DbTransaction? transaction) =>
        await connection.ExecuteScalarAsync<string?>("SELECT store_id FROM store_info WHERE id = 1", transaction: transaction)
        ?? throw new InvalidOperationException("the store has no installation id (migration 0008 did not run)");
}
