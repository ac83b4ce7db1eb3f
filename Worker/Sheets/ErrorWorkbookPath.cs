namespace CollectionWorker.Sheets;

/// <summary>Where a refused input's error workbook goes: beside it, named "&lt;name&gt;.errors.xlsx" (roster and payment exports alike).</summary>
public static class ErrorWorkbookPath
{
    public static string Beside(string inputPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(inputPath))!, Path.GetFileNameWithoutExtension(inputPath) + ".errors.xlsx");
}
