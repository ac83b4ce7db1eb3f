using System.Runtime.InteropServices;

/// <summary>
/// The processor time (user + system) of this process's finished and reaped children, from getrusage(RUSAGE_CHILDREN):
/// read before and after one child to get that child's own, all its threads included. Linux and macOS only.
/// </summary>
static partial class ChildrenCpu
{
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal { public long Seconds; public long Microseconds; }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal User;
        public TimeVal System;
        // maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)] public long[] Rest;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    public static double Seconds()
    {
        if (getrusage(RusageChildren, out var u) != 0) throw new InvalidOperationException($"getrusage failed ({Marshal.GetLastPInvokeError()})");
        return u.User.Seconds + u.User.Microseconds / 1e6 + u.System.Seconds + u.System.Microseconds / 1e6;
    }
}
