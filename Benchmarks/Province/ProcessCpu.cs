using System.Globalization;

/// <summary>
/// Processor time (user + system) from /proc, in seconds: of one process, and of a process with every child it has
/// reaped (the PostgreSQL postmaster: its backends come and go, and their time is added to its cutime/cstime when they
/// exit) plus the children still running. Wall time on this shared machine measures the other engineers' work too;
/// processor time per file is the steadier comparison of the three set-ups. 0 where /proc is not there.
/// </summary>
static class ProcessCpu
{
    private static readonly double Tick = 100.0; // USER_HZ: 100 on every Linux the service runs on

    public static double Of(int pid) => Fields(pid) is { } f ? (f[13] + f[14]) / Tick : 0;

    public static double WithChildren(int pid)
    {
        if (Fields(pid) is not { } own) return 0;
        var total = own[13] + own[14] + own[15] + own[16];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var child) && Fields(child) is { } f && f[3] == pid)
                total += f[13] + f[14] + f[15] + f[16];
        return total / Tick;
    }

    /// <summary>The fields of /proc/PID/stat, 0-based as in proc(5) minus one (field 14 utime is [13]); the name is skipped.</summary>
    private static long[]? Fields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // rest[0] is field 3 (state); pad so that index i is field i+1.
            var fields = new long[rest.Length + 2];
            for (var i = 1; i < rest.Length; i++)
                fields[i + 2] = long.TryParse(rest[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
            return fields;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}

/// <summary>The processor time of this process's children that have exited and been waited for (getrusage RUSAGE_CHILDREN).</summary>
static class ChildrenCpu
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeVal { public long Seconds; public long Microseconds; }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal User, Kernel;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRUsage(int who, out RUsage usage);

    /// <summary>Seconds of user + system time of every reaped child so far; the difference around one child's wait is that child's.</summary>
    public static double Seconds()
    {
        if (!OperatingSystem.IsLinux() || GetRUsage(-1 /* RUSAGE_CHILDREN */, out var u) != 0) return 0;
        return u.User.Seconds + u.User.Microseconds / 1e6 + u.Kernel.Seconds + u.Kernel.Microseconds / 1e6;
    }
}
