using MimeKit;
using MimeKit.IO;

namespace CollectionWorker.Notifications;

/// <summary>
/// The embedded default: each message becomes an .eml file in data/mail/ (CRLF line endings, as mail
/// programs expect). Written to a temporary name and renamed, so a half-written file is never seen;
/// named by Message-Id, so a resend after a crash replaces the same file instead of adding another.
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

    /// <summary>From the Message-Id alone (not the time), so every attempt of one message has one name.</summary>
    public static string FileNameFor(MimeMessage message) =>
        new string((message.MessageId ?? "").Where(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.').ToArray()) + ".eml";
}
