using System.Runtime.InteropServices;

namespace CollectionWorker.Intake;

/// <summary>What a directory entry is, read without opening it.</summary>
public enum FileKindValue { Regular, Directory, SymbolicLink, Fifo, Socket, CharacterDevice, BlockDevice, Unknown }

/// <summary>
/// Tells a regular file from a named pipe, a socket or a device by the file system's own record
/// (Linux <c>statx</c>, which never opens the entry). Opening a named pipe for reading blocks until
/// someone writes to it, so intake must know before it opens anything. .NET has no public API for
/// the entry type; where <c>statx</c> is not available (other systems) every entry counts as
/// regular and the open's own time limit (<see cref="IntakeProcessor"/>) is the guard.
/// </summary>
public static class FileKind
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode

    public static FileKindValue Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return FileKindValue.Regular;
        var buffer = new byte[256];
        int rc;
        try
        {
            rc = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return FileKindValue.Regular;
        }
        if (rc != 0) return FileKindValue.Unknown;
        var mode = BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000;
        return mode switch
        {
            0x8000 => FileKindValue.Regular,
            0x4000 => FileKindValue.Directory,
            0xA000 => FileKindValue.SymbolicLink,
            0x1000 => FileKindValue.Fifo,
            0xC000 => FileKindValue.Socket,
            0x2000 => FileKindValue.CharacterDevice,
            0x6000 => FileKindValue.BlockDevice,
            _ => FileKindValue.Unknown,
        };
    }

    /// <summary>How the kind is named to people, Chinese and English.</summary>
    public static (string Zh, string En) Describe(FileKindValue kind) => kind switch
    {
        FileKindValue.Fifo => ("命名管道（FIFO）", "a named pipe (FIFO)"),
        FileKindValue.Socket => ("套接字", "a socket"),
        FileKindValue.CharacterDevice => ("字符设备", "a character device"),
        FileKindValue.BlockDevice => ("块设备", "a block device"),
        _ => ("非普通文件", "not a regular file"),
    };

    // DllImport rather than LibraryImport: the project does not allow unsafe code, and a byte[] is pinned as it is.
    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
