using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace CollectionWorker.Store;

/// <summary>
/// How big a workbook of one kind may be before it is even read. Its cells are streamed
/// (Sheets/XlsxCells.cs), but every cell read is kept as text, and a refused roster is written back
/// whole as its error workbook, so a file beyond these is refused by <see cref="WorkbookGuard"/>,
/// which reads it as a stream in constant memory.
/// </summary>
public sealed record WorkbookLimits(string KindZh, string KindEn, long MaxFileBytes, long MaxExpandedBytes, int MaxRows, int MaxColumns, long MaxCells)
{
    /// <summary>Entries that expand more than this many times (and are large) are a zip bomb, not a workbook.</summary>
    public const int MaxRatio = 200;

    // A province's roster: 250,000 students of 12 to 14 columns (3.5 million cells), with title rows, stay inside.
    // Its cells are read as text and a roster wrong on every row is written back as its error workbook
    // (Sheets/XlsxWorkbook.cs); peak memory at these sizes is in docs/operations.md "Limits on workbooks".

    /// <summary>A roster: 250,000 students of up to 14 columns, with title rows, stay inside; a 1,048,576-row sheet does not.</summary>
    public static readonly WorkbookLimits Roster = new("学生名单", "a roster", 256L << 20, 1L << 30, 260_000, 50, 3_800_000);

    /// <summary>A filled review sheet: thumbnails make the file larger; rows stay in the thousands.</summary>
    public static readonly WorkbookLimits ReviewSheet = new("审核表", "a review sheet", 100L << 20, 150L << 20, 25_000, 50, 250_000);

    /// <summary>A payment platform's export: a row per transaction, 20,000 students and their refunds of about 10 columns.</summary>
    public static readonly WorkbookLimits Payments = new("缴费导出表", "a payment export", 50L << 20, 150L << 20, 60_000, 50, 600_000);
}

/// <summary>Why a workbook was refused before loading, in Chinese and English.</summary>
public sealed record WorkbookRefusal(string MessageZh, string MessageEn)
{
    public override string ToString() => $"{MessageZh} / {MessageEn}";
}

/// <summary>
/// Checks a workbook before anything loads it: not an old .xls or an encrypted file (both are OLE
/// compound files, D0 CF 11 E0), a zip whose entries do not expand beyond the limits or more than
/// <see cref="WorkbookLimits.MaxRatio"/> times, and worksheets whose rows, columns and cells (counted
/// while streaming the XML, never trusting the declared sizes or the dimension) fit a workbook of its
/// kind. Used by the roster import, roster-inbox/ and the review sheet reader at their entry.
/// </summary>
public static class WorkbookGuard
{
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>Null when the workbook may be loaded; otherwise why not.</summary>
    public static WorkbookRefusal? Check(string path, WorkbookLimits limits)
    {
        var length = new FileInfo(path).Length;
        if (length == 0) return new("文件是空的（0 字节）", "the file is empty (0 bytes)");
        if (length > limits.MaxFileBytes)
            return new($"文件有 {Size(length)}，超过{limits.KindZh}的上限 {Size(limits.MaxFileBytes)}",
                $"the file is {Size(length)}, more than {limits.KindEn} may be ({Size(limits.MaxFileBytes)})");

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var head = new byte[8];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read == 8 && head.AsSpan().SequenceEqual(OleSignature)) return DescribeCompoundFile(stream);
        if (read < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
            return new("这不是 Excel .xlsx 工作簿（可能是 CSV、文本或其他文件）：请在 Excel 中另存为 .xlsx",
                "this is not an Excel .xlsx workbook and cannot be opened (perhaps CSV, text or another file): save it as .xlsx");

        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return CheckEntries(zip, limits);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or NotSupportedException)
        {
            return new("无法打开该 .xlsx 工作簿（文件可能已损坏）：请在 Excel 中打开并重新保存",
                $"the .xlsx workbook cannot be opened (it may be damaged): open and save it again in Excel ({e.Message})");
        }
    }

    private static WorkbookRefusal? CheckEntries(ZipArchive zip, WorkbookLimits limits)
    {
        if (zip.Entries.Count > 10_000)
            return new($"工作簿包含 {zip.Entries.Count} 个部件，不是正常的{limits.KindZh}", $"the workbook has {zip.Entries.Count} parts; {limits.KindEn} has far fewer");
        var declared = zip.Entries.Sum(e => e.Length);
        if (declared > limits.MaxExpandedBytes) return TooLarge(declared, limits);
        foreach (var entry in zip.Entries)
        {
            if (entry.Length > (1 << 20) && entry.Length > (long)WorkbookLimits.MaxRatio * Math.Max(1, entry.CompressedLength))
                return new($"部件 {entry.FullName} 压缩了 {entry.Length / Math.Max(1, entry.CompressedLength)} 倍（{Size(entry.CompressedLength)} 解压为 {Size(entry.Length)}）：这是“压缩炸弹”，不是正常的工作簿",
                    $"the part {entry.FullName} is compressed {entry.Length / Math.Max(1, entry.CompressedLength)} times ({Size(entry.CompressedLength)} expanding to {Size(entry.Length)}): a zip bomb, not a workbook");
        }

        // The declared sizes may lie: count what really comes out, and read every worksheet's cells.
        var sheetNames = SheetNames(zip);
        var expanded = 0L;
        foreach (var entry in zip.Entries)
        {
            using var counted = new CountingStream(entry.Open(), limits.MaxExpandedBytes - expanded);
            try
            {
                var refusal = IsWorksheet(entry.FullName)
                    ? CheckWorksheet(counted, sheetNames.TryGetValue(entry.FullName, out var sheet) ? $"“{sheet}”" : entry.FullName, limits)
                    : Drain(counted);
                if (refusal is not null) return refusal;
            }
            catch (ExpandedTooFarException)
            {
                return TooLarge(limits.MaxExpandedBytes + 1, limits);
            }
            expanded += counted.Count;
        }
        return null;
    }

    /// <summary>The sheet name (as the tab shows it) of each worksheet part, from xl/workbook.xml and its relationships; small reads only.</summary>
    private static Dictionary<string, string> SheetNames(ZipArchive zip)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var workbook = zip.GetEntry("xl/workbook.xml");
        var rels = zip.GetEntry("xl/_rels/workbook.xml.rels");
        if (workbook is null || rels is null || workbook.Length > (4 << 20) || rels.Length > (4 << 20)) return names;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var stream = new CountingStream(rels.Open(), 4 << 20))
        using (var reader = XmlReader.Create(stream, settings))
            while (reader.Read())
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target)
                    targets[id] = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
        using (var stream = new CountingStream(workbook.Open(), 4 << 20))
        using (var reader = XmlReader.Create(stream, settings))
            while (reader.Read())
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet" && reader.GetAttribute("name") is { } name
                    && reader.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships") is { } rid
                    && targets.TryGetValue(rid, out var part))
                    names[part] = name;
        return names;
    }

    private static bool IsWorksheet(string name) =>
        name.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);

    private static WorkbookRefusal? Drain(Stream stream)
    {
        // One pooled buffer for every part: a sheet with thousands of pictures is drained without a buffer each.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (stream.Read(buffer, 0, buffer.Length) > 0) { }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return null;
    }

    /// <summary>Counts rows and cells, and the highest row and column a cell names, stopping at the first limit passed.</summary>
    private static WorkbookRefusal? CheckWorksheet(Stream stream, string name, WorkbookLimits limits)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(stream, settings);
        long cells = 0;
        var rows = 0;
        var lastRow = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (reader.LocalName == "row")
            {
                rows++;
                lastRow = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : lastRow + 1;
                if (lastRow > limits.MaxRows || rows > limits.MaxRows)
                    return new($"工作表{name}超过了{limits.KindZh}的上限 {limits.MaxRows:N0} 行（第 {Math.Max(lastRow, rows):N0} 行仍有内容）：请只保留需要的数据，另存为新的 .xlsx",
                        $"the sheet {name} goes past row {limits.MaxRows:N0}, the most {limits.KindEn} may have (content found at row {Math.Max(lastRow, rows):N0}): keep only the data needed and save a new .xlsx");
            }
            else if (reader.LocalName == "c")
            {
                cells++;
                var column = ColumnOf(reader.GetAttribute("r"));
                if (column > limits.MaxColumns)
                    return new($"工作表{name}有内容的列达到第 {column:N0} 列，超过{limits.KindZh}的上限 {limits.MaxColumns} 列",
                        $"the sheet {name} has content out to column {column:N0}, more than the {limits.MaxColumns} columns {limits.KindEn} may have");
                if (cells > limits.MaxCells)
                    return new($"工作表{name}有超过 {limits.MaxCells:N0} 个单元格，超过{limits.KindZh}的上限",
                        $"the sheet {name} has more than {limits.MaxCells:N0} cells, more than {limits.KindEn} may have");
            }
        }
        return null;
    }

    /// <summary>The column number of a cell reference ("AB12" → 28); 0 when absent.</summary>
    private static int ColumnOf(string? reference)
    {
        if (reference is null) return 0;
        var column = 0;
        foreach (var ch in reference)
        {
            if (ch is < 'A' or > 'Z') break;
            column = column * 26 + (ch - 'A' + 1);
            if (column > 1_000_000) break;
        }
        return column;
    }

    /// <summary>An OLE compound file: an encrypted (password-protected) .xlsx carries an EncryptionInfo stream; otherwise an old .xls.</summary>
    private static WorkbookRefusal DescribeCompoundFile(Stream stream)
    {
        var marker = Encoding.Unicode.GetBytes("EncryptionInfo");
        var buffer = new byte[1 << 20];
        var carry = 0;
        int read;
        while ((read = stream.Read(buffer, carry, buffer.Length - carry)) > 0)
        {
            var span = buffer.AsSpan(0, carry + read);
            if (span.IndexOf(marker) >= 0)
                return new("工作簿设置了密码（已加密），无法读取：请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx 再发送",
                    "the workbook is password-protected (encrypted) and cannot be read: remove the password in Excel (File → Info → Protect Workbook → Encrypt with Password, clear it), save as .xlsx and send it again");
            carry = Math.Min(marker.Length, span.Length);
            span[^carry..].CopyTo(buffer);
        }
        return new("这是旧版 Excel 97-2003 (.xls) 工作簿：请在 Excel 中“另存为” Excel 工作簿 (.xlsx) 后再发送",
            "this is an old Excel 97-2003 (.xls) workbook: save it as .xlsx (Excel workbook) and send that");
    }

    private static WorkbookRefusal TooLarge(long expanded, WorkbookLimits limits) =>
        new($"工作簿解压后超过 {Size(limits.MaxExpandedBytes)}（{limits.KindZh}的上限）：可能是“压缩炸弹”，或包含大量无用数据；请只保留需要的数据另存为新的 .xlsx",
            $"the workbook expands to {(expanded > limits.MaxExpandedBytes + 1 ? Size(expanded) : "more than " + Size(limits.MaxExpandedBytes))}, more than {limits.KindEn} may ({Size(limits.MaxExpandedBytes)}): a zip bomb, or full of data that does not belong; keep only the data needed and save a new .xlsx");

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KB",
        _ => $"{bytes} bytes",
    };

    private sealed class ExpandedTooFarException : Exception;

    /// <summary>A read-only stream that counts what it hands out and stops past a budget.</summary>
    private sealed class CountingStream(Stream inner, long budget) : Stream
    {
        public long Count { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Count += n;
            if (Count > budget) throw new ExpandedTooFarException();
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
