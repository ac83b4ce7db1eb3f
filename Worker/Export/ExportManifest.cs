using CollectionWorker.Sheets;
using static CollectionWorker.Sheets.SheetWriting;

namespace CollectionWorker.Export;

/// <summary>One eligible student's line in the manifest; File is empty when there is no approved photo.</summary>
public sealed record ManifestRow(
    string Cohort, string Folder, string StudentNumber, string Name, string NationalId, string Status, string File, string Sha256,
    string UploadedAt, string ApprovedAt, string Reviewer, string Note);

/// <summary>An approved student who has not fully paid the fee, for the manifest's third sheet.</summary>
public sealed record UnpaidRow(string Cohort, string StudentNumber, string Name, string ClassName, string Teacher, string Payment, string ApprovedAt);

/// <summary>
/// The manifest workbook beside an export: sheet 1 lists every eligible student with the exported file
/// and its SHA-256 (what verify-export checks); sheet 2 lists those without an approved photo and why;
/// sheet 3, once payments are imported, who is approved but has not fully paid (paying is no condition of the export).
/// </summary>
public static class ExportManifest
{
    public const string PhotosSheet = "照片 Photos";
    public const string MissingSheet = "缺照片 Missing";

    private static readonly string[] Headers =
    [
        "采集对象 Cohort", "文件夹 Folder", "学号 StudentNumber", "姓名 Name", "身份证号 NationalId", "状态 Status", "文件 File",
        "SHA-256", "上传时间 Uploaded", "通过时间 Approved", "审核人 Reviewer", "备注 Note",
    ];

    public const string UnpaidSheet = "通过未缴费 Approved unpaid";

    public static void Write(string path, IReadOnlyList<ManifestRow> rows, IReadOnlyList<UnpaidRow>? approvedUnpaid = null)
    {
        var wb = new XlsxWorkbook();
        Fill(wb.AddSheet(PhotosSheet), rows);
        Fill(wb.AddSheet(MissingSheet), rows.Where(r => r.File.Length == 0).ToList());
        if (approvedUnpaid is not null) FillUnpaid(wb.AddSheet(UnpaidSheet), approvedUnpaid);
        wb.SaveAs(path);
    }

    private static void Fill(XlsxWorksheet ws, IReadOnlyList<ManifestRow> rows)
    {
        Header(ws, 1, Headers);
        var r = 2;
        foreach (var m in rows)
        {
            string[] cells = [m.Cohort, m.Folder, m.StudentNumber, m.Name, m.NationalId, m.Status, m.File, m.Sha256, m.UploadedAt, m.ApprovedAt, m.Reviewer, m.Note];
            for (var c = 0; c < cells.Length; c++) ws.Text(r, c + 1, cells[c]);
            r++;
        }
        Finish(ws, 1, r - 1, Headers.Length);
    }

    private static void FillUnpaid(XlsxWorksheet ws, IReadOnlyList<UnpaidRow> rows)
    {
        string[] headers = ["采集对象 Cohort", "学号 StudentNumber", "姓名 Name", "班级 Class", "班主任 Teacher", "缴费 Payment", "通过时间 Approved"];
        Header(ws, 1, headers);
        var r = 2;
        foreach (var u in rows)
        {
            string[] cells = [u.Cohort, u.StudentNumber, u.Name, u.ClassName, u.Teacher, u.Payment, u.ApprovedAt];
            for (var c = 0; c < cells.Length; c++) ws.Text(r, c + 1, cells[c]);
            r++;
        }
        if (rows.Count == 0) ws.Text(2, 1, "所有照片已通过的学生都已缴清。 Every approved student has paid in full.");
        Finish(ws, 1, Math.Max(r - 1, 1), headers.Length);
    }

    /// <summary>The (folder, file, sha256) of every exported photo the manifest lists (its cells streamed, not loaded whole).</summary>
    public static List<(string Folder, string File, string Sha256)> ReadFiles(string path)
    {
        using var wb = XlsxCells.Open(path);
        var ws = wb.Read(PhotosSheet) ?? throw new InvalidDataException($"{path}: no sheet '{PhotosSheet}'; is this an export manifest?");
        var list = new List<(string, string, string)>();
        foreach (var row in ws.Rows)
        {
            if (row.Number < 2) continue;
            var file = row.Text(7);
            if (file.Length > 0) list.Add((row.Text(2), file, row.Text(8)));
        }
        return list;
    }
}
