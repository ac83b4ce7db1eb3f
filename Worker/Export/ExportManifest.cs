using ClosedXML.Excel;
using static CollectionWorker.Sheets.SheetWriting;

namespace CollectionWorker.Export;

/// <summary>One eligible student's line in the manifest; File is empty when there is no approved photo.</summary>
public sealed record ManifestRow(
    string Cohort, string Folder, string StudentNumber, string Name, string NationalId, string Status, string File, string Sha256,
    string UploadedAt, string ApprovedAt, string Reviewer, string Note);

/// <summary>
/// The manifest workbook beside an export: sheet 1 lists every eligible student with the exported file
/// and its SHA-256 (what verify-export checks); sheet 2 lists those without an approved photo and why.
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

    public static void Write(string path, IReadOnlyList<ManifestRow> rows)
    {
        using var wb = new XLWorkbook();
        Fill(wb.AddWorksheet(PhotosSheet), rows);
        Fill(wb.AddWorksheet(MissingSheet), rows.Where(r => r.File.Length == 0).ToList());
        var temp = path + ".tmp";
        using (var stream = File.Create(temp)) wb.SaveAs(stream);
        File.Move(temp, path, overwrite: true);
    }

    private static void Fill(IXLWorksheet ws, IReadOnlyList<ManifestRow> rows)
    {
        Header(ws, 1, Headers);
        var r = 2;
        foreach (var m in rows)
        {
            string[] cells = [m.Cohort, m.Folder, m.StudentNumber, m.Name, m.NationalId, m.Status, m.File, m.Sha256, m.UploadedAt, m.ApprovedAt, m.Reviewer, m.Note];
            for (var c = 0; c < cells.Length; c++) Text(ws.Cell(r, c + 1), cells[c]);
            r++;
        }
        Finish(ws, 1, r - 1, Headers.Length);
    }

    /// <summary>The (folder, file, sha256) of every exported photo the manifest lists (its cells streamed, not loaded whole).</summary>
    public static List<(string Folder, string File, string Sha256)> ReadFiles(string path)
    {
        using var wb = CollectionWorker.Sheets.XlsxCells.Open(path);
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
