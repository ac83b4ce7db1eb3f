using CollectionWorker.Sheets;
using CollectionWorker.Campaign;
using static CollectionWorker.Review.ReviewSheetLayout;

namespace CollectionWorker.Review;

/// <summary>Thumbnails of one submission: the photo and the annotated evidence image (either may be missing).</summary>
public sealed record ReviewPictures(byte[]? Photo, byte[]? Evidence);

/// <summary>What one sheet shows, ready to write.</summary>
public sealed record ReviewSheetData(
    string Installation, long SheetId, DateTimeOffset ExportedAt, TimeSpan ReviewSla, IReadOnlyList<ReviewItem> Pending, IReadOnlyList<ReviewItem> AutoRejected,
    IReadOnlyDictionary<long, ReviewPictures> Pictures, IReadOnlyList<ReviewReason> Reasons);

/// <summary>
/// Writes the studio's review workbook: the pending sheet (most urgent first), the automatic
/// rejections the studio may overturn, and a hidden sheet with the dropdown lists. Only the
/// reviewer field and the three decision columns are editable; the key columns are hidden.
/// </summary>
public sealed class ReviewSheetWriter(CampaignClock clock)
{
    private const int PictureColumnWidth = 18;      // characters: fits 120 px plus margins
    private const double PictureRowHeight = 126;   // points: 168 px, a 160 px thumbnail plus margins
    private const int Columns = 15;
    private const int DecisionColumn = 11, ReasonsColumn = 12, NoteColumn = 13, KeyColumn = 14, ShaColumn = 15;

    private const string Editable = "#FFF2CC";
    private const string Overdue = "#F8CBAD";

    public void Write(ReviewSheetData data, Stream output)
    {
        var wb = new XlsxWorkbook();
        var lists = wb.AddSheet(ListsSheet);
        for (var i = 0; i < data.Reasons.Count; i++) lists.Text(i + 1, 1, data.Reasons[i].Label);
        lists.Text(1, 3, "sheet");
        var (sheetIdRow, sheetIdColumn) = XlsxWorksheet.Position(SheetIdCell);
        lists.Number(sheetIdRow, sheetIdColumn, data.SheetId);
        // Who exported it: the import refuses a sheet of another installation or campaign.
        lists.Text(2, 3, "installation");
        var (installationRow, installationColumn) = XlsxWorksheet.Position(InstallationCell);
        lists.Text(installationRow, installationColumn, data.Installation);
        wb.CustomProperties.Add(InstallationProperty, data.Installation);
        wb.CustomProperties.Add(SheetProperty, data.SheetId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var reasonRange = $"'{ListsSheet}'!$A$1:$A${Math.Max(1, data.Reasons.Count)}";

        var pending = wb.AddSheet(PendingSheet);
        WriteSheet(pending, data, data.Pending, reasonRange, pendingSheet: true);
        var auto = wb.AddSheet(AutoRejectedSheet);
        WriteSheet(auto, data, data.AutoRejected, reasonRange, pendingSheet: false);

        lists.Visibility = SheetVisibility.Hidden;
        lists.Protect();
        wb.ActiveSheet = pending;
        // The thumbnails go in as image parts with one-cell anchors (Sheets/SheetPictures.cs): nothing is measured or drawn.
        wb.Save(output);
    }

    private void WriteSheet(XlsxWorksheet ws, ReviewSheetData data, IReadOnlyList<ReviewItem> items, string reasonRange, bool pendingSheet)
    {
        ws.Text(ReviewerRow, 1, ReviewerLabel);
        ws.Style(ReviewerRow, 1, s => s with { Bold = true });
        ws.Style(ReviewerRow, 2, s => s.Boxed(BorderLine.Thin) with { Locked = false, Fill = Editable });
        ws.Text(ReviewerRow, 4, $"导出 Exported {clock.Format(data.ExportedAt)} · 审核表 Sheet #{data.SheetId} · {items.Count} 行 rows");

        ws.Text(InstructionsRow, 1, (pendingSheet
            ? "请在「审核人 Reviewer」填写姓名。在「审核结果 Decision」选 通过 或 不通过；不通过须在「退回原因 Reasons」选至少一个原因（多个用；分隔，选「其他 other」须在备注写明），备注会随原因发给班主任。留空的行保持待审核。保存后放入 review/inbox/。\n" +
              "Write your name as Reviewer. Choose 通过 (approve) or 不通过 (reject); a rejection needs at least one reason (several separated by ;, 'other' needs a Note); the Note goes to the teacher with the reasons. Blank rows stay pending. Save and drop the file into review/inbox/."
            : "以下为系统自动退回的照片。若判断有误，在「审核结果 Decision」选 通过 即改判通过；选 不通过 或留空则维持退回。\n" +
              "Photos the automatic inspection rejected. Choose 通过 to overturn a wrong rejection (the photo is approved); 不通过 or blank keeps the rejection.")
            + "\n" + EvidenceLegend);

        SheetWriting.Header(ws, HeaderRow,
            "照片 Photo", "标注 Evidence", StudentNumber, Name, "性别 Gender", "班级 Class", "采集批次 Cohort", "上传时间 Uploaded",
            pendingSheet ? "剩余小时 Hours left" : "重传截止 Resubmit by", pendingSheet ? "检测提示 Flags" : "自动退回原因 Automatic reasons",
            Decision, Reasons, Note, SubmissionKey, Sha256);

        var row = FirstDataRow;
        foreach (var item in items)
        {
            data.Pictures.TryGetValue(item.SubmissionId, out var thumbnails);
            Picture(ws, row, 1, item.SubmissionId, "photo", thumbnails?.Photo, "（无照片 no photo）");
            Picture(ws, row, 2, item.SubmissionId, "evidence", thumbnails?.Evidence, "（无标注 no evidence）");
            ws.Text(row, 3, item.StudentNumber);
            ws.Text(row, 4, item.Name);
            ws.Text(row, 5, item.Gender);
            ws.Text(row, 6, item.ClassName);
            ws.Text(row, 7, item.Cohort);
            ws.Text(row, 8, clock.Format(item.ReceivedAt));
            if (pendingSheet)
            {
                var hoursLeft = Math.Round((item.ReceivedAt + data.ReviewSla - data.ExportedAt).TotalHours, 1);
                ws.Number(row, 9, hoursLeft, "0.0");
                if (hoursLeft <= 0) ws.Style(row, 3, row, 10, s => s with { Fill = Overdue });
                ws.Text(row, 10, string.Join("\n", item.Flags));
            }
            else
            {
                ws.Text(row, 9, item.ResubmitDeadline is { } d ? clock.Format(d) : "");
                ws.Text(row, 10, string.Join("\n", new[] { item.FailsHardStandard ? CannotOverturn : null, item.ReasonsZh, item.ReasonsEn }
                    .Where(t => !string.IsNullOrEmpty(t))));
                if (item.FailsHardStandard) ws.Style(row, 10, s => s with { FontColour = "#C00000" });
            }
            ws.Text(row, KeyColumn, SubmissionKeyFor(item));
            ws.Text(row, ShaColumn, item.Sha256);
            ws.SetRowHeight(row, PictureRowHeight);
            row++;
        }
        var lastRow = Math.Max(row - 1, FirstDataRow);

        ws.FreezeRows(HeaderRow);
        ws.AutoFilter(HeaderRow, 1, lastRow, Columns);
        // Narrow enough that A4 landscape, one page wide, stays readable (about 70 %): long values wrap.
        SheetWriting.FitColumns(ws, HeaderRow, row - 1, Columns, max: 18);
        ws.SetColumnWidth(1, PictureColumnWidth);
        ws.SetColumnWidth(2, PictureColumnWidth);
        ws.SetColumnWidth(10, 30);
        ws.SetColumnWidth(DecisionColumn, 12);
        ws.SetColumnWidth(ReasonsColumn, 20);
        ws.SetColumnWidth(NoteColumn, 20);
        ws.Style(FirstDataRow, 1, lastRow, Columns, s => s with { Vertical = VerticalAlign.Top });
        ws.Style(FirstDataRow, 10, lastRow, 10, s => s with { WrapText = true });
        ws.Style(FirstDataRow, ReasonsColumn, lastRow, NoteColumn, s => s with { WrapText = true });
        SheetWriting.FitRows(ws, HeaderRow, row - 1, Columns);
        SheetWriting.FitMergedRow(ws, InstructionsRow, 1, NoteColumn);
        // Printed: A4 landscape, one page wide, the reviewer line, instructions and header on every page.
        SheetWriting.PrintSetup(ws, HeaderRow);

        // The reviewer's three columns: editable, highlighted, with dropdowns.
        ws.Style(FirstDataRow, DecisionColumn, lastRow, NoteColumn, s => s with { Locked = false, Fill = Editable });
        ws.ListValidation(FirstDataRow, DecisionColumn, lastRow, DecisionColumn, $"\"{Approve},{Reject}\"", ValidationAlert.Stop,
            "审核结果 Decision", $"请选择 {Approve} 或 {Reject} / choose {Approve} (approve) or {Reject} (reject)");
        // Information, not Stop: the dropdown gives one reason; a reviewer may type several separated by ；.
        ws.ListValidation(FirstDataRow, ReasonsColumn, lastRow, ReasonsColumn, reasonRange, ValidationAlert.Information,
            "退回原因 Reasons", "多个原因请用；分隔，每个须来自列表 / several reasons: separate with ;, each from the list");

        ws.HideColumn(KeyColumn);
        ws.HideColumn(ShaColumn);

        // No password: anyone may read and filter; only the unlocked cells take input.
        ws.Protect(SheetAllow.AutoFilter | SheetAllow.FormatColumns | SheetAllow.FormatRows);
    }

    /// <summary>On an automatic rejection the national record would refuse whatever the studio says.</summary>
    public const string CannotOverturn = "不可改判：不是 480x640 彩色 JPG，只能重新上传 / cannot be overturned: not a 480x640 colour JPEG, only a new upload helps";

    /// <summary>The evidence image carries no words: its colours are explained here, beside it.</summary>
    public const string EvidenceLegend =
        "标注图：边框＝检测结论（红：自动退回，橙：有提示请判断，绿：未发现问题）；绿色底＝背景取样，红块＝杂物，紫块＝阴影；黄框＝脸部，橙框＝衣服；两侧青条＝头顶应在范围，黄条＝眼睛应在范围。" +
        "Evidence: frame = the inspection's verdict (red rejected, orange flagged, green nothing found); green = sampled backdrop, red = clutter, magenta = shadow; yellow box = face, orange = clothing; side bars: cyan = where the head top belongs, yellow = where the eyes belong.";

    public static string SubmissionKeyFor(ReviewItem item) => KeyFor(item.SubmissionId);

    private static void Picture(XlsxWorksheet ws, int row, int column, long submissionId, string kind, byte[]? jpeg, string missing)
    {
        var size = jpeg is null ? null : SheetPictures.SizeOf(jpeg);
        if (jpeg is null || size is null)
        {
            ws.Text(row, column, missing);
            return;
        }
        // A one-cell anchor 4 px into its cell: it follows its row when the reviewer sorts or filters, at its own size.
        ws.Picture(row, column, $"{kind}-{submissionId}", jpeg, size.Value.Width, size.Value.Height);
    }
}
