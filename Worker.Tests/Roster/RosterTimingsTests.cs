using System.Diagnostics;
using CollectionWorker.Roster;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Roster;

/// <summary>Where an import's time goes, for whoever measures it: the built worker with COLLECTIONWORKER_TIMINGS=1 names each step.</summary>
public class RosterTimingsTests
{
    private static async Task<(int Exit, string Out, string Err)> ImportAsync(TestHost host, string roster, bool timings)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll"), "import-roster", roster,
                     "--config", host.ConfigDirectory, "--data", host.DataDirectory })
            info.ArgumentList.Add(a);
        info.Environment.Remove(RosterStepTimings.Variable);
        if (timings) info.Environment[RosterStepTimings.Variable] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task With_the_variable_each_step_is_timed_on_stderr_and_without_it_nothing_is()
    {
        using var host = new TestHost();
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), Enumerable.Range(1, 30).Select(i => TestStudent.Make(i)));

        var timed = await ImportAsync(host, roster, timings: true);

        Assert.True(timed.Exit == 0, timed.Err);
        var lines = timed.Err.Split('\n').Where(l => l.StartsWith(RosterStepTimings.Prefix)).ToList();
        Assert.Equal(["启动 Start-up", RosterImporter.ReadingStep, RosterImporter.CheckingStep, RosterImporter.StoringStep],
            lines.Select(l => l[(RosterStepTimings.Prefix.Length + 1)..l.LastIndexOf(": ", StringComparison.Ordinal)]));
        Assert.All(lines, l => Assert.Matches(@": \d+\.\d{3} s wall, \d+\.\d{3} s processor$", l));
        Assert.DoesNotContain(RosterStepTimings.Prefix, timed.Out);
        Assert.StartsWith("Imported 30 students", timed.Out);

        using var again = new TestHost();
        var plain = await ImportAsync(again, roster, timings: false);
        Assert.True(plain.Exit == 0, plain.Err);
        Assert.DoesNotContain(RosterStepTimings.Prefix, plain.Err);
    }
}
