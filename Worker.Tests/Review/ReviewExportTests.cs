using CollectionWorker.Review;
using CollectionWorker.Tests.Support;
using Dapper;
using static CollectionWorker.Review.ReviewSheetLayout;

namespace CollectionWorker.Tests.Review;

public class ReviewExportTests
{
    [Fact]
    public async Task The_sheet_lists_pending_uploads_most_urgent_first_with_thumbnails_dropdowns_protection_and_hidden_keys()
    {
        // Student 3's name looks like a formula and student 4's number starts with a zero: both must stay text.
        using var world = await ReviewWorld.CreateAsync(edit: s => s.StudentNumber == ReviewWorld.Number(3) ? s with { Name = "=HYPERLINK(\"x\")" } : s);
        var (newer, _) = await world.SubmitAsync(1, hoursAgo: 2);
        var (older, olderSha) = await world.SubmitAsync(2, hoursAgo: 47.5);
        var (overdue, _) = await world.SubmitAsync(3, hoursAgo: 50, evidence: false);
        var (auto, _) = await world.SubmitAsync(5, "rejected", hoursAgo: 5);
        await world.SubmitAsync(6, "approved", hoursAgo: 5);
        await world.SubmitAsync(7, "rejected", hoursAgo: 60); // automatic rejection older than 48 h: not listed

        // Intake's flag (migration 0002): the same photo delivered for two students.
        await using (var db = await world.OpenAsync())
            await db.ExecuteAsync(
                """
                INSERT INTO submission_flags (submission_id, code, related_submission_id, message_zh, message_en, created_at)
                VALUES (@newer, 'SAME_PHOTO', @older, '与另一名学生的照片相同', 'same photo as another student', '2022-05-06T01:00:00.000Z')
                """, new { newer, older });

        var file = await world.ExportAsync();

        Assert.StartsWith(Path.Combine(world.Host.DataDirectory, "review", "outbox", "review-"), file);
        var wb = WorkbookView.Open(file);
        var ws = wb.Sheet(PendingSheet);
        Assert.Equal(SheetState.Hidden, wb.Sheet(ListsSheet).Visibility);

        // Most urgent (least time left) first.
        var numberColumn = ReviewWorld.Column(ws, StudentNumber);
        Assert.Equal([ReviewWorld.Number(3), ReviewWorld.Number(2), ReviewWorld.Number(1)],
            Enumerable.Range(FirstDataRow, 3).Select(r => ws.Text(r, numberColumn)).ToArray());
        Assert.True(ws.Cell(FirstDataRow + 3, numberColumn).IsEmpty);
        Assert.Equal(CellKind.Text, ws.Cell(FirstDataRow, numberColumn).Kind);
        Assert.Equal("=HYPERLINK(\"x\")", ws.Text(FirstDataRow, ReviewWorld.Column(ws, Name)));
        Assert.False(ws.Cell(FirstDataRow, ReviewWorld.Column(ws, Name)).HasFormula);
        Assert.True(ws.Cell(FirstDataRow, ReviewWorld.Column(ws, Name)).Style.QuotePrefix);

        // Hours left of the 48 h SLA; negative when overdue.
        var hours = ReviewWorld.Column(ws, "剩余小时 Hours left");
        Assert.Equal(CellKind.Number, ws.Cell(FirstDataRow, hours).Kind);
        Assert.InRange(ws.Cell(FirstDataRow, hours).Number!.Value, -2.2, -1.8);
        Assert.InRange(ws.Cell(FirstDataRow + 1, hours).Number!.Value, 0.3, 0.7);
        var flags = ReviewWorld.Column(ws, "检测提示 Flags");
        Assert.Contains("头顶距上边缘偏小（46 px；50–110 px） / head top close to the edge", ws.Text(FirstDataRow + 1, flags));
        Assert.Contains("与另一名学生的照片相同 / same photo as another student", ws.Text(FirstDataRow + 2, flags));

        // Thumbnails: photo and evidence per row; student 3 has no evidence image.
        var stored = Workbooks.Pictures(file, PendingSheet);
        var pictures = stored.Select(p => p.Name).ToHashSet();
        Assert.Contains($"photo-{overdue}", pictures);
        Assert.DoesNotContain($"evidence-{overdue}", pictures);
        Assert.Contains($"evidence-{older}", pictures);
        Assert.Equal(5, stored.Count);
        Assert.Equal(5 + Workbooks.Pictures(file, AutoRejectedSheet).Count, Workbooks.ImageParts(file)); // one image part per picture
        var thumb = stored.Single(p => p.Name == $"photo-{older}");
        Assert.Equal((FirstDataRow + 1, 1), (thumb.Row, thumb.Column));
        Assert.Equal(2, stored.Single(p => p.Name == $"evidence-{older}").Column);
        // A one-cell anchor (LibreOffice keeps it on re-saving), a JPEG at its own size, 120x160 at most.
        Assert.Equal("oneCellAnchor", thumb.Anchor);
        Assert.Equal("image/jpeg", thumb.ContentType);
        using (var decoded = SixLabors.ImageSharp.Image.Load(thumb.Image))
            Assert.Equal((decoded.Width, decoded.Height), (thumb.WidthPx, thumb.HeightPx));
        Assert.True(thumb.WidthPx <= 120 && thumb.HeightPx <= 160, $"{thumb.WidthPx}x{thumb.HeightPx}");
        Assert.True(thumb.Image.Length < 20_000);

        // Hidden key columns: the key and the photo's hash.
        var key = ReviewWorld.Column(ws, SubmissionKey);
        var sha = ReviewWorld.Column(ws, Sha256);
        Assert.True(ws.Column(key).Hidden && ws.Column(sha).Hidden);
        Assert.Equal(KeyFor(older), ws.Text(FirstDataRow + 1, key));
        Assert.Equal(olderSha, ws.Text(FirstDataRow + 1, sha));

        // Protected without a password; only the reviewer field and the three decision columns are editable.
        Assert.True(ws.Protection.IsProtected);
        Assert.False(ws.Protection.HasPassword);
        Assert.True(ws.Protection.AllowsAutoFilter);
        foreach (var header in new[] { Decision, Reasons, Note })
            Assert.False(ws.Cell(FirstDataRow, ReviewWorld.Column(ws, header)).Style.Locked, header);
        Assert.False(ws.Cell(ReviewerRow, 2).Style.Locked);
        foreach (var header in new[] { StudentNumber, Name, SubmissionKey, Sha256, "剩余小时 Hours left" })
            Assert.True(ws.Cell(FirstDataRow, ReviewWorld.Column(ws, header)).Style.Locked, header);

        // Dropdowns: the decision list and the configured reasons.
        var decision = ws.ValidationAt(FirstDataRow, ReviewWorld.Column(ws, Decision));
        Assert.NotNull(decision);
        Assert.Equal("list", decision.Type);
        Assert.Equal(["通过", "不通过"], decision.ListItems);
        var reasons = ws.ValidationAt(FirstDataRow + 2, ReviewWorld.Column(ws, Reasons));
        Assert.NotNull(reasons);
        Assert.Equal("list", reasons.Type);
        Assert.Contains(ListsSheet, reasons.Formula);
        var labels = wb.Sheet(ListsSheet).ColumnCells(1).Select(c => c.Text).ToList();
        Assert.Equal(ReviewOptions.NoticeReasons.Select(r => r.Label), labels);
        Assert.Contains("佩戴眼镜 glasses", labels);

        // Second sheet: the automatic rejection of the last 48 h, with its reasons.
        var autoSheet = wb.Sheet(AutoRejectedSheet);
        Assert.Equal(ReviewWorld.Number(5), autoSheet.Text(FirstDataRow, numberColumn));
        Assert.True(autoSheet.Cell(FirstDataRow + 1, numberColumn).IsEmpty);
        Assert.Contains("背景颜色不符合要求", autoSheet.Text(FirstDataRow, ReviewWorld.Column(autoSheet, "自动退回原因 Automatic reasons")));
        Assert.Equal(KeyFor(auto), autoSheet.Text(FirstDataRow, key));
        Assert.True(autoSheet.Protection.IsProtected);

        // The studio's e-mail is queued with the sheet's name; the export is in the audit log.
        await using var c = await world.OpenAsync();
        var mail = await c.QuerySingleAsync<(string Template, string Recipient, string Data)>("SELECT template, recipient, data FROM outbox WHERE template = 'review-sheet'");
        Assert.Equal(ReviewWorld.StudioEmail, mail.Recipient);
        Assert.Contains($"\"file\":\"{Path.GetFileName(file)}\"", mail.Data);
        Assert.Contains("\"pending\":3", mail.Data);
        Assert.Contains("\"overdue\":1", mail.Data);
        Assert.Single(await world.AuditAsync("review sheet exported"));
    }

    [Fact]
    public async Task The_review_sheet_email_attaches_the_sheet()
    {
        using var world = await ReviewWorld.CreateAsync();
        await world.SubmitAsync(1);
        var file = await world.ExportAsync();
        await using var c = await world.OpenAsync();
        var row = await c.QuerySingleAsync<CollectionWorker.Notifications.OutboxRow>(
            "SELECT id, idempotency_key AS IdempotencyKey, template, recipient, recipient_name AS RecipientName, data, message_id AS MessageId, attempts FROM outbox WHERE template = 'review-sheet'");

        var message = await world.Get<CollectionWorker.Notifications.MailComposer>().ComposeAsync(row);

        Assert.Contains("审核表", message.Subject);
        var attachment = Assert.Single(message.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal(Path.GetFileName(file), attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(await File.ReadAllBytesAsync(file), content.ToArray());
    }

    [Fact]
    public async Task Nothing_to_review_writes_no_sheet()
    {
        using var world = await ReviewWorld.CreateAsync();
        var result = await world.Host.RunAsync("export-review");
        Assert.Equal(0, result.Exit);
        Assert.Equal("", result.Out.Trim());
        Assert.Empty(Directory.GetFiles(Path.Combine(world.Host.DataDirectory, "review", "outbox")));
    }

    [Fact]
    public async Task The_schedule_exports_only_when_something_new_awaits_review()
    {
        using var world = await ReviewWorld.CreateAsync();
        var exporter = world.Get<ReviewSheetExporter>();
        Assert.Null(await exporter.ExportIfNewAsync());

        await world.SubmitAsync(1);
        var first = await exporter.ExportIfNewAsync();
        Assert.NotNull(first);
        Assert.Equal(1, first.Pending);
        Assert.Null(await exporter.ExportIfNewAsync()); // the same pending row is already in the latest sheet

        await world.SubmitAsync(2);
        var second = await exporter.ExportIfNewAsync();
        Assert.NotNull(second);
        Assert.Equal(2, second.Pending);
        Assert.NotEqual(first.File, second.File);
    }

    [Fact]
    public void Review_options_name_the_key_at_fault()
    {
        var validator = new ReviewOptionsValidator();
        Assert.True(validator.Validate(null, new ReviewOptions()).Succeeded);
        var bad = validator.Validate(null, new ReviewOptions
        {
            ExportEvery = TimeSpan.FromSeconds(5),
            Reasons = [new ReviewReason { Zh = "背景", En = "background" }, new ReviewReason { Zh = "背景", En = "again" }, new ReviewReason { Zh = "a;b", En = "c" }],
        });
        Assert.False(bad.Succeeded);
        Assert.Contains(bad.Failures!, f => f.StartsWith("Review:ExportEvery = 00:00:05"));
        Assert.Contains(bad.Failures!, f => f.StartsWith("Review:Reasons:1"));
        Assert.Contains(bad.Failures!, f => f.StartsWith("Review:Reasons:2"));
        Assert.Contains(validator.Validate(null, new ReviewOptions { Reasons = [] }).Failures!, f => f.StartsWith("Review:Reasons is empty"));
    }

    [Fact]
    public async Task Configured_reasons_fill_the_dropdown()
    {
        using var world = await ReviewWorld.CreateAsync(extraJson: """, "Reasons": [ { "Zh": "背景", "En": "background" }, { "Zh": "其他", "En": "other", "NeedsNote": true } ]""");
        await world.SubmitAsync(1);
        var wb = WorkbookView.Open(await world.ExportAsync());
        Assert.Equal(["背景 background", "其他 other"], wb.Sheet(ListsSheet).ColumnCells(1).Select(c => c.Text).ToArray());
    }
}
