using System.Diagnostics;
using System.Text;

namespace CollectionWorker.Store;

/// <summary>
/// One service per data directory with the SQLite store: <c>run</c> holds data/.lock for its whole
/// life, with its process id written inside. The hold is an operating-system lock on a byte range
/// past the text (fcntl on Linux, LockFile on Windows), so it ends when the process ends, however it
/// ends; a lock file left by a dead process is simply taken over. The id stays readable by the
/// second <c>run</c>, which names it.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    // The locked byte lies beyond the process id, so that others may still read the id.
    private const long LockedOffset = 4096;

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream, string file, int? previousHolder)
    {
        _stream = stream;
        File = file;
        PreviousHolder = previousHolder;
    }

    public string File { get; }

    /// <summary>The process id found in a lock file that nobody held any more (a crashed or killed service), if any.</summary>
    public int? PreviousHolder { get; }

    /// <summary>Takes the data directory, or says who holds it.</summary>
    /// <exception cref="DataDirectoryLockedException">another living process holds it</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, FileName);
        // Owner-only from the start: the lock is taken before the data directory's umask is applied.
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(file, options);
        try
        {
            // macOS has no byte-range lock in .NET; the service is run on Linux and Windows.
            if (!OperatingSystem.IsMacOS()) stream.Lock(LockedOffset, 1);
        }
        catch (IOException)
        {
            var holder = ReadPid(stream);
            stream.Dispose();
            throw new DataDirectoryLockedException(dataDirectory, file, holder);
        }

        var previous = ReadPid(stream);
        var text = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        stream.SetLength(0);
        stream.Write(text);
        stream.Flush(flushToDisk: true);
        return new DataDirectoryLock(stream, file, previous is { } p && p != Environment.ProcessId ? p : null);
    }

    private static int? ReadPid(FileStream stream)
    {
        stream.Position = 0;
        var buffer = new byte[32];
        var read = stream.Read(buffer, 0, buffer.Length);
        stream.Position = 0;
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), out var pid) ? pid : null;
    }

    /// <summary>Whether a process with this id is running now (for the message only: the lock itself decides).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            _stream.SetLength(0);
            if (!OperatingSystem.IsMacOS()) _stream.Unlock(LockedOffset, 1);
        }
        catch (IOException)
        {
            // The lock ends with the handle anyway.
        }
        _stream.Dispose();
    }
}

/// <summary>Another service holds the data directory.</summary>
public sealed class DataDirectoryLockedException(string dataDirectory, string file, int? holder) : Exception(
    $"数据目录 {dataDirectory} 已被另一个正在运行的服务占用（进程号 {holder?.ToString() ?? "未知"}）：同一数据目录只能运行一个服务。 " +
    $"The data directory {dataDirectory} is in use by another running service (PID {holder?.ToString() ?? "unknown"}, lock file {file}): " +
    "only one service may run on a data directory. Stop that one first (systemctl stop collection-worker, or end that process).")
{
    public int? Holder { get; } = holder;
}
