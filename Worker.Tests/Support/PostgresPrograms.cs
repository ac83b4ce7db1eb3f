using System.Diagnostics;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// Finding and running PostgreSQL's server programs (initdb, pg_ctl …) from Debian's <c>postgresql</c> package,
/// shared by the tests' throw-away server (<see cref="PostgresServer"/>) and the province benchmark's cluster
/// (Benchmarks/Province links this file).
/// </summary>
public static class PostgresPrograms
{
    /// <summary>The newest /usr/lib/postgresql/&lt;version&gt;/bin holding initdb and pg_ctl, or PG_BIN.</summary>
    public static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured) return configured;
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. Install Debian's package: " +
            "apt-get install postgresql (.ci/run installs it), or set PG_BIN to the folder holding initdb and pg_ctl.");
    }

    /// <summary>
    /// Runs a program to its end (as <paramref name="runAs"/> through runuser when given: PostgreSQL refuses to run
    /// as root); a non-zero exit throws with its output, and so does a run longer than <paramref name="timeout"/> (2 minutes
    /// unless given), after which the program is killed.
    /// </summary>
    public static async Task RunAsync(string file, IEnumerable<string> args, string? runAs = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var all = args.ToList();
        if (runAs is not null)
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", runAs, "--", file }.Concat(all)) info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = file;
            foreach (var a in all) info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Never unbounded: a program that hangs fails its caller, naming itself, instead of holding the test run.
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using (var cts = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', all)} did not finish within {limit.TotalSeconds:0} s");
            }
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', all)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
