using CollectionWorker.Store;
using Dapper;
using System.Data.Common;

namespace CollectionWorker.Payments;

/// <summary>A transaction as stored.</summary>
public sealed record StoredPayment(long Id, string TransactionId, string StudentNumber, string NationalId, long AmountFen, bool Refunded);

/// <summary>A student as payments are matched to them.</summary>
public sealed record PayingStudent(long Id, string StudentNumber, string NationalId, string Name, bool Eligible);

/// <summary>What one import writes: new transactions (some refunded at once) and refunds of stored ones.</summary>
public sealed record PaymentChanges(
    string FileName, string Sha256, string Encoding, string Actor, int Rows, int Unchanged, int Ignored,
    IReadOnlyList<(PaymentRecord Record, long? RefundFen, DateTimeOffset? RefundedAt)> Inserts,
    IReadOnlyList<(StoredPayment Stored, long RefundFen, DateTimeOffset RefundedAt)> Refunds);

/// <summary>The Payments stage's SQL: the only code that writes payment_imports and payments.</summary>
public sealed class PaymentRecords(Database database)
{
    public async Task<Dictionary<string, StoredPayment>> StoredAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Id, string TransactionId, string StudentNumber, string NationalId, long AmountFen, string? RefundedAt)>(
            "SELECT id, transaction_id, student_number, national_id, amount_fen, refunded_at FROM payments");
        return rows.ToDictionary(r => r.TransactionId, r => new StoredPayment(r.Id, r.TransactionId, r.StudentNumber, r.NationalId, r.AmountFen, r.RefundedAt is not null),
            StringComparer.Ordinal);
    }

    public async Task<List<PayingStudent>> StudentsAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<(long Id, string Number, string NationalId, string Name, long Eligible)>(
                "SELECT id, student_number, national_id, name, eligible FROM students"))
            .Select(s => new PayingStudent(s.Id, s.Number, s.NationalId, s.Name, s.Eligible == 1)).ToList();
    }

    /// <summary>Writes one import in one transaction: the import's row, its transactions, its refunds, and the audit.</summary>
    public async Task<long> WriteAsync(PaymentChanges changes, DateTimeOffset now, CancellationToken ct)
    {
        var at = UtcTimestamp.ToText(now);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
        var importId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO payment_imports (file_name, sha256, encoding, imported_at, actor, row_count, added, refunded, unchanged, ignored)
            VALUES (@FileName, @Sha256, @Encoding, @at, @Actor, @Rows, @added, @refunded, @Unchanged, @Ignored)
            RETURNING id
            """,
            new
            {
                changes.FileName, changes.Sha256, changes.Encoding, at, changes.Actor, changes.Rows, added = changes.Inserts.Count,
                refunded = changes.Refunds.Count + changes.Inserts.Count(i => i.RefundFen is not null), changes.Unchanged, changes.Ignored,
            }, tx);
        foreach (var (r, refundFen, refundedAt) in changes.Inserts)
            await connection.ExecuteAsync(
                """
                INSERT INTO payments (transaction_id, student_number, national_id, payer_name, amount_fen, paid_at, refunded_at, refund_fen, import_id, refund_import_id)
                VALUES (@TransactionId, @StudentNumber, @NationalId, @PayerName, @AmountFen, @paidAt, @refundedAt, @refundFen, @importId, @refundImport)
                """,
                new
                {
                    r.TransactionId, r.StudentNumber, r.NationalId, r.PayerName, r.AmountFen, paidAt = UtcTimestamp.ToText(r.At),
                    refundedAt = refundedAt is { } t ? UtcTimestamp.ToText(t) : null, refundFen, importId, refundImport = refundFen is null ? (long?)null : importId,
                }, tx);
        foreach (var (stored, refundFen, refundedAt) in changes.Refunds)
            await connection.ExecuteAsync(
                "UPDATE payments SET refunded_at = @at, refund_fen = @refundFen, refund_import_id = @importId WHERE id = @Id AND refunded_at IS NULL",
                new { at = UtcTimestamp.ToText(refundedAt), refundFen, importId, stored.Id }, tx);
        await AuditLog.WriteAsync(connection, tx, now, changes.Actor, "payments.imported", $"payments:{changes.FileName}",
            new { import_id = importId, added = changes.Inserts.Count, refunds = changes.Refunds.Count, changes.Unchanged, changes.Ignored, changes.Encoding });
        await tx.CommitAsync(ct);
        return importId;
    }
}
