using System.Globalization;
using CollectionWorker.Sheets;
using CollectionWorker.Store;

namespace CollectionWorker.Roster;

/// <summary>
/// Reads a roster .xlsx into text. Finds the header row (title rows above it are fine), maps the
/// columns in any order, and reads each cell as the text a person sees: student and ID numbers keep
/// their leading zeros and trailing X. Anything it cannot read safely becomes a problem with its
/// cell address, never a guess.
/// </summary>
public sealed class RosterWorkbookReader
{
    private const int HeaderSearchRows = 15;

    public RosterSheet Read(string path)
    {
        // Checked as a stream first: a workbook bomb must be refused before anything reads its cells.
        if (WorkbookGuard.Check(path, WorkbookLimits.Roster) is { } refusal)
        {
            var refused = new RosterSheet();
            refused.Problems.Add(new RosterProblem(null, null, refusal.MessageZh, refusal.MessageEn));
            return refused;
        }
        XlsxCells workbook;
        try
        {
            // Read-only and shared, so a roster still open in Excel can be imported; pictures and styles are never loaded.
            workbook = XlsxCells.Open(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var sheet = new RosterSheet();
            sheet.Problems.Add(DescribeOpenFailure(path, e));
            return sheet;
        }
        try
        {
            using (workbook)
                return ReadWorkbook(workbook);
        }
        catch (Exception e) when (e is System.Xml.XmlException or InvalidDataException or IOException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            var sheet = new RosterSheet();
            sheet.Problems.Add(DescribeOpenFailure(path, e));
            return sheet;
        }
    }

    private static RosterProblem DescribeOpenFailure(string path, Exception e)
    {
        var head = new byte[8];
        int read;
        using (var f = File.OpenRead(path)) read = f.Read(head, 0, head.Length);
        if (read == 0)
            return new RosterProblem(null, null, "文件是空的（0 字节）", "the file is empty (0 bytes)");
        if (read >= 8 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0)
            return new RosterProblem(null, null,
                "这是旧版 Excel 97-2003 (.xls) 或加密的工作簿：请在 Excel 中“另存为” .xlsx（不设密码）后再导入",
                "this is an old Excel 97-2003 (.xls) or a password-protected workbook: save it as .xlsx (without a password) and import that");
        if (head[0] != (byte)'P' || head[1] != (byte)'K')
            return new RosterProblem(null, null,
                "这不是 Excel .xlsx 工作簿（可能是 CSV、文本或其他文件）：请在 Excel 中另存为 .xlsx",
                $"this is not an Excel .xlsx workbook (perhaps CSV, text or another file): save it as .xlsx. ({e.GetType().Name})");
        return new RosterProblem(null, null,
            "无法打开该 .xlsx 工作簿（文件可能已损坏）：请在 Excel 中打开并重新保存",
            $"the .xlsx workbook cannot be opened (it may be damaged): open and save it again in Excel. ({e.GetType().Name}: {e.Message})");
    }

    private static RosterSheet ReadWorkbook(XlsxCells workbook)
    {
        // The first sheet with a recognisable header row is the roster.
        var anyData = false;
        foreach (var name in workbook.SheetNames)
        {
            var ws = workbook.Read(name);
            anyData |= ws.Rows.Count > 0;
            var header = FindHeaderRow(ws);
            if (header is not null) return ReadSheet(ws, header.Value);
        }

        var empty = new RosterSheet();
        empty.Problems.Add(anyData
            ? new RosterProblem(null, null,
                $"在前 {HeaderSearchRows} 行中没有找到表头（需要 姓名、学号、身份证号 等列名）",
                $"no header row found in the first {HeaderSearchRows} rows (expected column names such as 姓名 Name, 学号 StudentNumber, 身份证号 NationalId)")
            : new RosterProblem(null, null, "工作簿是空的，没有任何数据", "the workbook is empty: it has no data"));
        return empty;
    }

    /// <summary>The first row where at least three cells are known column names.</summary>
    private static int? FindHeaderRow(XlsxSheet ws)
    {
        foreach (var row in ws.Rows)
        {
            if (row.Number > HeaderSearchRows) break;
            if (row.Cells.Count(c => RosterColumns.Recognise(c.Text) is not null) >= 3) return row.Number;
        }
        return null;
    }

    private static RosterSheet ReadSheet(XlsxSheet ws, int headerRow)
    {
        var sheet = new RosterSheet { SheetName = ws.Name, HeaderRow = headerRow };
        var lastCol = ws.LastColumn;
        var header = ws.Row(headerRow)!;

        for (var c = 1; c <= lastCol; c++)
        {
            var text = header.Text(c).Trim();
            sheet.Headers.Add(text);
            if (RosterColumns.Recognise(text) is not { } field) continue;
            if (sheet.FieldColumns.TryGetValue(field, out var first))
            {
                sheet.Problems.Add(new RosterProblem(headerRow, RosterSheet.ColumnLetter(c),
                    $"“{text}”与 {RosterSheet.ColumnLetter(first)} 列重复，都表示{RosterColumns.Of(field).Chinese}：请删除一列",
                    $"'{text}' repeats column {RosterSheet.ColumnLetter(first)}: both are {RosterColumns.Of(field).English}; remove one"));
                continue;
            }
            sheet.FieldColumns[field] = c;
        }

        var missing = RosterColumns.All.Where(col => col.Required && !sheet.FieldColumns.ContainsKey(col.Field)).ToList();
        if (missing.Count > 0)
            sheet.Problems.Add(new RosterProblem(headerRow, null,
                "缺少必需的列：" + string.Join("、", missing.Select(m => m.Chinese)),
                "required columns are missing: " + string.Join(", ", missing.Select(m => m.Header))));

        foreach (var address in ws.MergedRanges)
        {
            var (firstRow, lastRow) = MergedRows(address);
            if (lastRow < headerRow) continue; // a merged title above the header is fine
            sheet.Problems.Add(new RosterProblem(firstRow, address,
                $"{address} 是合并单元格：表头和数据中不能有合并单元格，请取消合并并在每个单元格中填写内容",
                $"{address} is a merged cell: the header and data must not contain merged cells; unmerge and fill every cell"));
        }

        if (sheet.Problems.Count > 0) return sheet;

        var identity = IdentityColumns(sheet);
        var fieldOfColumn = sheet.FieldColumns.ToDictionary(kv => kv.Value, kv => kv.Key);
        foreach (var source in ws.Rows)
        {
            if (source.Number <= headerRow) continue;
            var r = source.Number;
            var cells = new string[lastCol];
            Array.Fill(cells, "");
            var any = false;
            foreach (var cell in source.Cells)
            {
                var c = cell.Column;
                if (c > lastCol) continue;
                cells[c - 1] = ReadText(cell, out var problem);
                // Who a student is must be typed, not computed: a formula's stored result can be stale or point anywhere.
                if (problem is null && cell.HasFormula && identity.Contains(c))
                    problem = ($"身份信息列不能是公式（={cell.Formula}）：请复制该列后“选择性粘贴为数值”再导入",
                        $"an identity column must hold typed values, not a formula (={cell.Formula}, showing '{cells[c - 1]}'): copy the column and paste it as values");
                if (cells[c - 1].Length > 0) any = true;
                if (problem is not null)
                {
                    any = true;
                    if (fieldOfColumn.TryGetValue(c, out var field))
                        sheet.Problems.Add(new RosterProblem(r, $"{RosterSheet.ColumnLetter(c)} ({RosterColumns.Of(field).Header})", problem.Value.Zh, problem.Value.En));
                }
            }
            if (!any) continue; // blank rows between blocks are ignored
            var row = new RosterRow(r, cells);
            foreach (var (field, c) in sheet.FieldColumns) row[field] = cells[c - 1];
            sheet.Rows.Add(row);
        }

        if (sheet.Rows.Count == 0 && sheet.Problems.Count == 0)
            sheet.Problems.Add(new RosterProblem(null, null, "表头下面没有学生数据", "there are no student rows below the header"));
        return sheet;
    }

    /// <summary>The first and last row of a range such as "A1:C3" (or a single cell).</summary>
    private static (int First, int Last) MergedRows(string address)
    {
        static int RowOf(string cell) => int.TryParse(new string(cell.SkipWhile(char.IsLetter).ToArray()), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var parts = address.Split(':');
        var first = RowOf(parts[0]);
        return (first, parts.Length > 1 ? RowOf(parts[1]) : first);
    }

    private static readonly RosterField[] Identity = [RosterField.Name, RosterField.StudentNumber, RosterField.NationalId, RosterField.TeacherEmail];

    /// <summary>The sheet columns (1-based) holding a student's or teacher's identity: name, numbers, e-mail.</summary>
    private static HashSet<int> IdentityColumns(RosterSheet sheet) =>
        Identity.Where(sheet.FieldColumns.ContainsKey).Select(f => sheet.FieldColumns[f]).ToHashSet();

    /// <summary>A cell as text. Formulas give their stored result; one without a result is a problem.</summary>
    private static string ReadText(XlsxCell cell, out (string Zh, string En)? problem)
    {
        problem = null;
        if (cell.HasFormula)
        {
            var text = cell.Kind switch
            {
                XlsxKind.Number => NumberFormats.Plain(cell.Number!.Value),
                XlsxKind.Date => NumberFormats.DateText(cell.Number!.Value),
                _ => cell.Text.Trim(),
            };
            if (text.Length == 0 || text.StartsWith('#'))
                problem = ("单元格是公式，但没有保存计算结果：请复制后“选择性粘贴为数值”",
                    $"the cell holds a formula ({cell.Formula}) without a stored result: copy and paste it as values");
            return text;
        }

        switch (cell.Kind)
        {
            case XlsxKind.Number:
                if (Math.Abs(cell.Number!.Value) >= 1e15)
                {
                    problem = ("数字过长，Excel 已丢失末尾位数（如身份证号）：请将该列设为“文本”格式后重新输入",
                        "this long number was stored as a number and Excel has lost its last digits (e.g. an ID number): format the column as Text and type it again");
                    return cell.Text;
                }
                // A custom format such as "000000" carries leading zeros the number itself has lost.
                return cell.IsGeneral ? NumberFormats.Plain(cell.Number.Value) : cell.Text.Trim();
            case XlsxKind.Date:
                return NumberFormats.DateText(cell.Number!.Value);
            default:
                return cell.Text.Trim();
        }
    }
}
