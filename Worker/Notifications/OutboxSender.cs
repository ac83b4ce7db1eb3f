using CollectionWorker.Store;
using Dapper;
using MimeKit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>
/// Delivers the outbox. Each message is marked 'sending' (and its attempt counted) before it goes and
/// 'sent' right after, so a restart knows what was in flight: such a message is sent again with the
/// same Message-Id (mail programs show one message), never as a new one. Temporary failures are
/// retried with a doubling delay; permanent ones (5xx, bad address, a template that cannot render)
/// are marked failed and listed in the admin report.
/// </summary>
public sealed class OutboxSender(
    Database database,
    MailComposer composer,
    MailTransportFactory transports,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<OutboxSender> logger) : CollectionWorker.Host.PollingService(time, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Period => options.Value.SendEvery;
    protected override string RoundName => "Sending the outbox";

    protected override Task PollAsync(CancellationToken ct) => SendRoundAsync(ct);

    /// <summary>
    /// One round: batch after batch while full batches go out. A batch cut short because the server
    /// is unreachable ends the round, so a mail server that is down costs one connection attempt per
    /// round, not one per waiting message.
    /// </summary>
    public async Task SendRoundAsync(CancellationToken ct)
    {
        SendBatch batch;
        do batch = await SendDueAsync(ct);
        while (batch.Taken == BatchSize && !batch.ServerUnreachable);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Mail goes to {Transport}", transports.Describe);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>What one batch did: how many rows it took up, and whether it stopped because the server was unreachable.</summary>
    public readonly record struct SendBatch(int Taken, bool ServerUnreachable);

    /// <summary>Sends what is due now, up to one batch.</summary>
    public async Task<SendBatch> SendDueAsync(CancellationToken ct)
    {
        List<OutboxRow> due;
        await using (var c = await database.OpenAsync(ct))
        {
            due = (await c.QueryAsync<DueRow>(
                """
                SELECT id, idempotency_key, template, recipient, recipient_name, data, message_id, attempts, created_at
                FROM outbox WHERE state IN ('pending', 'sending') AND next_attempt_at <= @now ORDER BY id LIMIT @BatchSize
                """, new { now = UtcTimestamp.ToText(time.GetUtcNow()), BatchSize }))
                .Select(r => new OutboxRow(r.id, r.idempotency_key, r.template, r.recipient, r.recipient_name, r.data, r.message_id, r.attempts)
                {
                    QueuedAt = UtcTimestamp.Parse(r.created_at),
                }).ToList();
        }
        if (due.Count == 0) return new SendBatch(0, false);

        var transport = transports.Create();
        var unreachable = false;
        try
        {
            foreach (var row in due)
            {
                if (await SendOneAsync(transport, row, ct)) continue;
                unreachable = true; // the rest wait for the next round
                break;
            }
        }
        finally
        {
            try { await transport.CloseAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogDebug(e, "Closing the mail transport failed"); }
            (transport as IDisposable)?.Dispose();
        }
        return new SendBatch(due.Count, unreachable);
    }

    private async Task<bool> SendOneAsync(IMailTransport transport, OutboxRow row, CancellationToken ct)
    {
        if (!await ClaimAsync(row.Id, ct)) return true; // another node sharing the store is sending it
        MimeMessage message;
        try
        {
            message = await composer.ComposeAsync(row, ct);
        }
        catch (Exception e) when (e is TemplateRenderException or InvalidOperationException or ParseException or FormatException)
        {
            await MarkAsync(row.Id, "failed", e.Message, null, ct);
            logger.LogError("Mail {Key} to {Recipient} cannot be composed: {Error}", row.IdempotencyKey, row.Recipient, e.Message);
            return true;
        }

        try
        {
            await transport.SendAsync(message, ct);
        }
        catch (PermanentMailException e)
        {
            await MarkAsync(row.Id, "failed", e.Message, null, ct);
            logger.LogWarning("Mail {Key} to {Recipient} refused for good: {Error}", row.IdempotencyKey, row.Recipient, e.Message);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var attempts = row.Attempts + 1;
            if (attempts >= options.Value.MaxAttempts)
            {
                await MarkAsync(row.Id, "failed", $"gave up after {attempts} attempts: {e.Message}", null, ct);
                logger.LogWarning("Mail {Key} to {Recipient} given up after {Attempts} attempts: {Error}", row.IdempotencyKey, row.Recipient, attempts, e.Message);
                return false;
            }
            var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, options.Value.RetryDelay.Ticks << (int)Math.Min(attempts - 1, 20)));
            await MarkAsync(row.Id, "pending", e.Message, time.GetUtcNow() + delay, ct);
            logger.LogWarning("Mail {Key} to {Recipient} not sent ({Error}); retry in {Delay}", row.IdempotencyKey, row.Recipient, e.Message, delay);
            return false;
        }
        await using (var c = await database.OpenAsync(ct))
            await c.ExecuteAsync("UPDATE outbox SET state = 'sent', sent_at = @now, last_error = NULL WHERE id = @Id",
                new { row.Id, now = UtcTimestamp.ToText(time.GetUtcNow()) });
        logger.LogInformation("Mail {Key} ({Template}) sent to {Recipient}", row.IdempotencyKey, row.Template, row.Recipient);
        return true;
    }

    /// <summary>
    /// Marks the row as being sent, only if it is still due: the row itself is the claim. On a store several
    /// nodes share, its next attempt moves Storage:ClaimTimeout ahead, so no other node sends it meanwhile; a
    /// node killed mid-send leaves the row 'sending', and another node sends it (same Message-Id) once that
    /// time has passed. With one node (SQLite) it stays due at once, so a restart resends it straight away.
    /// </summary>
    private async Task<bool> ClaimAsync(long id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = database.IsShared ? now + database.ClaimTimeout : now;
        await using var c = await database.OpenAsync(ct);
        return await c.ExecuteAsync(
            """
            UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = @until
            WHERE id = @id AND state IN ('pending', 'sending') AND next_attempt_at <= @now
            """, new { id, now = UtcTimestamp.ToText(now), until = UtcTimestamp.ToText(until) }) == 1;
    }

    private async Task MarkAsync(long id, string state, string error, DateTimeOffset? nextAttempt, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(
            "UPDATE outbox SET state = @state, last_error = @error, next_attempt_at = coalesce(@next, next_attempt_at) WHERE id = @id",
            new { id, state, error, next = nextAttempt is { } n ? UtcTimestamp.ToText(n) : null });
    }

    /// <summary>Settable properties so Dapper maps by name whatever types SQLite reports.</summary>
    private sealed class DueRow
    {
        public long id { get; set; }
        public string idempotency_key { get; set; } = "";
        public string template { get; set; } = "";
        public string recipient { get; set; } = "";
        public string recipient_name { get; set; } = "";
        public string data { get; set; } = "";
        public string message_id { get; set; } = "";
        public long attempts { get; set; }
        public string created_at { get; set; } = "";
    }
}
