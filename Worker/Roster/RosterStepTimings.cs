using System.Diagnostics;
using System.Globalization;
using CollectionWorker.Store;

namespace CollectionWorker.Roster;

/// <summary>
/// Where the time of one <c>import-roster</c> goes, for whoever measures it: with the environment variable
/// <see cref="Variable"/>=1 the command writes, on stderr, one line per step (start-up, reading, checking,
/// storing, and the rest) with its wall time and the processor time the whole process used meanwhile (JIT
/// and GC threads included). Off by default; it only forwards the progress otherwise.
/// </summary>
public sealed class RosterStepTimings(IProgress<WorkProgress> inner, TextWriter stderr) : IProgress<WorkProgress>
{
    public const string Variable = "COLLECTIONWORKER_TIMINGS";
    public const string Prefix = "计时 Timing:";

    private string _step = "启动 Start-up";
    private TimeSpan _stepWall = TimeSpan.Zero;
    private TimeSpan _stepCpu = TimeSpan.Zero;

    /// <summary>The progress itself when the variable is not set; else a timer in front of it.</summary>
    public static IProgress<WorkProgress> Around(IProgress<WorkProgress> progress, TextWriter stderr) =>
        Environment.GetEnvironmentVariable(Variable) == "1" ? new RosterStepTimings(progress, stderr) : progress;

    public void Report(WorkProgress value)
    {
        if (value.Step != _step) Next(value.Step);
        inner.Report(value);
    }

    /// <summary>Closes the last step (call when the import returned).</summary>
    public static void Finish(IProgress<WorkProgress> progress)
    {
        if (progress is RosterStepTimings timings) timings.Next(null);
    }

    private void Next(string? step)
    {
        var wall = ProcessWall();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Prefix} {_step}: {(wall - _stepWall).TotalSeconds:0.000} s wall, {(cpu - _stepCpu).TotalSeconds:0.000} s processor"));
        (_step, _stepWall, _stepCpu) = (step ?? "", wall, cpu);
    }

    /// <summary>Time since the process started (the first step's wall time is the start-up's).</summary>
    private static TimeSpan ProcessWall() => DateTime.Now - Process.GetCurrentProcess().StartTime;
}
