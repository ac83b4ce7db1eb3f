using System.Data.Common;

namespace CollectionWorker.Store;

/// <summary>
/// Adds an e-mail to the outbox inside the caller's transaction, so the notice commits with the change
/// that caused it or not at all. The stages and the ledger ask through this; Notifications writes the
/// row (with its Message-Id) and sends it.
/// </summary>
public interface IOutbox
{
    /// <summary>Adds the message unless its key is already there; true when it was added.</summary>
    Task<bool> EnqueueAsync(DbConnection connection, DbTransaction transaction, OutboxMessage message);
}
