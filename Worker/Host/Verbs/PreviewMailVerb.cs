using CollectionWorker.Notifications;
using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>
/// preview-mail TEMPLATE [--teacher NAME]: renders one e-mail as it would be sent, into
/// data/mail/preview/ (an .eml with its attachments, and the HTML alone), without sending anything.
/// With --teacher the teacher's real classes are used; without, made-up sample students.
/// </summary>
public sealed class PreviewMailVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var template = commandLine.Arguments[0];
        if (!MailTemplates.Names.Contains(template))
            throw new InputRejectedException($"'{template}' is not an e-mail template; choose one of: {string.Join(", ", MailTemplates.Names)}.");
        var services = host.Services;
        var teacherName = commandLine.Get("--teacher");
        var (email, name) = ("teacher@example.edu.cn", "王老师");
        long? submission = null;
        if (teacherName is not null)
        {
            var students = await services.GetRequiredService<ProgressReport>().StudentsAsync(ct: ct);
            var mine = students.Where(s => s.TeacherName == teacherName && s.Status != StudentStatus.NotEligible).ToList();
            if (mine.Count == 0)
                throw new InputRejectedException($"--teacher {teacherName}: no teacher of that name has eligible students in the store.");
            (email, name) = (mine[0].TeacherEmail, teacherName);
            submission = mine.FirstOrDefault(s => s.SubmissionId is not null)?.SubmissionId;
        }

        var paths = services.GetRequiredService<DataPaths>();
        var folder = Path.Combine(paths.Mail, "preview");
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, teacherName is null ? template : $"{template}-{teacherName}");

        string html;
        if (teacherName is null || (!MailModelBuilder.TeacherTemplates.Contains(template) && submission is null && template != "admin-report"))
        {
            // Sample data: shows the layout even before a roster is imported.
            var rendered = await services.GetRequiredService<MailTemplates>().RenderAsync(template, services.GetRequiredService<MailModelBuilder>().Sample(template));
            html = $"<!-- Subject: {SampleLabel.Subject} {rendered.Subject} -->\n{SampleLabel.Banner}\n{rendered.Html}";
            await File.WriteAllTextAsync(stem + ".html", html, ct);
            await stdout.WriteLineAsync(stem + ".html");
            return Cli.Ok;
        }

        var data = System.Text.Json.JsonSerializer.Serialize(new { submission_id = submission, preview = true });
        var row = new OutboxRow(0, $"preview:{template}:{email}", template, email, name, data, 
            Outbox.MessageIdFor($"preview:{template}:{email}", await services.GetRequiredService<InstallationIdentity>().IdAsync(ct),
                services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmtpOptions>>().Value.From), 0);
        var message = await services.GetRequiredService<MailComposer>().ComposeAsync(row, ct);
        await message.WriteToAsync(stem + ".eml", ct);
        await File.WriteAllTextAsync(stem + ".html", message.HtmlBody ?? "", ct);
        await stdout.WriteLineAsync(stem + ".eml");
        await stdout.WriteLineAsync(stem + ".html");
        return Cli.Ok;
    }
}
