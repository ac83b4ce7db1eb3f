using MimeKit;
using MimeKit.IO;

namespace CollectionWorker.Notifications;

/// <summary>
/// The embedded default: each message becomes an .eml file in data/mail/ (CRLF line endings, as mail
/// programs expect). Written to a temporary name and renamed, so a half-written file is never seen.
/// Named for what it is — when it was queued (campaign time), which e-mail, to whom, and the start of
/// its Message-Id — so an admin finds a teacher's digest by looking, and a resend after a crash
/// replaces the same file instead of adding another.
/// </summary>
public sealed class PickupFolderTransport(string folder) : IMailTransport
{
    public Task OpenAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        return Task.CompletedTask;
    }

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var name = FileNameFor(message);
        var final = Path.Combine(folder, name);
        var temp = Path.Combine(folder, "." + name + ".tmp");
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await message.WriteToAsync(format, stream, ct);
            await stream.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, final, overwrite: true);
    }

    public Task CloseAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// "20261209-0439_teacher-digest_wang@example.edu.cn_3f2a9c1b.eml": queued time (not the sending time,
    /// so every attempt of one message has one name), template, recipient and the Message-Id's first 8
    /// characters, in characters safe on Windows and Linux.
    /// </summary>
    public static string FileNameFor(MimeMessage message)
    {
        var queued = DateTimeOffset.TryParse(message.Headers[MailComposer.QueuedHeader], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var q) ? q.ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture) : "undated";
        var template = message.Headers[MailComposer.TemplateHeader] ?? "mail";
        var recipient = message.To.Mailboxes.FirstOrDefault()?.Address ?? "nobody";
        var id = (message.MessageId ?? "").Split('.', '@')[0];
        var name = $"{queued}_{Safe(template, 40)}_{Safe(recipient, 80)}_{Safe(id.Length > 8 ? id[..8] : id, 8)}";
        return name + ".eml";
    }

    private static string Safe(string text, int max)
    {
        var safe = new string(text.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' or '@' or '+' ? ch : '_').ToArray()).Trim('.');
        return safe.Length > max ? safe[..max] : safe;
    }
}
