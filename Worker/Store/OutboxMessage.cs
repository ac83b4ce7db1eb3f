namespace CollectionWorker.Store;

/// <summary>
/// One e-mail to send: which template, to whom, with what data, under which idempotency key
/// (the same key is never enqueued twice).
/// </summary>
public sealed record OutboxMessage(string IdempotencyKey, string Template, string Recipient, string RecipientName, object Data);
