using CollectionWorker.Notifications;
using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>
/// preview-mail TEMPLATE [--teacher NAME | --student NUMBER]: renders one e-mail as it would be sent, into
/// data/mail/preview/ (an .eml with its attachments, and the HTML alone), without sending anything.
/// With --teacher the teacher's real classes are used; with --student (the student-* e-mails) that
/// student's latest upload; without either, made-up sample students.
/// </summary>
public sealed class PreviewMailVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var template = commandLine.Arguments[0];
        if (!MailTemplates.Names.Contains(template))
            throw new InputRejectedException($"'{template}' is not an e-mail template; choose one of: {string.Join(", ", MailTemplates.Names)}.");
        var services = host.Services;
        if (commandLine.Get("--student") is { } studentNumber)
            return await PreviewForStudentAsync(services, template, studentNumber, stdout, ct);
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

        await WriteAsync(services, template, email, name, submission, stem, stdout, ct);
        return Cli.Ok;
    }

    /// <summary>A student-* e-mail as that student would get it about their latest upload (the address the roster gives, if any).</summary>
    private static async Task<int> PreviewForStudentAsync(IServiceProvider services, string template, string number, TextWriter stdout, CancellationToken ct)
    {
        if (!StudentNotices.Templates.Contains(template))
            throw new InputRejectedException($"--student goes with the e-mails to students: {string.Join(", ", StudentNotices.Templates)}.");
        var student = (await services.GetRequiredService<ProgressReport>().StudentsAsync(new StudentFilter(StudentNumber: number), ct)).SingleOrDefault()
            ?? throw new InputRejectedException($"--student {number}: no student with that number in the store.");
        if (student.SubmissionId is not { } submission)
            throw new InputRejectedException($"--student {number}: {student.Name} has not uploaded a photo yet; leave out --student to preview with sample data.");
        var folder = Path.Combine(services.GetRequiredService<DataPaths>().Mail, "preview");
        Directory.CreateDirectory(folder);
        // Without an address in the roster the student would get nothing; the preview still shows what they would read.
        var email = student.StudentEmail ?? "no-address-in-roster@invalid";
        await WriteAsync(services, template, email, student.Name, submission, Path.Combine(folder, $"{template}-{number}"), stdout, ct);
        return Cli.Ok;
    }

    private static async Task WriteAsync(IServiceProvider services, string template, string email, string name, long? submission, string stem,
        TextWriter stdout, CancellationToken ct)
    {
        var data = System.Text.Json.JsonSerializer.Serialize(new { submission_id = submission, preview = true });
        var row = new OutboxRow(0, $"preview:{template}:{email}", template, email, name, data,
            Outbox.MessageIdFor($"preview:{template}:{email}", await services.GetRequiredService<InstallationIdentity>().IdAsync(ct),
                services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmtpOptions>>().Value.From), 0);
        var message = await services.GetRequiredService<MailComposer>().ComposeAsync(row, ct);
        await message.WriteToAsync(stem + ".eml", ct);
        await File.WriteAllTextAsync(stem + ".html", message.HtmlBody ?? "", ct);
        await stdout.WriteLineAsync(stem + ".eml");
        await stdout.WriteLineAsync(stem + ".html");
    }
}
