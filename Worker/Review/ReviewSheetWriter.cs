using CollectionWorker.Sheets;
using ClosedXML.Excel;
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

    private static readonly XLColor Editable = XLColor.FromHtml("#FFF2CC");
    private static readonly XLColor Overdue = XLColor.FromHtml("#F8CBAD");

    public void Write(ReviewSheetData data, Stream output)
    {
        var pictures = new List<SheetPicture>();
        using var wb = new XLWorkbook();
        var lists = wb.AddWorksheet(ListsSheet);
        for (var i = 0; i < data.Reasons.Count; i++) SheetWriting.Text(lists.Cell(i + 1, 1), data.Reasons[i].Label);
        SheetWriting.Text(lists.Cell(1, 3), "sheet");
        lists.Cell(SheetIdCell).SetValue(data.SheetId);
        // Who exported it: the import refuses a sheet of another installation or campaign.
        SheetWriting.Text(lists.Cell(2, 3), "installation");
        SheetWriting.Text(lists.Cell(InstallationCell), data.Installation);
        wb.CustomProperties.Add(InstallationProperty, data.Installation);
        wb.CustomProperties.Add(SheetProperty, data.SheetId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var reasonRange = lists.Range(1, 1, Math.Max(1, data.Reasons.Count), 1);

        var pending = wb.AddWorksheet(PendingSheet);
        WriteSheet(pending, data, data.Pending, reasonRange, pendingSheet: true, pictures);
        var auto = wb.AddWorksheet(AutoRejectedSheet);
        WriteSheet(auto, data, data.AutoRejected, reasonRange, pendingSheet: false, pictures);

        lists.Visibility = XLWorksheetVisibility.Hidden;
        lists.Protect();
        pending.SetTabActive();
        // ClosedXML saves the cells; the thumbnails go in afterwards through the Open XML SDK, so no picture
        // passes through ClosedXML (which would measure it with System.Drawing, i.e. libgdiplus).
        using var package = new MemoryStream();
        wb.SaveAs(package);
        SheetPictures.Add(package, pictures);
        package.Position = 0;
        package.CopyTo(output);
    }

    private void WriteSheet(IXLWorksheet ws, ReviewSheetData data, IReadOnlyList<ReviewItem> items, IXLRange reasonRange, bool pendingSheet,
        List<SheetPicture> pictures)
    {
        SheetWriting.Text(ws.Cell(ReviewerRow, 1), ReviewerLabel);
        ws.Cell(ReviewerRow, 1).Style.Font.Bold = true;
        var reviewer = ws.Cell(ReviewerRow, 2);
        reviewer.Style.Protection.SetLocked(false);
        reviewer.Style.Fill.BackgroundColor = Editable;
        reviewer.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        SheetWriting.Text(ws.Cell(ReviewerRow, 4),
            $"导出 Exported {clock.Format(data.ExportedAt)} · 审核表 Sheet #{data.SheetId} · {items.Count} 行 rows");

        var instructions = ws.Range(InstructionsRow, 1, InstructionsRow, NoteColumn).Merge();
        SheetWriting.Text(instructions.FirstCell(), (pendingSheet
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
            Picture(ws, row, 1, item.SubmissionId, "photo", thumbnails?.Photo, "（无照片 no photo）", pictures);
            Picture(ws, row, 2, item.SubmissionId, "evidence", thumbnails?.Evidence, "（无标注 no evidence）", pictures);
            SheetWriting.Text(ws.Cell(row, 3), item.StudentNumber);
            SheetWriting.Text(ws.Cell(row, 4), item.Name);
            SheetWriting.Text(ws.Cell(row, 5), item.Gender);
            SheetWriting.Text(ws.Cell(row, 6), item.ClassName);
            SheetWriting.Text(ws.Cell(row, 7), item.Cohort);
            SheetWriting.Text(ws.Cell(row, 8), clock.Format(item.ReceivedAt));
            if (pendingSheet)
            {
                var hoursLeft = Math.Round((item.ReceivedAt + data.ReviewSla - data.ExportedAt).TotalHours, 1);
                var cell = ws.Cell(row, 9);
                cell.SetValue(hoursLeft);
                cell.Style.NumberFormat.Format = "0.0";
                if (hoursLeft <= 0) ws.Range(row, 3, row, 10).Style.Fill.BackgroundColor = Overdue;
                SheetWriting.Text(ws.Cell(row, 10), string.Join("\n", item.Flags));
            }
            else
            {
                SheetWriting.Text(ws.Cell(row, 9), item.ResubmitDeadline is { } d ? clock.Format(d) : "");
                SheetWriting.Text(ws.Cell(row, 10), string.Join("\n", new[] { item.FailsHardStandard ? CannotOverturn : null, item.ReasonsZh, item.ReasonsEn }
                    .Where(t => !string.IsNullOrEmpty(t))));
                if (item.FailsHardStandard) ws.Cell(row, 10).Style.Font.FontColor = XLColor.FromHtml("#C00000");
            }
            SheetWriting.Text(ws.Cell(row, KeyColumn), SubmissionKeyFor(item));
            SheetWriting.Text(ws.Cell(row, ShaColumn), item.Sha256);
            ws.Row(row).Height = PictureRowHeight;
            row++;
        }
        var lastRow = Math.Max(row - 1, FirstDataRow);

        ws.SheetView.FreezeRows(HeaderRow);
        ws.Range(HeaderRow, 1, lastRow, Columns).SetAutoFilter();
        // Narrow enough that A4 landscape, one page wide, stays readable (about 70 %): long values wrap.
        SheetWriting.FitColumns(ws, HeaderRow, row - 1, Columns, max: 18);
        ws.Column(1).Width = PictureColumnWidth;
        ws.Column(2).Width = PictureColumnWidth;
        ws.Column(10).Width = 30;
        ws.Column(DecisionColumn).Width = 12;
        ws.Column(ReasonsColumn).Width = 20;
        ws.Column(NoteColumn).Width = 20;
        ws.Range(FirstDataRow, 1, lastRow, Columns).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        ws.Range(FirstDataRow, 10, lastRow, 10).Style.Alignment.WrapText = true;
        ws.Range(FirstDataRow, ReasonsColumn, lastRow, NoteColumn).Style.Alignment.WrapText = true;
        SheetWriting.FitRows(ws, HeaderRow, row - 1, Columns);
        SheetWriting.FitMergedRow(instructions);
        // Printed: A4 landscape, one page wide, the reviewer line, instructions and header on every page.
        SheetWriting.PrintSetup(ws, HeaderRow);

        // The reviewer's three columns: editable, highlighted, with dropdowns.
        var editable = ws.Range(FirstDataRow, DecisionColumn, lastRow, NoteColumn);
        editable.Style.Protection.SetLocked(false);
        editable.Style.Fill.BackgroundColor = Editable;
        var decision = ws.Range(FirstDataRow, DecisionColumn, lastRow, DecisionColumn).SetDataValidation();
        decision.List($"\"{Approve},{Reject}\"", true);
        decision.ErrorStyle = XLErrorStyle.Stop;
        decision.ErrorTitle = "审核结果 Decision";
        decision.ErrorMessage = $"请选择 {Approve} 或 {Reject} / choose {Approve} (approve) or {Reject} (reject)";
        var reasons = ws.Range(FirstDataRow, ReasonsColumn, lastRow, ReasonsColumn).SetDataValidation();
        reasons.List(reasonRange, true);
        // Information, not Stop: the dropdown gives one reason; a reviewer may type several separated by ；.
        reasons.ErrorStyle = XLErrorStyle.Information;
        reasons.ErrorTitle = "退回原因 Reasons";
        reasons.ErrorMessage = "多个原因请用；分隔，每个须来自列表 / several reasons: separate with ;, each from the list";

        ws.Column(KeyColumn).Hide();
        ws.Column(ShaColumn).Hide();

        // No password: anyone may read and filter; only the unlocked cells take input.
        var protection = ws.Protect();
        protection.AllowElement(XLSheetProtectionElements.AutoFilter, true);
        protection.AllowElement(XLSheetProtectionElements.FormatColumns, true);
        protection.AllowElement(XLSheetProtectionElements.FormatRows, true);
    }

    /// <summary>On an automatic rejection the national record would refuse whatever the studio says.</summary>
    public const string CannotOverturn = "不可改判：不是 480x640 彩色 JPG，只能重新上传 / cannot be overturned: not a 480x640 colour JPEG, only a new upload helps";

    /// <summary>The evidence image carries no words: its colours are explained here, beside it.</summary>
    public const string EvidenceLegend =
        "标注图：边框＝检测结论（红：自动退回，橙：有提示请判断，绿：未发现问题）；绿色底＝背景取样，红块＝杂物，紫块＝阴影；黄框＝脸部，橙框＝衣服；两侧青条＝头顶应在范围，黄条＝眼睛应在范围。" +
        "Evidence: frame = the inspection's verdict (red rejected, orange flagged, green nothing found); green = sampled backdrop, red = clutter, magenta = shadow; yellow box = face, orange = clothing; side bars: cyan = where the head top belongs, yellow = where the eyes belong.";

    public static string SubmissionKeyFor(ReviewItem item) => KeyFor(item.SubmissionId);

    private static void Picture(IXLWorksheet ws, int row, int column, long submissionId, string kind, byte[]? jpeg, string missing, List<SheetPicture> pictures)
    {
        var size = jpeg is null ? null : SheetPictures.SizeOf(jpeg);
        if (jpeg is null || size is null)
        {
            SheetWriting.Text(ws.Cell(row, column), missing);
            return;
        }
        // A one-cell anchor 4 px into its cell: it follows its row when the reviewer sorts or filters, at its own size.
        pictures.Add(new SheetPicture(ws.Name, row, column, $"{kind}-{submissionId}", jpeg, size.Value.Width, size.Value.Height));
    }
}
