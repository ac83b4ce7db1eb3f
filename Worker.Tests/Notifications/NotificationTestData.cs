using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Tests.Notifications;

/// <summary>Two teachers: A (wang) with two classes, B (li) with one; some students with uploads.</summary>
public static class NotificationTestData
{
    public const string TeacherA = "wang@example.edu.cn";
    public const string TeacherB = "li@example.edu.cn";

    public static async Task ImportAsync(TestHost host, int perClass = 4, Func<TestStudent, TestStudent>? edit = null)
    {
        var students = new List<TestStudent>();
        var i = 1;
        foreach (var (cls, teacher, email) in new[] { ("20级计算机1班", "王伟", TeacherA), ("20级计算机2班", "王伟", TeacherA), ("20级会计1班", "李娜", TeacherB) })
            for (var k = 0; k < perClass; k++) students.Add(TestStudent.Make(i++, cls, teacher, email));
        if (edit is not null) students = students.Select(edit).ToList();
        var result = await host.RunAsync("import-roster", RosterBuilder.Write(host.File($"roster-{Guid.NewGuid():N}.xlsx"), students));
        Assert.True(result.Exit == 0, result.Err);
    }

    /// <summary>Gives a student a submission in the given state (the intake stage is tested elsewhere).</summary>
    public static async Task<long> SubmitAsync(TestHost host, string studentNumber, SubmissionState state, string? reasons = null,
        DateTimeOffset? deadline = null)
    {
        await using var c = await host.OpenStoreAsync();
        return await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at,
                                     resubmit_deadline, reasons_zh, reasons_en)
            SELECT id, 1, @hash, 'photo.jpg', 30000, @now, 'in_window', @state, @now, @deadline, @reasons, @reasons
            FROM students WHERE student_number = @studentNumber
            RETURNING id
            """,
            new
            {
                studentNumber, hash = Guid.NewGuid().ToString("N"), now = UtcTimestamp.ToText(DateTimeOffset.UtcNow.AddHours(-3)),
                state = SubmissionStates.ToText(state), reasons, deadline = deadline is { } d ? UtcTimestamp.ToText(d) : null,
            });
    }

    public static async Task EnqueueAsync(IHost host, params OutboxMessage[] messages)
    {
        var db = host.Services.GetRequiredService<Database>();
        var outbox = host.Services.GetRequiredService<Outbox>();
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        foreach (var m in messages) await outbox.EnqueueAsync(c, tx, m);
        await tx.CommitAsync();
    }

    /// <summary>
    /// Settings whose claims expire after 5 s: on PostgreSQL a node killed mid-send leaves its row claimed for
    /// Storage:ClaimTimeout (2 min by default) before another run sends it; the kill tests should not wait that long.
    /// </summary>
    public static string ShortClaims(string json) => """{ "Storage": { "ClaimTimeout": "00:00:05" }, """ + json.TrimStart()[1..];

    public static OutboxSender Sender(IHost host) => ActivatorUtilities.CreateInstance<OutboxSender>(host.Services);

    public static string SmtpConfig(int port, string extra = "") =>
        $$"""{ "Smtp": { "Host": "127.0.0.1", "Port": {{port}}, "Security": "None" }, "Notifications": { "RetryDelay": "00:00:00.05" {{extra}} } }""";
}
