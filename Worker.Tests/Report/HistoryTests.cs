using CollectionWorker.Sheets;
using System.Text.Json;
using CollectionWorker.Review;
using CollectionWorker.Roster;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Dapper;

namespace CollectionWorker.Tests.Report;

/// <summary><c>history STUDENT</c>: one student's timeline, in campaign time, with ID numbers masked except the one typed.</summary>
public class HistoryTests
{
    [Fact]
    public async Task A_student_rejected_by_the_studio_shows_upload_inspection_decision_deadline_and_mail_in_campaign_time()
    {
        using var world = await ReviewWorld.CreateAsync(students: 3);
        var (id, sha) = await world.SubmitAsync(2, hoursAgo: 20);
        await using (var c = await world.OpenAsync())
            await c.ExecuteAsync("UPDATE submissions SET evidence_file = @file WHERE id = @id", new { file = Path.Combine("evidence", $"{id}.png"), id });
        var sheet = await world.ExportAsync();
        var filled = world.Fill(sheet, "filled.xlsx", "张师傅", (ReviewSheetLayout.PendingSheet, 2, "不通过", "佩戴眼镜", "请摘下眼镜重拍"));
        Assert.Equal(0, (await world.Host.RunAsync("import-review", filled)).Exit);
        var student = TestStudent.Make(2);

        var text = await world.Host.RunAsync("history", student.StudentNumber);
        Assert.True(text.Exit == 0, text.Err);
        var o = text.Out;
        Assert.Contains(student.Name, o);
        Assert.Contains("未通过，待重新上传", o);
        Assert.Contains("名单导入：新增", o);
        Assert.Contains("第 1 次上传：photo.jpg", o);
        Assert.Contains(world.Get<CollectionWorker.Store.DataPaths>().ArchiveFileFor(sha), o);
        Assert.Contains("HEAD_TOP (review): 46 px, 要求 limit 50–110 px", o);
        Assert.Contains($"标注图 evidence: {Path.Combine(world.Host.DataDirectory, "evidence", $"{id}.png")}", o);
        Assert.Contains("图片社审核：不通过（张师傅）：佩戴眼镜", o);
        Assert.Contains("studio: rejected (张师傅): glasses", o);
        Assert.Contains("备注 note: 请摘下眼镜重拍", o);
        Assert.Contains("截止时间：重新上传截止", o);
        Assert.Contains("邮件「rejection-notice」→ " + ReviewWorld.TeacherEmail, o);
        Assert.Contains("Asia/Shanghai", o);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d \+08:00  第 1 次上传", o);

        // Typed by student number, the ID number is masked; typed by ID number, it is shown as typed.
        Assert.DoesNotContain(student.NationalId, o);
        Assert.Contains(NationalId.Mask(student.NationalId), o);
        var byId = await world.Host.RunAsync("history", student.NationalId);
        Assert.True(byId.Exit == 0, byId.Err);
        Assert.Contains(student.NationalId, byId.Out);
        Assert.Equal(o.Replace(NationalId.Mask(student.NationalId), student.NationalId), byId.Out);

        // Events in time order; upload before inspection before the studio's decision.
        var json = await world.Host.RunAsync("history", student.StudentNumber, "--json");
        Assert.True(json.Exit == 0, json.Err);
        Assert.DoesNotContain(student.NationalId, json.Out);
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal("Asia/Shanghai", root.GetProperty("time_zone").GetString());
        Assert.Equal("rejected, resubmission pending", root.GetProperty("student").GetProperty("status").GetString());
        var events = root.GetProperty("events").EnumerateArray().ToList();
        var times = events.Select(e => DateTimeOffset.Parse(e.GetProperty("at").GetString()!)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(events, e => Assert.EndsWith("+08:00", e.GetProperty("at").GetString()));
        var kinds = events.Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.True(kinds.IndexOf("upload") < kinds.IndexOf("inspection") && kinds.IndexOf("inspection") < kinds.IndexOf("decision"), string.Join(",", kinds));
        Assert.Contains("mail", kinds);
        Assert.Contains("roster", kinds);
        var decision = events.Single(e => e.GetProperty("kind").GetString() == "decision").GetProperty("details");
        Assert.Equal("张师傅", decision.GetProperty("reviewer").GetString());
        Assert.Equal("佩戴眼镜；备注：请摘下眼镜重拍", decision.GetProperty("reasons_zh").GetString());
        var resubmission = events.First(e => e.GetProperty("kind").GetString() == "deadline"
                                             && e.GetProperty("details").GetProperty("kind").GetString() == "resubmission");
        Assert.EndsWith("+08:00", resubmission.GetProperty("details").GetProperty("due_at").GetString());
        var inspection = events.Single(e => e.GetProperty("kind").GetString() == "inspection").GetProperty("details");
        Assert.Equal("HEAD_TOP", inspection.GetProperty("findings")[0].GetProperty("code").GetString());
    }

    [Fact]
    public void Other_students_ID_numbers_in_the_output_are_masked_too()
    {
        // Exported files may be named by ID number: the typed student's shows in full, nobody else's ever does.
        var other = TestStudent.Make(3).NationalId;
        Assert.Equal($"file {NationalId.Mask(other)}.jpg and 2020000001", CollectionWorker.Host.Verbs.HistoryVerb.Mask($"file {other}.jpg and 2020000001", "2020000001"));
        Assert.Equal($"{other} x", CollectionWorker.Host.Verbs.HistoryVerb.Mask($"{other} x", other.ToLowerInvariant()));
    }

    [Fact]
    public async Task An_unknown_student_is_refused_with_a_clear_message_and_a_student_without_uploads_has_the_roster_only()
    {
        using var world = await ReviewWorld.CreateAsync(students: 2);
        var unknown = await world.Host.RunAsync("history", "9999999");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("history 9999999：没有该学号或身份证号的学生 (no student with that student number or ID number)", unknown.Err);
        Assert.Equal(2, (await world.Host.RunAsync("history")).Exit);

        var quiet = await world.Host.RunAsync("history", TestStudent.Make(1).StudentNumber, "--json");
        Assert.True(quiet.Exit == 0, quiet.Err);
        var root = JsonDocument.Parse(quiet.Out).RootElement;
        Assert.Equal("missing", root.GetProperty("student").GetProperty("status").GetString());
        Assert.Equal(["roster"], root.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToArray());
    }

    [Fact]
    public async Task Roster_changes_name_the_fields_that_changed_and_a_student_dropped_from_the_roster_says_so()
    {
        using var world = await ReviewWorld.CreateAsync(students: 2);
        var renamed = TestStudent.Make(1, email: ReviewWorld.TeacherEmail) with { Name = "新名字", Major = "软件技术" };
        var import = await world.Host.RunAsync("import-roster", RosterBuilder.Write(world.Host.File("roster2.xlsx"), [renamed]));
        Assert.True(import.Exit == 0, import.Err);

        var one = await world.Host.RunAsync("history", renamed.StudentNumber);
        Assert.Contains("新名字", one.Out);
        Assert.Contains("名单更新：name, major（roster2.xlsx）", one.Out);
        Assert.Contains("roster: changed name, major (roster2.xlsx)", one.Out);
        var two = await world.Host.RunAsync("history", TestStudent.Make(2).StudentNumber);
        Assert.Contains("不在最新名单中（roster2.xlsx）", two.Out);
        Assert.Contains("不在最新名单中 not in the latest roster", two.Out);
    }

    [Fact]
    public async Task After_the_real_inspection_the_history_shows_its_time_findings_evidence_image_deadline_and_notice()
    {
        using var host = new TestHost();
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("r.xlsx"), [TestStudent.Make(1)]))).Exit);
        var jpeg = PortraitGenerator.Jpeg(new PortraitSpec { Background = new CollectionWorker.Inspection.Rgb(200, 40, 40) });
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg));
        var archived = Path.Combine(host.DataDirectory, "archive", sha[..2], sha + ".jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(archived)!);
        await File.WriteAllBytesAsync(archived, jpeg);
        await using (var c = await host.OpenStoreAsync())
            await c.ExecuteAsync(
                """
                INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at)
                SELECT id, 1, @sha, 'IMG_0001.jpg', @size, '2022-05-06T02:00:00.000Z', 'in_window', 'awaiting_inspection', '2022-05-06T02:00:00.000Z'
                FROM students WHERE student_number = @number
                """, new { sha, size = jpeg.Length, number = TestStudent.Make(1).StudentNumber });
        using (var app = await host.BuildAsync())
        {
            var stage = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<CollectionWorker.Inspection.InspectionStage>(app.Services);
            Assert.Equal(1, await stage.InspectPendingAsync(10, CancellationToken.None));
        }

        var json = await host.RunAsync("history", TestStudent.Make(1).StudentNumber, "--json");
        Assert.True(json.Exit == 0, json.Err);
        var events = JsonDocument.Parse(json.Out).RootElement.GetProperty("events").EnumerateArray().ToList();
        var upload = events.Single(e => e.GetProperty("kind").GetString() == "upload");
        Assert.Equal("2022-05-06T10:00:00+08:00", upload.GetProperty("at").GetString());
        Assert.Equal(archived, upload.GetProperty("details").GetProperty("archived_at").GetString());
        var inspection = events.Single(e => e.GetProperty("kind").GetString() == "inspection");
        // Inspected now, years after the upload: the audit's time, not the upload's.
        Assert.True(DateTimeOffset.Parse(inspection.GetProperty("at").GetString()!) > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.StartsWith("自动检测：不合格，已退回：", inspection.GetProperty("zh").GetString());
        Assert.Contains(inspection.GetProperty("details").GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "BG_COLOR");
        var evidence = inspection.GetProperty("details").GetProperty("evidence_image").GetString()!;
        Assert.True(File.Exists(evidence), evidence);
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "deadline" && e.GetProperty("zh").GetString() == "截止时间：重新上传截止");
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "mail" && e.GetProperty("details").GetProperty("template").GetString() == "rejection-notice");
    }
}
