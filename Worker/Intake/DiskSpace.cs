using Microsoft.Data.Sqlite;

namespace CollectionWorker.Intake;

/// <summary>Recognises a full disk (or a used-up quota) in whatever form it arrives: a file write or the store.</summary>
public static class DiskSpace
{
    private const int Enospc = 28, Edquot = 122;          // Linux errno, which .NET puts in IOException.HResult
    private const int ErrorHandleDiskFull = 39, ErrorDiskFull = 112; // Windows, as HRESULT 0x8007xxxx
    private const int SqliteFull = 13;

    public static bool IsFull(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case SqliteException s when s.SqliteErrorCode == SqliteFull:
                    return true;
                case IOException io when OperatingSystem.IsWindows()
                                         ? (io.HResult & 0xFFFF) is ErrorDiskFull or ErrorHandleDiskFull && (io.HResult >>> 16) == 0x8007
                                         : io.HResult is Enospc or Edquot:
                    return true;
            }
        }
        return false;
    }

    /// <summary>Free space on the disk holding <paramref name="path"/>, in words ("12.3 MB"), or "unknown".</summary>
    public static string FreeText(string path)
    {
        try
        {
            var bytes = new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace;
            return bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.0} GB" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.0} MB" : $"{bytes / 1024.0:0} KB";
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>A wait in words: "0.2 s", "5 min".</summary>
    public static string Words(TimeSpan t) =>
        t < TimeSpan.FromMinutes(1) ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMinutes:0.#} min";
}
