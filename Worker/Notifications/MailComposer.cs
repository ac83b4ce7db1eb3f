using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>One outbox row as the sender reads it.</summary>
public sealed record OutboxRow(long Id, string IdempotencyKey, string Template, string Recipient, string RecipientName, string Data,
    string MessageId, long Attempts);

/// <summary>Turns an outbox row into a MIME message: rendered template, plain-text alternative, attachments, stable Message-Id.</summary>
public sealed partial class MailComposer(MailTemplates templates, MailModelBuilder models, IOptions<SmtpOptions> smtp, TimeProvider time)
{
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

        var body = new BodyBuilder { HtmlBody = mail.Html, TextBody = ToPlainText(mail.Html) };
        foreach (var a in model.Attachments)
            body.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>A readable text version of the HTML for mail programs that show text only.</summary>
    public static string ToPlainText(string html)
    {
        var text = LineBreaks().Replace(html, "\n");
        text = Tags().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        return BlankLines().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"<\s*(br|/p|/tr|/h\d|/li|/div)\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\n\s*\n\s*\n+")]
    private static partial Regex BlankLines();
}
