using System.IO.Compression;
using System.Text;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// Real hostile .xlsx files, small on disk: a valid workbook whose one sheet has a cell in each of
/// 1,048,576 rows (tens of MB of XML, deflated), or whose shared strings expand hundreds of times.
/// </summary>
public static class WorkbookBomb
{
    public static string MillionRows(string path, int rows = 1_048_576)
    {
        Write(path, sheet =>
        {
            sheet.Write("<sheetData>");
            for (var r = 1; r <= rows; r++) sheet.Write($"<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>a</t></is></c></row>");
            sheet.Write("</sheetData>");
        });
        return path;
    }

    /// <summary>A shared-strings part of <paramref name="megabytes"/> MB of one repeated letter: deflate squeezes it ~1000 times.</summary>
    public static string Expanding(string path, int megabytes = 300)
    {
        Write(path, sheet => sheet.Write("<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData>"), zip =>
        {
            using var s = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
            s.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>");
            var block = new string('a', 1 << 20);
            for (var i = 0; i < megabytes; i++) s.Write(block);
            s.Write("</t></si></sst>");
        });
        return path;
    }

    private static void Write(string path, Action<TextWriter> sheetData, Action<ZipArchive>? more = null)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Part(string name, string xml)
        {
            using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            w.Write(xml);
        }
        Part("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>
            """);
        Part("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        Part("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
            """);
        Part("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>
            """);
        using (var sheet = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false)))
        {
            sheet.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
            sheetData(sheet);
            sheet.Write("</worksheet>");
        }
        if (more is not null) more(zip);
        else Part("xl/sharedStrings.xml", """<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>""");
    }
}
