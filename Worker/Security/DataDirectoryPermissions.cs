using System.Runtime.InteropServices;
using CollectionWorker.Store;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Security;

/// <summary>Who besides the service's own user may read the data directory (<c>Storage:FileMode</c>).</summary>
public enum DataFileMode
{
    /// <summary>Only the service's user: folders 0700, files 0600.</summary>
    Private,
    /// <summary>Also the folder's group may read (e.g. an admin group that takes backups): folders 0750, files 0640.</summary>
    GroupRead,
    /// <summary>The folder's group may also write (several admins share the data directory): folders 0770, files 0660.</summary>
    GroupReadWrite,
}

/// <summary>
/// The data directory holds ID numbers, names and photos: on Linux and macOS everything the worker
/// creates there is readable by its own user only (or its group, by <c>Storage:FileMode</c>). This
/// is done with the process's umask, set before the store is opened, so every file any stage or
/// library creates (the SQLite store and its journal, archive, evidence, exports, .eml files,
/// workbooks, logs) gets the mode without each writer having to remember it; and the data directory
/// itself is set to the folder mode at every start, which also closes an older installation's
/// 0755 folder. On Windows this does nothing: the folder's ACL decides (see docs/security.md).
/// </summary>
public sealed class DataDirectoryPermissions(IOptions<StorageOptions> options, DataPaths paths)
{
    public static UnixFileMode FolderMode(DataFileMode mode) => mode switch
    {
        DataFileMode.GroupRead => (UnixFileMode)0b111_101_000,      // 0750
        DataFileMode.GroupReadWrite => (UnixFileMode)0b111_111_000, // 0770
        _ => (UnixFileMode)0b111_000_000,                           // 0700
    };

    public static UnixFileMode FileModeOf(DataFileMode mode) => FolderMode(mode) & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

    /// <summary>Sets the umask and the data directory's own mode; creates the directory if needed.</summary>
    public void Apply()
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = options.Value.FileMode;
        // The umask takes away what the folder mode does not grant (0700 → 077, 0750 → 027, 0770 → 007).
        _ = Umask((uint)(~FolderMode(mode) & (UnixFileMode)0b111_111_111));
        Directory.CreateDirectory(paths.Root);
        File.SetUnixFileMode(paths.Root, FolderMode(mode));
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
