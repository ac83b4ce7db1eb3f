namespace CollectionWorker.Store;

/// <summary>
/// The house rules of an import inbox (roster-inbox/, payments-inbox/, corrections-inbox/): which files in it are candidates,
/// and where an imported or refused file goes afterwards.
/// </summary>
public static class InboxFiles
{
    /// <summary>
    /// Every file, whatever its extension or case: one that is not the expected kind is refused to failed/ with the
    /// reason, never left unnoticed. Excel's ~$ owner files, hidden files and error workbooks written beside are not candidates.
    /// </summary>
    public static IEnumerable<string> Candidates(string folder) =>
        Directory.EnumerateFiles(folder).Where(file =>
        {
            var name = Path.GetFileName(file);
            return !name.StartsWith("~$") && !name.StartsWith('.') && !name.EndsWith(".errors.xlsx", StringComparison.OrdinalIgnoreCase);
        });

    /// <summary>
    /// Moves the file to <paramref name="processed"/> or <paramref name="failed"/> under a name prefixed with
    /// <paramref name="stamp"/>, its error workbook (if one was written) to failed/ beside it; returns the new path.
    /// </summary>
    public static string MoveAway(string file, bool succeeded, string? errorWorkbook, string processed, string failed, string stamp)
    {
        var folder = succeeded ? processed : failed;
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, $"{stamp}_{Path.GetFileName(file)}");
        File.Move(file, target, overwrite: false);
        if (errorWorkbook is not null && File.Exists(errorWorkbook))
            File.Move(errorWorkbook, Path.Combine(failed, $"{stamp}_{Path.GetFileName(errorWorkbook)}"), overwrite: true);
        return target;
    }
}
