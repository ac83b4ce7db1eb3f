using System.Data;
using Dapper;

namespace CollectionWorker.Store;

/// <summary>The store's own identity row (migration 0008): when it was created, and its random id.</summary>
public static class StoreInfo
{
    public static async Task<DateTimeOffset> CreatedAtAsync(IDbConnection connection, IDbTransaction? tx = null) =>
        UtcTimestamp.Parse(await connection.ExecuteScalarAsync<string>("SELECT created_at FROM store_info WHERE id = 1", transaction: tx)
                           ?? throw new InvalidOperationException("the store has no store_info row"));
}
