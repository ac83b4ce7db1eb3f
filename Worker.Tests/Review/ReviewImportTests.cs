using CollectionWorker.Review;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static CollectionWorker.Review.ReviewSheetLayout;

namespace CollectionWorker.Tests.Review;

public class ReviewImportTests
{
    [Fact]
    public async Task Every_row_case_is_applied_or_reported_and_the_receipt_lists_them_all()
    {
        using var world = await ReviewWorld.CreateAsync(students: 14);
        var ids = new Dictionary<int, long>();
        for (var i = 1; i <= 11; i++) ids[i] = (await world.SubmitAsync(i, hoursAgo: 20 - i)).Id;
        for (var i = 12; i <= 14; i++) ids[i] = (await world.SubmitAsync(i, "rejected", hoursAgo: 10)).Id;
        var sheet = await world.ExportAsync();

        // After the export: student 9 uploads again, student 14's automatic rejection expires.
        var (newer9, _) = await world.SubmitAsync(9, shade: 5);
        await using (var c = await world.OpenAsync())
            await c.ExecuteAsync("UPDATE submissions SET state = 'expired' WHERE id = @id", new { id = ids[14] });

        var filled = world.Fill(sheet, "filled.xlsx", "张师傅", wb =>
            {
                var ws = wb.Sheet(PendingSheet);
                ws.SetText(ReviewWorld.RowOf(ws, ReviewWorld.Number(10)), ReviewWorld.Column(ws, Sha256), new string('0', 64));
                ws.SetText(ReviewWorld.RowOf(ws, ReviewWorld.Number(11)), ReviewWorld.Column(ws, SubmissionKey), "S-99999");
            },
            (PendingSheet, 1, "通过", "", ""),
            (PendingSheet, 2, "不通过", "佩戴眼镜 glasses", ""),
            (PendingSheet, 3, "", "", ""),
            (PendingSheet, 4, "也许", "", ""),
            (PendingSheet, 5, "不通过", "", "看不清"),
            (PendingSheet, 6, "不通过", "其他 other", ""),
            (PendingSheet, 7, "不通过", "glasses；背景不符合要求", "=请换白底"),
            (PendingSheet, 8, "不通过", "太丑", ""),
            (PendingSheet, 9, "通过", "", ""),
            (PendingSheet, 10, "通过", "", ""),
            (PendingSheet, 11, "通过", "", ""),
            (AutoRejectedSheet, 12, "通过", "", "背景其实合格"),
            (AutoRejectedSheet, 13, "不通过", "", ""),
            (AutoRejectedSheet, 14, "通过", "", ""));

        var result = await world.Host.RunAsync("import-review", filled);

        Assert.Equal(1, result.Exit); // rows need attention; the good ones are applied all the same
        var receiptFile = result.Out.Trim();
        Assert.StartsWith(Path.Combine(world.Host.DataDirectory, "review", "processed"), receiptFile);
        var receipt = ReviewWorld.Receipt(receiptFile);
        string Code(int i) => receipt[ReviewWorld.Number(i)].Code;
        Assert.Equal("approved", Code(1));
        Assert.Equal("rejected", Code(2));
        Assert.Equal("blank", Code(3));
        Assert.Equal("unknown-decision", Code(4));
        Assert.Equal("missing-reason", Code(5));
        Assert.Equal("missing-reason", Code(6));
        Assert.Equal("rejected", Code(7));
        Assert.Equal("unknown-reason", Code(8));
        Assert.Equal("stale", Code(9));
        Assert.Equal("tampered", Code(10));
        Assert.Equal("unknown-key", Code(11));
        Assert.Equal("overturned", Code(12));
        Assert.Equal("confirmed", Code(13));
        Assert.Equal("not-reviewable", Code(14));
        Assert.Contains("太丑", receipt[ReviewWorld.Number(8)].Message);
        Assert.Contains("filled.xlsx by 张师傅: 14 rows: 1 approved, 2 rejected, 1 overturned, 1 confirmed, 1 blank (still pending), 0 already decided, 1 stale, 0 conflicts, 7 errors", result.Err);

        // Statuses.
        Assert.Equal(("approved", "张师傅"), await StateAndBy(world, ids[1]));
        Assert.Equal(("rejected", "张师傅"), await StateAndBy(world, ids[2]));
        foreach (var i in new[] { 3, 4, 5, 6, 8, 10, 11 }) Assert.Equal("awaiting_review", (await world.SubmissionAsync(ids[i])).State);
        Assert.Equal("superseded", (await world.SubmissionAsync(ids[9])).State);
        Assert.Equal("awaiting_review", (await world.SubmissionAsync(newer9)).State);
        Assert.Equal(("approved", "张师傅"), await StateAndBy(world, ids[12]));
        Assert.Equal(("rejected", "inspection"), await StateAndBy(world, ids[13]));
        Assert.Equal("expired", (await world.SubmissionAsync(ids[14])).State);

        // Reasons in words, the note included; a note that looks like a formula is just text.
        var seven = await world.SubmissionAsync(ids[7]);
        Assert.Equal("佩戴眼镜；背景不符合要求；备注：=请换白底", seven.ReasonsZh);
        Assert.Equal("佩戴眼镜", (await world.SubmissionAsync(ids[2])).ReasonsZh);

        // Deadlines: a studio rejection starts the 48 h resubmission clock and meets the review SLA.
        var two = await world.SubmissionAsync(ids[2]);
        var due = UtcTimestamp.Parse(two.Deadline!);
        Assert.InRange(due - DateTimeOffset.UtcNow, TimeSpan.FromHours(47.9), TimeSpan.FromHours(48));
        Assert.Equal([("resubmission", "pending", null), ("review_sla_escalation", "cancelled", "reviewed"), ("review_sla_warning", "cancelled", "reviewed")],
            await world.DeadlinesAsync(ids[2]));
        Assert.All(await world.DeadlinesAsync(ids[1]), d => Assert.Equal(("cancelled", "reviewed"), (d.State, d.Outcome)));
        Assert.All(await world.DeadlinesAsync(ids[3]), d => Assert.Equal("pending", d.State));
        // The overturned rejection's resubmission clock stops; the confirmed one keeps running.
        Assert.Equal([("resubmission", "cancelled", "overturned by the studio")], await world.DeadlinesAsync(ids[12]));
        Assert.Null((await world.SubmissionAsync(ids[12])).Deadline);
        Assert.Null((await world.SubmissionAsync(ids[12])).ReasonsZh);
        Assert.Equal([("resubmission", "pending", null)], await world.DeadlinesAsync(ids[13]));

        // Outbox: a rejection notice for the teacher of each studio rejection, nothing else.
        await using (var c = await world.OpenAsync())
        {
            var notices = (await c.QueryAsync<(string Key, string Recipient)>(
                "SELECT idempotency_key, recipient FROM outbox WHERE template = 'rejection-notice' ORDER BY idempotency_key")).ToList();
            Assert.Equal(new[] { $"rejected:{ids[2]}:teacher", $"rejected:{ids[7]}:teacher" }.Order(StringComparer.Ordinal), notices.Select(n => n.Key));
            Assert.All(notices, n => Assert.Equal(ReviewWorld.TeacherEmail, n.Recipient));
        }

        // Audit: one row per filled row with the reviewer as actor, none for the blank row, and one for the import.
        var audit = await world.AuditAsync("review ");
        Assert.Equal(13, audit.Count(a => a.Action != "review sheet imported" && a.Action != "review sheet exported"));
        Assert.All(audit.Where(a => a.Action != "review sheet exported"), a => Assert.Equal("张师傅", a.Actor));
        Assert.Contains(audit, a => a.Action == "review approved" && a.Subject == $"submission:{ids[1]}" && a.Detail.Contains("\"file\":\"filled.xlsx\""));
        Assert.Contains(audit, a => a.Action == "review tampered" && a.Subject == $"submission:{ids[10]}");
        Assert.Contains(audit, a => a.Action == "review unknown-key" && a.Subject.StartsWith("review-import:"));
        Assert.Contains(audit, a => a.Action == "review overturned" && a.Subject == $"submission:{ids[12]}");
        Assert.DoesNotContain(audit, a => a.Subject == $"submission:{ids[3]}");
        Assert.Single(audit, a => a.Action == "review sheet imported");

        // The original stays where it was (import-review copies it) and a copy sits beside the receipt.
        Assert.True(File.Exists(filled));
        Assert.Single(Directory.GetFiles(Path.Combine(world.Host.DataDirectory, "review", "processed"), "*_filled.xlsx"));
    }

    [Fact]
    public async Task The_studio_cannot_approve_a_photo_that_is_not_a_480x640_colour_JPEG()
    {
        using var world = await ReviewWorld.CreateAsync(students: 4);
        var (png, _) = await world.SubmitAsync(1, "rejected", photo: CollectionWorker.Tests.Export.HardStandardPhotos.Png());
        var (gray, _) = await world.SubmitAsync(2, photo: CollectionWorker.Tests.Export.HardStandardPhotos.GrayscaleJpeg());
        var (small, _) = await world.SubmitAsync(3, photo: CollectionWorker.Tests.Export.HardStandardPhotos.SmallJpeg());
        var (fine, _) = await world.SubmitAsync(4, "rejected");
        await using (var c = await world.OpenAsync())
            await c.ExecuteAsync(
                """
                INSERT INTO findings (submission_id, code, severity, value, limit_text, message_zh, message_en) VALUES
                  (@png, 'FILE_NOT_JPEG', 'reject', 'PNG content', 'JPEG', '文件内容不是 JPG', 'not a JPEG by content'),
                  (@fine, 'BG_COLOR', 'reject', 'ΔE 16.5', '≤ 15', '背景颜色不符合要求', 'background colour')
                """, new { png, fine });
        var sheet = await world.ExportAsync();
        {
            // The sheet already tells the studio which automatic rejection cannot be overturned.
            var auto = WorkbookView.Open(sheet).Sheet(AutoRejectedSheet);
            Assert.StartsWith("不可改判", auto.Text(ReviewWorld.RowOf(auto, ReviewWorld.Number(1)), 10));
            Assert.DoesNotContain("不可改判", auto.Text(ReviewWorld.RowOf(auto, ReviewWorld.Number(4)), 10));
        }
        var filled = world.Fill(sheet, "filled.xlsx", "张师傅",
            (AutoRejectedSheet, 1, "通过", "", "PNG 也行"),
            (PendingSheet, 2, "通过", "", ""),
            (PendingSheet, 3, "不通过", "头像位置或大小不符 position / size", ""),
            (AutoRejectedSheet, 4, "通过", "", "背景其实合格"));

        var result = await world.Host.RunAsync("import-review", filled);

        Assert.Equal(1, result.Exit);
        var receipt = ReviewWorld.Receipt(result.Out.Trim());
        Assert.Equal("below-standard", receipt[ReviewWorld.Number(1)].Code);
        Assert.Contains("硬性标准", receipt[ReviewWorld.Number(1)].Message);
        Assert.Contains("PNG content", receipt[ReviewWorld.Number(1)].Message);
        Assert.Contains("480x640 colour JPEG", receipt[ReviewWorld.Number(1)].Message);
        Assert.Equal("below-standard", receipt[ReviewWorld.Number(2)].Code);
        Assert.Contains("grayscale", receipt[ReviewWorld.Number(2)].Message);
        Assert.Equal("rejected", receipt[ReviewWorld.Number(3)].Code); // rejecting is always allowed
        Assert.Equal("overturned", receipt[ReviewWorld.Number(4)].Code); // a judgement call the studio may overturn
        Assert.Equal(("rejected", "inspection"), await StateAndBy(world, png));
        Assert.Equal("awaiting_review", (await world.SubmissionAsync(gray)).State);
        Assert.Equal("rejected", (await world.SubmissionAsync(small)).State);
        Assert.Equal("approved", (await world.SubmissionAsync(fine)).State);
        Assert.Contains("below-standard", result.Err);
    }

    [Fact]
    public async Task A_sheet_exported_by_another_data_directory_is_refused_with_a_receipt()
    {
        // Two installations with the same roster and the same photos: keys and hashes coincide, only the identity differs.
        using var here = await ReviewWorld.CreateAsync(students: 3);
        using var elsewhere = await ReviewWorld.CreateAsync(students: 3);
        var (ours, _) = await here.SubmitAsync(1);
        await elsewhere.SubmitAsync(1);
        var foreignSheet = await elsewhere.ExportAsync();
        await here.ExportAsync();
        var filled = elsewhere.Fill(foreignSheet, "foreign.xlsx", "张师傅", (PendingSheet, 1, "通过", "", ""));

        var result = await here.Host.RunAsync("import-review", filled);

        Assert.Equal(1, result.Exit);
        Assert.Contains("exported by another installation or campaign", result.Err);
        Assert.Equal("awaiting_review", (await here.SubmissionAsync(ours)).State);
        {
            var text = WorkbookView.Open(result.Out.Trim()).Sheet(1).Text(4, 2);
            Assert.Contains("另一个安装或另一期采集", text);
            Assert.Contains("no row was applied", text);
        }
        Assert.Empty(await here.AuditAsync("review approved"));

        // The same sheet dropped into the inbox: refused the same way, moved aside with its receipt.
        File.Copy(filled, Path.Combine(here.Host.DataDirectory, "review", "inbox", "foreign.xlsx"));
        await ActivatorUtilities.CreateInstance<ReviewInboxWatcher>(here.Services.Services).ScanOnceAsync(CancellationToken.None);
        Assert.Empty(Directory.GetFiles(Path.Combine(here.Host.DataDirectory, "review", "inbox")));
        Assert.Equal("awaiting_review", (await here.SubmissionAsync(ours)).State);
    }

    [Fact]
    public async Task A_sheet_from_before_identities_is_accepted_only_when_this_store_exported_exactly_those_rows()
    {
        using var world = await ReviewWorld.CreateAsync(students: 3);
        var (one, _) = await world.SubmitAsync(1);
        var sheet = await world.ExportAsync();
        void Old(WorkbookEditor wb)
        {
            wb.Sheet(ListsSheet).Clear(InstallationCell);
            wb.DeleteCustomProperty(InstallationProperty);
        }
        var old = world.Fill(sheet, "old.xlsx", "张师傅", Old, (PendingSheet, 1, "通过", "", ""));
        var result = await world.Host.RunAsync("import-review", old);
        Assert.True(result.Exit == 0, result.Err);
        Assert.Equal("approved", (await world.SubmissionAsync(one)).State);

        var (two, _) = await world.SubmitAsync(2);
        var grafted = world.Fill(sheet, "grafted.xlsx", "张师傅", wb =>
        {
            Old(wb);
            var ws = wb.Sheet(PendingSheet);
            var row = ReviewWorld.RowOf(ws, ReviewWorld.Number(1));
            ws.SetText(row, ReviewWorld.Column(ws, SubmissionKey), $"S-{two}"); // a row the store never put on this sheet
        });
        var refused = await world.Host.RunAsync("import-review", grafted);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("carries no installation id", refused.Err);
        Assert.Equal("awaiting_review", (await world.SubmissionAsync(two)).State);
    }

    [Fact]
    public async Task The_receipt_is_mailed_to_the_studio_once_and_rows_left_pending_go_out_again_on_a_new_sheet()
    {
        using var world = await ReviewWorld.CreateAsync(students: 4);
        var ids = new List<long>();
        for (var i = 1; i <= 4; i++) ids.Add((await world.SubmitAsync(i, hoursAgo: 10 - i)).Id);
        var sheet = await world.ExportAsync();
        var inbox = Path.Combine(world.Host.DataDirectory, "review", "inbox");
        File.Move(world.Fill(sheet, "returned.xlsx", "张师傅",
                (PendingSheet, 1, "通过", "", ""),
                (PendingSheet, 2, "也许", "", ""),          // an error: stays pending
                (PendingSheet, 3, "不通过", "佩戴眼镜 glasses", "")),
            Path.Combine(inbox, "returned.xlsx"));           // student 4 left blank

        var watcher = ActivatorUtilities.CreateInstance<ReviewInboxWatcher>(world.Services.Services);
        await watcher.ScanOnceAsync(CancellationToken.None);

        await using (var c = await world.OpenAsync())
        {
            var receipts = (await c.QueryAsync<(string Key, string Recipient, string Data)>(
                "SELECT idempotency_key, recipient, data FROM outbox WHERE template = 'review-receipt'")).ToList();
            var receipt = Assert.Single(receipts);
            Assert.Equal(ReviewWorld.StudioEmail, receipt.Recipient);
            Assert.Contains("\"attention_count\":1", receipt.Data);
            Assert.Contains(ReviewWorld.Number(2), receipt.Data);
            // The new sheet lists exactly what is still pending, and is mailed too.
            var sheets = (await c.QueryAsync<long>("SELECT id FROM review_sheets ORDER BY id")).ToList();
            Assert.Equal(2, sheets.Count);
            var again = (await c.QueryAsync<long>("SELECT submission_id FROM review_sheet_rows WHERE sheet_id = @id AND part = 'pending' ORDER BY submission_id",
                new { id = sheets[1] })).ToList();
            Assert.Equal([ids[1], ids[3]], again);
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE idempotency_key = @k", new { k = $"review-sheet:{sheets[1]}:studio" }));
        }

        // The e-mail carries the receipt workbook and names the row to fix.
        await NotificationsSender(world).SendDueAsync(CancellationToken.None);
        var eml = Directory.GetFiles(Path.Combine(world.Host.DataDirectory, "mail"), "*review-receipt*.eml");
        var message = await MimeKit.MimeMessage.LoadAsync(Assert.Single(eml));
        Assert.Contains("returned.xlsx", message.Subject);
        Assert.Contains("1 行需要处理", message.Subject);
        Assert.EndsWith(".receipt.xlsx", Assert.Single(message.Attachments.OfType<MimeKit.MimePart>()).FileName);
        Assert.Contains(ReviewWorld.Number(2), message.TextBody);

        // Nothing new: another scan sends neither a receipt nor a sheet.
        await watcher.ScanOnceAsync(CancellationToken.None);
        await using (var c = await world.OpenAsync())
        {
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE template = 'review-receipt'"));
            Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM review_sheets"));
        }
    }

    private static CollectionWorker.Notifications.OutboxSender NotificationsSender(ReviewWorld world) =>
        ActivatorUtilities.CreateInstance<CollectionWorker.Notifications.OutboxSender>(world.Services.Services);

    private static async Task<(string, string?)> StateAndBy(ReviewWorld world, long id)
    {
        var s = await world.SubmissionAsync(id);
        return (s.State, s.DecidedBy);
    }

    [Fact]
    public async Task A_sheet_edited_and_imported_again_applies_only_what_is_new_and_keeps_the_first_decision()
    {
        using var world = await ReviewWorld.CreateAsync();
        var a = (await world.SubmitAsync(1)).Id;
        var b = (await world.SubmitAsync(2)).Id;
        var c3 = (await world.SubmitAsync(3)).Id;
        var sheet = await world.ExportAsync();
        var first = world.Fill(sheet, "round1.xlsx", "张师傅", (PendingSheet, 1, "通过", "", ""), (PendingSheet, 3, "通过", "", ""));
        var one = await world.Host.RunAsync("import-review", first);
        Assert.True(one.Exit == 0, one.Err);

        // The reviewer reopens the same file: row 1 as it was, row 2 now filled, row 3 changed.
        var second = world.Fill(first, "round2.xlsx", "张师傅", (PendingSheet, 2, "不通过", "照片过暗 too dark", ""), (PendingSheet, 3, "不通过", "佩戴眼镜", ""));
        var two = await world.Host.RunAsync("import-review", second);

        Assert.Equal(1, two.Exit); // the conflict needs attention
        var receipt = ReviewWorld.Receipt(two.Out.Trim());
        Assert.Equal("already-decided", receipt[ReviewWorld.Number(1)].Code);
        Assert.Equal("rejected", receipt[ReviewWorld.Number(2)].Code);
        Assert.Equal("conflict", receipt[ReviewWorld.Number(3)].Code);
        Assert.Contains("round1.xlsx", receipt[ReviewWorld.Number(3)].Message);
        Assert.Equal("approved", (await world.SubmissionAsync(a)).State);
        Assert.Equal("rejected", (await world.SubmissionAsync(b)).State);
        Assert.Equal("approved", (await world.SubmissionAsync(c3)).State); // the first decision stands
        Assert.DoesNotContain(await world.DeadlinesAsync(c3), d => d.Kind == "resubmission");
        Assert.Contains("conflict", two.Err);

        // A third import of the same file changes nothing.
        var three = await world.Host.RunAsync("import-review", second);
        var again = ReviewWorld.Receipt(three.Out.Trim());
        Assert.Equal("already-decided", again[ReviewWorld.Number(2)].Code);
        await using var db = await world.OpenAsync();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE template = 'rejection-notice'"));
        Assert.Equal(3, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM review_decisions"));
    }

    [Fact]
    public async Task Two_reviewers_deciding_the_same_row_the_first_stands_and_the_second_is_told()
    {
        using var world = await ReviewWorld.CreateAsync();
        var one = (await world.SubmitAsync(1)).Id;
        var two = (await world.SubmitAsync(2)).Id;
        var three = (await world.SubmitAsync(3)).Id;
        var sheet = await world.ExportAsync();
        var zhang = world.Fill(sheet, "zhang.xlsx", "张师傅", (PendingSheet, 1, "通过", "", ""), (PendingSheet, 2, "不通过", "背景不符合要求", ""));
        // 李 does not write a name: the file name identifies the reviewer.
        var li = world.Fill(sheet, "li-review.xlsx", null,
            (PendingSheet, 1, "不通过", "佩戴眼镜", ""), (PendingSheet, 2, "不通过", "佩戴眼镜", ""), (PendingSheet, 3, "通过", "", ""));

        Assert.Equal(0, (await world.Host.RunAsync("import-review", zhang)).Exit);
        var second = await world.Host.RunAsync("import-review", li);

        var receipt = ReviewWorld.Receipt(second.Out.Trim());
        Assert.Equal("conflict", receipt[ReviewWorld.Number(1)].Code);
        Assert.Contains("张师傅", receipt[ReviewWorld.Number(1)].Message);
        Assert.Equal("already-decided", receipt[ReviewWorld.Number(2)].Code);
        Assert.Equal("approved", receipt[ReviewWorld.Number(3)].Code);
        Assert.Equal(("approved", "张师傅"), await StateAndBy(world, one));
        var rejected = await world.SubmissionAsync(two);
        Assert.Equal(("rejected", "张师傅", "背景不符合要求"), (rejected.State, rejected.DecidedBy, rejected.ReasonsZh));
        Assert.Equal(("approved", "图片社 studio (li-review.xlsx)"), await StateAndBy(world, three));
        var audit = await world.AuditAsync("review ");
        Assert.Contains(audit, x => x.Action == "review conflict" && x.Actor == "图片社 studio (li-review.xlsx)" && x.Subject == $"submission:{one}");
        Assert.Contains(audit, x => x.Action == "review approved" && x.Actor == "张师傅" && x.Subject == $"submission:{one}");
    }

    [Fact]
    public async Task A_sheet_dropped_into_the_inbox_is_imported_and_moved_with_its_receipt_and_a_broken_file_is_set_aside()
    {
        using var world = await ReviewWorld.CreateAsync();
        var one = (await world.SubmitAsync(1)).Id;
        var sheet = await world.ExportAsync();
        var inbox = Path.Combine(world.Host.DataDirectory, "review", "inbox");
        var processed = Path.Combine(world.Host.DataDirectory, "review", "processed");
        File.Move(world.Fill(sheet, "dropped.xlsx", "张师傅", (PendingSheet, 1, "通过", "", "")), Path.Combine(inbox, "dropped.xlsx"));
        await File.WriteAllTextAsync(Path.Combine(inbox, "broken.xlsx"), "not a workbook");
        await File.WriteAllTextAsync(Path.Combine(inbox, "~$dropped.xlsx"), "Excel's lock file");
        await File.WriteAllTextAsync(Path.Combine(inbox, "saved-as.ods"), "an OpenDocument spreadsheet");

        var watcher = ActivatorUtilities.CreateInstance<ReviewInboxWatcher>(world.Services.Services);
        await watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Equal(("approved", "张师傅"), await StateAndBy(world, one));
        Assert.Equal(["~$dropped.xlsx"], Directory.GetFiles(inbox).Select(f => Path.GetFileName(f)).ToArray());
        var names = Directory.GetFiles(processed).Select(Path.GetFileName).ToList();
        Assert.Contains(names, n => n!.EndsWith("_dropped.xlsx"));
        Assert.Contains(names, n => n!.EndsWith("_dropped.receipt.xlsx"));
        Assert.Contains(names, n => n!.EndsWith("_broken.xlsx"));
        Assert.Contains(names, n => n!.EndsWith("_saved-as.ods"));
        Assert.Contains(names, n => n!.EndsWith("_saved-as.receipt.xlsx"));
        var brokenReceipt = Path.Combine(processed, names.Single(n => n!.EndsWith("_broken.receipt.xlsx"))!);
        Assert.Contains("cannot be opened", WorkbookView.Open(brokenReceipt).Sheet(1).Text(4, 2));
    }

    [Fact]
    public async Task Import_review_refuses_a_workbook_that_is_not_a_review_sheet()
    {
        using var world = await ReviewWorld.CreateAsync();
        var other = world.Host.File("roster-like.xlsx");
        using (var wb = WorkbookEditor.Create(other))
            wb.AddSheet("名单").SetText(1, 1, "姓名");
        var result = await world.Host.RunAsync("import-review", other);
        Assert.Equal(1, result.Exit);
        Assert.Contains("has no review sheet", result.Err);
        Assert.Equal(2, (await world.Host.RunAsync("import-review")).Exit);
    }
}
