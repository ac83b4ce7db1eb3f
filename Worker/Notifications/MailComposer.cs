using MimeKit;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>One outbox row as the sender reads it.</summary>
public sealed record OutboxRow(long Id, string IdempotencyKey, string Template, string Recipient, string RecipientName, string Data,
    string MessageId, long Attempts)
{
    /// <summary>When the notice was queued (the .eml file's name carries it, so every attempt has one name).</summary>
    public DateTimeOffset? QueuedAt { get; init; }
}

/// <summary>
/// Turns an outbox row into a MIME message: rendered template, a plain-text alternative with aligned
/// tables, attachments, stable Message-Id. Every part is base64 (no raw 8-bit UTF-8 crosses a mail
/// server that might mangle it); the subject and names are RFC 2047-encoded by MimeKit.
/// </summary>
public sealed class MailComposer(MailTemplates templates, MailModelBuilder models, IOptions<SmtpOptions> smtp, CollectionWorker.Campaign.CampaignClock clock,
    TimeProvider time)
{
    public const string TemplateHeader = "X-CollectionWorker-Template";
    public const string QueuedHeader = "X-CollectionWorker-Queued";

    public async Task<MimeMessage> ComposeAsync(OutboxRow row, CancellationToken ct = default)
    {
        var model = await models.BuildAsync(row.Template, row.Recipient, row.RecipientName, row.Data, ct);
        var mail = await templates.RenderAsync(row.Template, model.Values);

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From));
        message.To.Add(new MailboxAddress(row.RecipientName, row.Recipient));
        message.Subject = mail.Subject;
        // The same Message-Id on every attempt: a resend after a crash is recognisably the same message.
        message.MessageId = row.MessageId;
        message.Date = time.GetUtcNow();
        message.Headers.Add("X-CollectionWorker-Key", row.IdempotencyKey);
        message.Headers.Add(TemplateHeader, row.Template);
        message.Headers.Add(QueuedHeader, clock.ToLocal(row.QueuedAt ?? time.GetUtcNow()).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));

        var body = new BodyBuilder { HtmlBody = mail.Html, TextBody = PlainTextBody.FromHtml(mail.Html) };
        foreach (var a in model.Attachments)
        {
            if (a.ContentId is null)
            {
                body.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
                continue;
            }
            // Shown in the body where the template puts <img src="cid:…">; still named, so it can be saved.
            var inline = body.LinkedResources.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
            inline.ContentId = a.ContentId;
        }
        message.Body = body.ToMessageBody();
        foreach (var part in message.BodyParts.OfType<MimePart>())
            part.ContentTransferEncoding = ContentEncoding.Base64;
        return message;
    }
}
