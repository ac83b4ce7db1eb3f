using System.Diagnostics;
using System.Runtime.InteropServices;

/// <summary>
/// The calling thread's own CPU time (Linux: CLOCK_THREAD_CPUTIME_ID), so a step measured on a machine
/// busy with other work is charged only for the cycles it ran, not for the time it waited for a core.
/// Elsewhere it falls back to the wall clock.
/// </summary>
public static class CpuClock
{
    private const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    public static bool IsThreadCpu { get; } = OperatingSystem.IsLinux() && Probe();

    private static bool Probe()
    {
        try { return ClockGetTime(ThreadCpuTime, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>Milliseconds of this thread's CPU time (or of the wall clock where that is not available).</summary>
    public static double NowMs()
    {
        if (!IsThreadCpu) return Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        ClockGetTime(ThreadCpuTime, out var t);
        return t.Seconds * 1000.0 + t.Nanoseconds / 1e6;
    }
}
