using System.Runtime.InteropServices;

namespace CollectionWorker.Store;

/// <summary>
/// Which file a path names right now: on Linux its device and inode (stat), elsewhere only whether it
/// exists. Two identities differ when the file was deleted, or replaced by another file under the
/// same name (a copy moved over it, a restore while the service ran): then the service's open
/// handles point at a file nobody will ever read again.
/// </summary>
public readonly record struct FileIdentity(bool Exists, ulong Device, ulong Inode)
{
    public static FileIdentity Of(string path)
    {
        if (!File.Exists(path)) return new FileIdentity(false, 0, 0);
        if (!OperatingSystem.IsLinux()) return new FileIdentity(true, 0, 0);
        try
        {
            // struct stat on 64-bit Linux (x86_64 and aarch64) starts with st_dev then st_ino, 8 bytes each.
            var buffer = new byte[256];
            if (NativeStat(path, buffer) != 0)
                return Marshal.GetLastPInvokeError() == 2 /* ENOENT */ ? new FileIdentity(false, 0, 0) : new FileIdentity(true, 0, 0);
            return new FileIdentity(true, BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without a plain stat symbol (glibc before 2.33): existence is what we can tell.
            return new FileIdentity(true, 0, 0);
        }
    }

    public override string ToString() => Exists ? $"device {Device}, inode {Inode}" : "missing";

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int NativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}
